// Test helpers for the identity tests: manifests (inline text or shipped files) translated into a
// Gateway IR, the decision gateway built from it, and hops written in a line.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"
#include "ctplab/simulator/identity/decision_gateway.h"
#include "ctplab/simulator/identity/request_decision.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::identity::testing {

inline std::string shippedFile(const std::string& relative) {
  std::ifstream in(std::string(CTPLAB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << relative;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The only Gateway of the manifests; nullopt (and a test failure) when they do not translate.
inline std::optional<policy::ir::Gateway> translateGateway(const std::vector<std::string>& texts) {
  policy::LoadResult loaded;
  for (size_t i = 0; i < texts.size(); ++i) {
    policy::loadText(texts[i], "manifest" + std::to_string(i), loaded);
  }
  for (const auto& d : loaded.diagnostics.all()) {
    EXPECT_NE(d.severity, policy::Severity::kError) << policy::formatDiagnostic(d);
  }
  policy::TranslateOptions options;
  options.now = TimePoint::fromUnixSeconds(1'780'272'000);
  options.enforce_admission = true;
  auto result = policy::translate(loaded.resources, options);
  EXPECT_EQ(result.irs.size(), 1u);
  if (result.irs.size() != 1) return std::nullopt;
  return result.irs.front();
}

inline std::optional<DecisionGateway> buildGateway(const std::vector<std::string>& texts) {
  auto ir = translateGateway(texts);
  if (!ir) return std::nullopt;
  auto built = DecisionGateway::build(*ir);
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().message);
  if (!built) return std::nullopt;
  return std::move(built).value();
}

// A ClientTrafficPolicy on Gateway `gateway` in `ns` with `spec_body` (indented by 2) after
// targetRefs.
inline std::string policyOn(const std::string& ns, const std::string& gateway,
                            const std::string& spec_body) {
  return "apiVersion: gateway.envoyproxy.io/v1alpha1\n"
         "kind: ClientTrafficPolicy\n"
         "metadata: {name: client-ip, namespace: " +
         ns +
         "}\n"
         "spec:\n"
         "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: " +
         gateway + "}]\n" + spec_body;
}

inline scenario::Hop l7(const std::string& name, const std::string& egress) {
  scenario::Hop h;
  h.name = name;
  h.kind = scenario::Hop::Kind::kL7LoadBalancer;
  h.egress_cidr = egress;
  return h;
}

inline scenario::Hop l4(const std::string& name, const std::string& egress,
                        scenario::Hop::ProxyProtocol pp = scenario::Hop::ProxyProtocol::kNone) {
  scenario::Hop h;
  h.name = name;
  h.kind = scenario::Hop::Kind::kL4LoadBalancer;
  h.egress_cidr = egress;
  h.proxy_protocol = pp;
  return h;
}

inline scenario::Hop nat(const std::string& name, const std::string& egress) {
  scenario::Hop h;
  h.name = name;
  h.kind = scenario::Hop::Kind::kNat;
  h.egress_cidr = egress;
  return h;
}

inline IpAddress ip(const std::string& text) { return IpAddress::parse(text).value(); }

inline RequestDescription request(const std::string& source, const std::string& path,
                                  proxy::http1::HeaderList headers = {}) {
  RequestDescription r;
  r.source = ip(source);
  r.path = path;
  r.host = "www.example.com";
  r.headers = std::move(headers);
  return r;
}

}  // namespace ctplab::sim::identity::testing
