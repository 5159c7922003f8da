// The per-request flow the simulator and the live proxy share: detection feeds authorization,
// early answers stop the request, and routing picks the route whose authorization applies.
#include "ctplab/proxy/http_flow/request_flow.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::http_flow {
namespace {

using policy::ir::PathMatch;

policy::ir::Route route(std::string name, std::string path, std::string host = "*") {
  policy::ir::Route r;
  r.name = std::move(name);
  r.hostname = std::move(host);
  r.path_match = PathMatch{PathMatch::Kind::kExact, std::move(path)};
  return r;
}

// AZ-1..AZ-5's listener: numTrustedHops 1, /protected1 default Allow with [Deny .1, Allow .1+.2,
// Allow .2], and an open route.
policy::ir::Listener azListener() {
  policy::ir::Listener l;
  l.name = "ns/gw/http";
  l.protocol = "HTTP";
  l.client_ip_detection = policy::ir::ClientIPDetection{};
  l.client_ip_detection->xff = policy::ir::ClientIPDetection::XForwardedFor{};
  l.client_ip_detection->xff->num_trusted_hops = 1;
  auto p1 = route("p1", "/protected1");
  policy::ir::Authorization a;
  a.default_action = "Allow";
  for (auto [action, cidrs] :
       {std::pair<std::string, std::vector<std::string>>{"Deny", {"192.168.1.0/24"}},
        {"Allow", {"192.168.1.0/24", "192.168.2.0/24"}},
        {"Allow", {"192.168.2.0/24"}}}) {
    policy::ir::AuthorizationRule rule;
    rule.action = action;
    rule.client_cidrs = cidrs;
    a.rules.push_back(rule);
  }
  p1.authorization = a;
  auto open = route("open", "/");
  open.path_match->kind = PathMatch::Kind::kPrefix;
  l.routes = {p1, open};
  l.health_check_path = "/healthz";
  return l;
}

http1::RequestHead get(std::string target, http1::HeaderList headers) {
  http1::RequestHead head;
  head.method = "GET";
  head.target = std::move(target);
  head.headers = std::move(headers);
  head.headers.push_back({"Host", "www.example.com"});
  return head;
}

struct Run {
  HeadOutcome head;
  std::optional<RouteOutcome> routed;
};

Run run(const ListenerFlow& flow, FlowStats stats, http1::RequestHead head) {
  Run r;
  r.head = onRequestHead(flow, stats, *IpAddress::parse("10.0.0.5"), {}, head);
  if (!r.head.reply) r.routed = routeRequest(flow, stats, r.head);
  return r;
}

TEST(RequestFlow, DetectedAddressDecidesTheRoutesAuthorization) {
  const auto listener = azListener();
  auto built = ListenerFlow::fromListener(listener);
  ASSERT_TRUE(built.ok()) << built.error().message;
  const auto& flow = built.value();
  authz::AuthzStats authz_stats;
  FlowStats stats{nullptr, nullptr, &authz_stats};

  auto denied = run(flow, stats, get("/protected1", {{"X-Forwarded-For", "192.168.1.1"}}));
  ASSERT_TRUE(denied.routed);
  EXPECT_EQ(denied.head.detection.client.toString(), "192.168.1.1");
  ASSERT_TRUE(denied.routed->reply);
  EXPECT_EQ(denied.routed->reply->status, 403);
  EXPECT_EQ(denied.routed->reply->body, "RBAC: access denied");
  EXPECT_EQ(denied.routed->authz->rule, 0u);

  auto allowed = run(flow, stats, get("/protected1", {{"X-Forwarded-For", "192.168.2.1"}}));
  EXPECT_FALSE(allowed.routed->reply);
  EXPECT_EQ(allowed.routed->authz->rule, 1u);
  EXPECT_EQ(allowed.routed->route.name, "p1");

  // The open route carries no authorization, whatever the client claims.
  auto open = run(flow, stats, get("/other", {{"X-Forwarded-For", "192.168.1.1"}}));
  EXPECT_FALSE(open.routed->reply);
  EXPECT_FALSE(open.routed->authz);
  EXPECT_EQ(authz_stats.allowed, 1u);
  EXPECT_EQ(authz_stats.denied, 1u);
}

TEST(RequestFlow, ForwardingHeadersAreWrittenIntoTheForwardedHead) {
  const auto listener = azListener();
  const auto flow = ListenerFlow::fromListener(listener).value();
  auto head = get("/other", {{"X-Forwarded-For", "192.168.2.1"}});
  auto outcome = onRequestHead(flow, {}, *IpAddress::parse("10.0.0.5"), {}, head);
  const auto* xff = http1::findHeader(head.headers, "x-forwarded-for");
  ASSERT_NE(xff, nullptr);
  EXPECT_EQ(xff->value, "192.168.2.1,10.0.0.5");
  EXPECT_EQ(outcome.host, "www.example.com");
  EXPECT_EQ(outcome.method, "GET");
}

TEST(RequestFlow, EarlyAnswersStopBeforeRouting) {
  auto listener = azListener();
  listener.client_ip_detection = policy::ir::ClientIPDetection{};
  listener.client_ip_detection->custom_header =
      policy::ir::ClientIPDetection::CustomHeader{"X-Real-IP", true};
  const auto flow = ListenerFlow::fromListener(listener).value();
  client_ip::ClientIpStats ip_stats;
  request::RequestStats request_stats;
  FlowStats stats{&ip_stats, &request_stats, nullptr};

  auto rejected = run(flow, stats, get("/protected1", {}));
  ASSERT_TRUE(rejected.head.reply);
  EXPECT_EQ(rejected.head.reply->status, 403);
  EXPECT_FALSE(rejected.routed);
  EXPECT_EQ(ip_stats.downstream_rq_rejected_via_ip_detection, 1u);

  auto health = run(flow, stats, get("/healthz", {{"X-Real-IP", "192.0.2.1"}}));
  ASSERT_TRUE(health.head.reply);
  EXPECT_EQ(health.head.reply->status, 200);
  EXPECT_FALSE(health.head.reply->count_status);

  auto other_host = get("/x", {{"X-Real-IP", "192.0.2.1"}});
  other_host.headers.back().value = "api.example.com";
  listener.routes.back().hostname = "www.example.com";
  const auto narrow = ListenerFlow::fromListener(listener).value();
  auto no_route = run(narrow, stats, other_host);
  ASSERT_TRUE(no_route.routed);
  EXPECT_EQ(no_route.routed->reply->status, 404);
}

TEST(RequestFlow, Http3PortsAdvertiseThemselvesOnRoutedResponsesOnly) {
  const auto listener = azListener();
  FlowOptions options;
  options.http3_gateway_port = 443;
  const auto flow = ListenerFlow::fromListener(listener, options).value();
  EXPECT_EQ(flow.altSvc(), "h3=\":443\"; ma=86400");

  auto routed = run(flow, {}, get("/other", {}));
  ASSERT_TRUE(routed.routed);
  ASSERT_EQ(routed.routed->response_headers.size(), 1u);
  EXPECT_EQ(routed.routed->response_headers[0].name, "alt-svc");
  EXPECT_EQ(routed.routed->response_headers[0].value, "h3=\":443\"; ma=86400");

  // The router's own 404 is not a route's response.
  auto other_host = get("/x", {});
  auto narrow_listener = listener;
  narrow_listener.routes.back().hostname = "www.example.com";
  const auto narrow = ListenerFlow::fromListener(narrow_listener, options).value();
  other_host.headers.back().value = "api.example.com";
  auto missing = run(narrow, {}, other_host);
  ASSERT_TRUE(missing.routed->reply);
  EXPECT_TRUE(missing.routed->response_headers.empty());

  const auto plain = ListenerFlow::fromListener(listener).value();
  EXPECT_TRUE(plain.altSvc().empty());
  EXPECT_TRUE(run(plain, {}, get("/other", {})).routed->response_headers.empty());
}

}  // namespace
}  // namespace ctplab::proxy::http_flow
