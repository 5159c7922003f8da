// Translator (controller) validation: one case per error text of spec section 1.6, each asserted
// as the exact condition message Envoy Gateway writes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

// The example manifests: Gateway shop/edge with plain-HTTP listeners on 80 and an HTTPS listener
// `https` whose certificate is valid until 2126.
std::string exampleManifests() {
  std::ifstream in(std::string(CTPLAB_SOURCE_DIR) +
                   "/scenarios/examples/gateway-with-policies.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  // Keep the Gateway, GatewayClass and Secret; drop the example's own policies.
  return text.substr(0, text.find("---\napiVersion: gateway.envoyproxy.io/v1alpha1"));
}

std::string messageFor(const std::string& section, const std::string& spec) {
  std::string policy =
      "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: ClientTrafficPolicy\n"
      "metadata: {name: p, namespace: shop}\nspec:\n"
      "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge, sectionName: " +
      section + "}]\n" + spec + "\n";
  auto r = testing::runYaml(exampleManifests() + policy);
  EXPECT_FALSE(r.loaded.diagnostics.hasErrors());
  const Condition* c = r.condition("p", section, "Accepted");
  return c == nullptr ? "<no Accepted condition>" : c->message;
}

TEST(TranslatorValidation, ExactMessages) {
  const struct {
    const char* section;
    std::string spec;
    const char* message;
  } cases[] = {
      {"https", "  tcpKeepalive: {idleTime: 5x}", "TCP KeepAlive: invalid IdleTime value 5x."},
      {"https", "  tcpKeepalive: {interval: 1y}", "TCP KeepAlive: invalid Interval value 1y."},
      {"https", "  connection: {connectionLimit: {value: 3, closeDelay: 10mib}}",
       "Connection: invalid CloseDelay value 10mib."},
      {"https", "  connection: {connectionLimit: {maxConnectionDuration: 1d}}",
       "Connection: invalid MaxConnectionDuration value 1d."},
      {"https", "  connection: {connectionLimit: {maxStreamDuration: soon}}",
       "Connection: invalid MaxStreamDuration value soon."},
      {"https", "  connection: {bufferLimit: 500m}", "Connection: invalid BufferLimit value 500m."},
      {"https", "  connection: {bufferLimit: 100G}",
       "Connection: BufferLimit value 100G is out of range, must be between 0 and 4294967295."},
      {"https", "  timeout: {tcp: {idleTimeout: 1week}}",
       "Timeout: invalid TCP IdleTimeout value 1week."},
      {"https", "  timeout: {http: {requestReceivedTimeout: 5sec}}",
       "Timeout: invalid HTTP RequestReceivedTimeout value 5sec."},
      {"https", "  timeout: {http: {streamIdleTimeout: x}}",
       "Timeout: invalid HTTP StreamIdleTimeout value x."},
      {"https", "  headers: {maxRequestHeaderLimit: 512}",
       "Headers: MaxRequestHeaderLimit value 512 must be at least 1Ki."},
      {"https", "  headers: {maxRequestHeaderLimit: 8193Ki}",
       "Headers: MaxRequestHeaderLimit value 8193Ki exceeds the maximum of 8192Ki."},
      {"https", "  headers: {earlyRequestHeaders: {set: [{name: 'a:b', value: v}]}}",
       "Headers: EarlyRequestHeaders cannot set a header with a '/' or ':' character in them. "
       "Header: '\"a:b\"'\nEarlyRequestHeaders did not provide valid configuration to "
       "add/set/remove any headers."},
      // Go's %q: a control byte in the name is escaped.
      {"https", "  headers: {earlyRequestHeaders: {add: [{name: \"x/\\t\", value: v}]}}",
       "Headers: EarlyRequestHeaders cannot add a header with a '/' or ':' character in them. "
       "Header: '\"x/\\t\"'\nEarlyRequestHeaders did not provide valid configuration to "
       "add/set/remove any headers."},
      {"https", "  headers: {lateResponseHeaders: {}}",
       "Headers: LateResponseHeaders did not provide valid configuration to add/set/remove any "
       "headers."},
      {"https", "  http1: {http10: {useDefaultHost: true}}",
       "Accepted"},  // the listener hostname is a usable default host
      {"https", "  http2: {initialStreamWindowSize: 1Ki, initialConnectionWindowSize: 1Ti}",
       "HTTP2: InitialStreamWindowSize value 1Ki is out of range, must be between 65535 and "
       "2147483647\nInitialConnectionWindowSize value 1Ti is out of range, must be between 65535 "
       "and 2147483647."},
      {"https", "  http2: {connectionKeepalive: {interval: 5q}}",
       "HTTP2: invalid ConnectionKeepalive.Interval: time: unknown unit \"q\" in duration "
       "\"5q\"."},
      {"https", "  tls: {ciphers: [INVALID-CIPHER]}",
       "TLS: unsupported cipher suite: INVALID-CIPHER."},
      {"https", "  tls: {clientValidation: {mode: VerifyIfGiven}}",
       "TLS: tls.clientValidation.mode \"VerifyIfGiven\" requires caCertificateRefs."},
      {"https", "  tls: {clientValidation: {optional: true}}",
       "TLS: tls.clientValidation.optional=true requires caCertificateRefs (maps to mode "
       "\"VerifyIfGiven\")."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{name: nope}]}}",
       "TLS: failed to get certificate from ref: secret shop/nope does not exist."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{kind: ConfigMap, name: nope}]}}",
       "TLS: failed to get certificate from ref: configmap shop/nope does not exist."},
      {"https",
       "  tls: {clientValidation: {caCertificateRefs: [{kind: ClusterTrustBundle, name: nope}]}}",
       "TLS: failed to get certificate from ref: ref ClusterTrustBundle [nope] not found."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{name: ca, namespace: other}]}}",
       "TLS: failed to get certificate from ref: ref to Secret other/ca not permitted by any "
       "ReferenceGrant."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{group: x, name: ca}]}}",
       "TLS: failed to get certificate from ref: secret ref group must be unspecified/empty."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{kind: Service, name: ca}]}}",
       "TLS: failed to get certificate from ref: unsupported ref kind:Service."},
      {"https", "  tls: {clientValidation: {caCertificateRefs: [{name: www-cert}]}}",
       "TLS: failed to get certificate from ref: ref secret [www-cert] has none of the expected "
       "keys [ca.crt] and more than one entry."},
      {"http-api", "  path: {disableMergeSlashes: true}",
       "ClientTrafficPolicy is being applied to multiple http (non https) listeners "
       "(shop/edge/http-www) on the same port, which is not allowed."},
  };
  for (const auto& c : cases) {
    std::string expected = c.message;
    if (expected == "Accepted") expected = "Policy has been accepted.";
    EXPECT_EQ(messageFor(c.section, c.spec), expected) << c.spec;
  }
}

