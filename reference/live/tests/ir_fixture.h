// Test helper: manifests as YAML text → the policy engine's translation, whose IR the live
// driver's plan and stats are built from.
#pragma once

#include <memory>
#include <string>

#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"

namespace ctplab::live::testing {

struct Translated {
  policy::LoadResult loaded;
  policy::TranslationResult result;
  const policy::ir::Gateway& gateway() const { return result.irs.front(); }
};

// Kept on the heap: the IR points into the loaded resources, which must not move.
inline std::unique_ptr<Translated> translateYaml(const std::string& yaml) {
  auto t = std::make_unique<Translated>();
  policy::loadText(yaml, "test.yaml", t->loaded);
  policy::TranslateOptions options;
  options.now = TimePoint::fromUnixSeconds(1'780'000'000);
  options.enforce_admission = true;
  t->result = policy::translate(t->loaded.resources, options);
  return t;
}

// One plain-HTTP listener on port 80 and an HTTPS one on 443, a route to `/`, and a policy with
// a connection limit and PROXY protocol on the HTTP listener.
inline constexpr const char* kGatewayYaml = R"(
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: eg
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - name: https
    protocol: HTTPS
    port: 443
    hostname: www.example.com
    tls:
      certificateRefs: [{name: www-cert}]
---
# A self-signed EC P-256 certificate for www.example.com, valid 2020-01-01 to 2126-01-01.
apiVersion: v1
kind: Secret
metadata: {name: www-cert, namespace: default}
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJsVENDQVR1Z0F3SUJBZ0lCQVRBS0JnZ3Foa2pPUFFRREFqQWFNUmd3RmdZRFZRUUREQTkzZDNjdVpYaGgKYlhCc1pTNWpiMjB3SUJjTk1qQXdNVEF4TURBd01EQXdXaGdQTWpFeU5qQXhNREV3TURBd01EQmFNQm94R0RBVwpCZ05WQkFNTUQzZDNkeTVsZUdGdGNHeGxMbU52YlRCWk1CTUdCeXFHU000OUFnRUdDQ3FHU000OUF3RUhBMElBCkJGaFg3U1Jodlh6ZnBVYm5oWi9OdkRWQmJra1R0d0dPM2thNmd1VVVqcDBtWkxsWDlCQ09rdEt4bXRVVWg0djAKQm1EZ0ZLNER5QnlhTlh0elZXaEV5bnVqY0RCdU1Cb0dBMVVkRVFRVE1CR0NEM2QzZHk1bGVHRnRjR3hsTG1OdgpiVEFNQmdOVkhSTUJBZjhFQWpBQU1BNEdBMVVkRHdFQi93UUVBd0lIZ0RBVEJnTlZIU1VFRERBS0JnZ3JCZ0VGCkJRY0RBVEFkQmdOVkhRNEVGZ1FVRzI3SmVESFd0dUFmS0xmYTRjRTlJRTNLUFdJd0NnWUlLb1pJemowRUF3SUQKU0FBd1JRSWhBT1JOR3dBYkNuRHNXanpTRjVMaHFOZk9PZ0FlQTVoNlllcHArMS9iREFUNUFpQTFhNjNHRktkVwpWeHphaGJCUHB4UmkyVUtac05JTkgwVGFtNVRaTUdob3NRPT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JR0hBZ0VBTUJNR0J5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEJHMHdhd0lCQVFRZ0FQZEo2M3JrZUhadG0zMW0KU2ZkUC9VdytqT1ErK2ZpdHdBT2JkZ20rM1BlaFJBTkNBQVJZViswa1liMTgzNlZHNTRXZnpidzFRVzVKRTdjQgpqdDVHdW9MbEZJNmRKbVM1Vi9RUWpwTFNzWnJWRkllTDlBWmc0QlN1QThnY21qVjdjMVZvUk1wNwotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: {name: limits, namespace: default}
spec:
  targetRefs:
  - {group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: http}
  enableProxyProtocol: true
  connection:
    connectionLimit: {value: 2}
  tcpKeepalive: {idleTime: 60s}
)";

}  // namespace ctplab::live::testing
