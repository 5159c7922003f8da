// First-match IP allow/deny evaluation with 10, 1,000 and 10,000 rules: the compiled policy
// (CidrSet underneath) against linear scans over the rules, one client address per iteration.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/common/cidr_set.h"
#include "ctplab/common/splitmix64.h"
#include "ctplab/proxy/authz/authz_policy.h"

namespace {

using ctplab::CidrSet;
using ctplab::IpAddress;
using ctplab::IpCidr;
namespace authz = ctplab::proxy::authz;

// The same inputs on every run and platform.
using Rng = ::ctplab::SplitMix64;

// Allow/deny lists as operators write them: mostly IPv4 /16../32 in private space, some IPv6
// /32../128, one to three CIDRs per rule; every seventh rule (when asked) also needs a method.
struct Workload {
  authz::AuthzConfig config;
  std::vector<IpAddress> clients;  // half inside some listed CIDR, half anywhere
};

Workload makeWorkload(size_t rules, bool with_operations) {
  static const IpCidr kV4 = *IpCidr::parse("10.0.0.0/8");
  static const IpCidr kV6 = *IpCidr::parse("2001:db8::/32");
  static const IpCidr kAnyV4 = *IpCidr::parse("0.0.0.0/0");
  Rng rng(rules * 2 + (with_operations ? 1 : 0));
  Workload w;
  w.config.default_action = authz::Action::kDeny;
  std::vector<IpCidr> listed;
  for (size_t i = 0; i < rules; ++i) {
    authz::AuthzRule r;
    r.name = "rule-" + std::to_string(i);
    r.action = rng.below(2) ? authz::Action::kAllow : authz::Action::kDeny;
    for (uint32_t n = 1 + rng.below(3); n > 0; --n) {
      const bool v6 = rng.below(5) == 0;
      const IpAddress a = (v6 ? kV6 : kV4).addressAt(rng.next());
      const uint32_t prefix = v6 ? 32 + rng.below(97) : 16 + rng.below(17);
      const std::string text = a.toString() + "/" + std::to_string(prefix);
      r.client_cidrs.push_back(text);
      listed.push_back(*IpCidr::parse(text));
    }
    if (with_operations && i % 7 == 3) r.methods = {"POST"};
    w.config.rules.push_back(std::move(r));
  }
  for (int i = 0; i < 4096; ++i) {
    w.clients.push_back(
        i % 2 ? kAnyV4.addressAt(rng.next())
              : listed[rng.below(static_cast<uint32_t>(listed.size()))].addressAt(rng.next()));
  }
  return w;
}

void BM_CompiledPolicy(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), false);
  const auto policy = std::move(authz::AuthzPolicy::compile(w.config)).value();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(policy.evaluateHttp(w.clients[i++ & 4095], "GET", "/"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompiledPolicy)->Arg(10)->Arg(1000)->Arg(10000);

// Every seventh rule also needs POST, so GET requests step over conditional candidates.
void BM_CompiledPolicyWithOperations(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), true);
  const auto policy = std::move(authz::AuthzPolicy::compile(w.config)).value();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(policy.evaluateHttp(w.clients[i++ & 4095], "GET", "/"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompiledPolicyWithOperations)->Arg(10)->Arg(1000)->Arg(10000);

// The naive evaluator: rules in order, each CIDR checked with IpCidr::contains.
void BM_LinearScanIpCidr(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), false);
  std::vector<std::vector<IpCidr>> rules;
  for (const auto& r : w.config.rules) {
    rules.emplace_back();
    for (const auto& text : r.client_cidrs) rules.back().push_back(*IpCidr::parse(text));
  }
  size_t i = 0;
  for (auto _ : state) {
    const IpAddress& client = w.clients[i++ & 4095];
    std::optional<size_t> first;
    for (size_t k = 0; k < rules.size() && !first; ++k) {
      for (const IpCidr& c : rules[k]) {
        if (c.contains(client)) {
          first = k;
          break;
        }
      }
    }
    benchmark::DoNotOptimize(first);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LinearScanIpCidr)->Arg(10)->Arg(1000)->Arg(10000);

// The best a linear scan can do: flat 128-bit network/mask pairs, two ANDs per CIDR.
void BM_LinearScanMasked(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), false);
  struct Masked {
    uint64_t hi, lo, mask_hi, mask_lo;
    bool v6;
    uint32_t rule;
  };
  auto split = [](const IpAddress& a, uint64_t& hi, uint64_t& lo) {
    hi = lo = 0;
    for (int b = 0; b < 8; ++b) hi = (hi << 8) | a.bytes()[b];
    for (int b = 8; b < 16; ++b) lo = (lo << 8) | a.bytes()[b];
  };
  std::vector<Masked> flat;
  for (uint32_t k = 0; k < w.config.rules.size(); ++k) {
    for (const auto& text : w.config.rules[k].client_cidrs) {
      const IpCidr c = *IpCidr::parse(text);
      Masked m{};
      split(c.network(), m.hi, m.lo);
      const int p = c.prefixLength() + (c.family() == IpAddress::Family::kV4 ? 96 : 0);
      m.mask_hi = p == 0 ? 0 : p >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - p);
      m.mask_lo = p <= 64 ? 0 : p >= 128 ? ~uint64_t{0} : ~uint64_t{0} << (128 - p);
      if (c.family() == IpAddress::Family::kV4) {
        // IPv4 bytes sit in the first four: move them to the low 32 bits like the mask.
        m.lo = m.hi >> 32;
        m.hi = 0;
      }
      m.v6 = c.family() == IpAddress::Family::kV6;
      m.rule = k;
      flat.push_back(m);
    }
  }
  size_t i = 0;
  for (auto _ : state) {
    const IpAddress& client = w.clients[i++ & 4095];
    uint64_t hi, lo;
    split(client, hi, lo);
    const bool v6 = client.family() == IpAddress::Family::kV6;
    if (!v6) {
      lo = hi >> 32;
      hi = 0;
    }
    std::optional<uint32_t> first;
    for (const Masked& m : flat) {
      if (m.v6 == v6 && (hi & m.mask_hi) == m.hi && (lo & m.mask_lo) == m.lo) {
        first = m.rule;  // CIDRs are listed in rule order, so the first hit is the first rule
        break;
      }
    }
    benchmark::DoNotOptimize(first);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LinearScanMasked)->Arg(10)->Arg(1000)->Arg(10000);

// The structure alone, without the policy around it.
void BM_CidrSetSmallestIndex(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), false);
  std::vector<CidrSet::Entry> entries;
  for (uint32_t k = 0; k < w.config.rules.size(); ++k) {
    for (const auto& text : w.config.rules[k].client_cidrs) {
      entries.push_back({*IpCidr::parse(text), k});
    }
  }
  const CidrSet set(entries);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(set.smallestIndexMatching(w.clients[i++ & 4095]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CidrSetSmallestIndex)->Arg(10)->Arg(1000)->Arg(10000);

// What a configuration change costs: parsing and indexing every rule.
void BM_CompilePolicy(benchmark::State& state) {
  const Workload w = makeWorkload(static_cast<size_t>(state.range(0)), false);
  for (auto _ : state) {
    auto policy = authz::AuthzPolicy::compile(w.config);
    benchmark::DoNotOptimize(policy);
  }
}
BENCHMARK(BM_CompilePolicy)->Arg(10)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