TEST(TranslatorValidation, FailedPolicyTurnsRoutesInto500s) {
  auto r = testing::runYaml(exampleManifests() + R"(
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  rules: [{}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: p, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: edge, sectionName: https}]
  healthCheck: {path: /healthz}
  connection: {bufferLimit: 100G}
)");
  const ir::Listener* l = r.listener("shop/edge/https");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->routes.size(), 1u);
  EXPECT_TRUE(l->routes[0].direct_response_500);
  // Settings applied before the failing step stay, as upstream leaves them.
  EXPECT_EQ(l->health_check_path.value_or(""), "/healthz");
  EXPECT_FALSE(l->connection.has_value());
}

}  // namespace
}  // namespace ctplab::policy

namespace ctplab::policy {
namespace {

TEST(TranslatorValidation, UdpListenersIgnoreThePolicyEvenWhenInvalid) {
  auto r = testing::runYaml(R"(
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ns}
spec: {gatewayClassName: eg, listeners: [{name: dns, protocol: UDP, port: 53}]}
)" + testing::policy("p", "2026-01-01T00:00:00Z",
                     "  targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]\n"
                     "  connection: {bufferLimit: 100G}"));
  EXPECT_EQ(r.condition("p", "", "Accepted")->message, "Policy has been accepted.");
  const ir::Listener* l = r.listener("ns/gw/dns");
  ASSERT_NE(l, nullptr);
  EXPECT_FALSE(l->connection.has_value());
}

}  // namespace
}  // namespace ctplab::policy
