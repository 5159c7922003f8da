// Translation of a generated bundle: 1,000 Gateways x 16 listeners with 5,000
// ClientTrafficPolicies (one Gateway-wide and four section policies per Gateway).
#include <benchmark/benchmark.h>

#include <string>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"

namespace {

std::string generateBundle(int gateways) {
  std::string y;
  y.reserve(static_cast<size_t>(gateways) * 4096);
  for (int g = 0; g < gateways; ++g) {
    std::string name = "gw-" + std::to_string(g);
    y += "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: " + name +
         ", namespace: bench}\nspec:\n  gatewayClassName: eg\n  listeners:\n";
    for (int l = 0; l < 16; ++l) {
      y += "  - {name: l" + std::to_string(l) + ", protocol: " + (l % 2 ? "TCP" : "HTTP") +
           ", port: " + std::to_string(8000 + l) + "}\n";
    }
    auto policy = [&](const std::string& pname, const std::string& section,
                      const std::string& body) {
      y += "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: ClientTrafficPolicy\n"
           "metadata: {name: " +
           pname +
           ", namespace: bench}\nspec:\n"
           "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: " +
           name + (section.empty() ? "" : ", sectionName: " + section) + "}]\n" + body;
    };
    policy(name + "-wide", "",
           "  connection: {connectionLimit: {value: 1000, closeDelay: 10s}}\n"
           "  timeout: {http: {idleTimeout: 60s}}\n");
    for (int s = 0; s < 4; ++s) {
      policy(name + "-s" + std::to_string(s), "l" + std::to_string(s * 2),
             "  clientIPDetection: {xForwardedFor: {numTrustedHops: 2}}\n"
             "  headers: {withUnderscoresAction: DropHeader, maxRequestHeaderLimit: 32Ki}\n");
    }
  }
  return y;
}

void BM_TranslateGeneratedBundle(benchmark::State& state) {
  const std::string text = generateBundle(static_cast<int>(state.range(0)));
  ctplab::policy::LoadResult loaded;
  ctplab::policy::loadText(text, "generated.yaml", loaded);
  ctplab::policy::TranslateOptions options;
  for (auto _ : state) {
    auto result = ctplab::policy::translate(loaded.resources, options);
    benchmark::DoNotOptimize(result);
  }
  state.counters["policies"] = static_cast<double>(loaded.resources.client_traffic_policies.size());
}
BENCHMARK(BM_TranslateGeneratedBundle)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_LoadAndTranslateGeneratedBundle(benchmark::State& state) {
  const std::string text = generateBundle(static_cast<int>(state.range(0)));
  ctplab::policy::TranslateOptions options;
  for (auto _ : state) {
    ctplab::policy::LoadResult loaded;
    ctplab::policy::loadText(text, "generated.yaml", loaded);
    auto result = ctplab::policy::translate(loaded.resources, options);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_LoadAndTranslateGeneratedBundle)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
