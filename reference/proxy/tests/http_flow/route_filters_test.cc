// A route's filters in Envoy's order on top of routing: JWT authentication (401 before RBAC),
// RBAC with JWT principals, the local rate limit (429 after RBAC) and the headers each adds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctplab/proxy/http_flow/request_flow.h"
#include "ctplab/proxy/jwt/jwt_signer.h"

namespace ctplab::proxy::http_flow {
namespace {

using policy::ir::PathMatch;

policy::ir::Listener listenerWith(policy::ir::Route route) {
  policy::ir::Listener l;
  l.name = "ns/gw/http";
  l.protocol = "HTTP";
  l.client_ip_detection = policy::ir::ClientIPDetection{};
  l.client_ip_detection->xff = policy::ir::ClientIPDetection::XForwardedFor{};
  l.client_ip_detection->xff->num_trusted_hops = 1;
  route.name = "r";
  route.hostname = "*";
  route.path_match = PathMatch{PathMatch::Kind::kPrefix, "/"};
  l.routes = {std::move(route)};
  return l;
}

policy::ir::RateLimitRule rule(uint32_t requests, std::string unit) {
  policy::ir::RateLimitRule r;
  r.name = "ns/btp/rule/0";
  r.limit.requests = requests;
  r.limit.unit = std::move(unit);
  return r;
}

policy::ir::Route limitedRoute(policy::ir::LocalRateLimit local) {
  policy::ir::Route r;
  r.rate_limit = policy::ir::RateLimit{};
  r.rate_limit->local = std::move(local);
  r.rate_limit->policy = "ns/btp";
  return r;
}

struct Client {
  const ListenerFlow& flow;
  ListenerState& state;
  FlowStats stats;

  struct Answer {
    RouteOutcome routed;
    http1::RequestHead forwarded;
  };
  Answer get(std::string path, http1::HeaderList headers, int64_t at_seconds = 0) {
    http1::RequestHead head;
    head.method = "GET";
    head.target = std::move(path);
    head.headers = std::move(headers);
    head.headers.push_back({"Host", "www.example.com"});
    auto outcome = onRequestHead(flow, stats, *IpAddress::parse("10.0.0.5"), {}, head);
    EXPECT_FALSE(outcome.reply);
    RouteContext context{TimePoint() + Duration::seconds(at_seconds), &state, &head};
    Answer a{routeRequest(flow, stats, outcome, context), {}};
    a.forwarded = std::move(head);
    return a;
  }
};

std::string header(const http1::HeaderList& headers, std::string_view name) {
  const auto* h = http1::findHeader(headers, name);
  return h == nullptr ? "<absent>" : h->value;
}

TEST(RouteFilters, LocalDefaultBucketCountsDownThenAnswers429WithItsHeaders) {
  policy::ir::LocalRateLimit local;
  local.default_limit = {3, "Hour", {}};
  const auto listener = listenerWith(limitedRoute(local));
  const auto flow = ListenerFlow::fromListener(listener).value();
  ListenerState state(flow.routeFilters());
  ratelimit::RateLimitStats rl;
  Client client{flow, state, FlowStats{nullptr, nullptr, nullptr, nullptr, &rl}};
  for (int i = 0; i < 3; ++i) {
    auto a = client.get("/", {});
    ASSERT_FALSE(a.routed.reply) << i;
    EXPECT_EQ(header(a.routed.response_headers, "x-ratelimit-limit"), "3");
    EXPECT_EQ(header(a.routed.response_headers, "x-ratelimit-remaining"), std::to_string(2 - i));
  }
  auto limited = client.get("/", {});
  ASSERT_TRUE(limited.routed.reply);
  EXPECT_EQ(limited.routed.reply->status, 429);
  EXPECT_EQ(limited.routed.reply->body, "local_rate_limited");
  EXPECT_EQ(header(limited.routed.reply->headers, "x-ratelimit-remaining"), "0");
  EXPECT_EQ(header(limited.routed.reply->headers, "content-length"), "<absent>");
  EXPECT_EQ(rl.ok, 3u);
  EXPECT_EQ(rl.enforced, 1u);
  // Another proxy instance has buckets of its own, as each Envoy replica does.
  ListenerState other(flow.routeFilters());
  Client second{flow, other, {}};
  EXPECT_FALSE(second.get("/", {}).routed.reply);
}

TEST(RouteFilters, DistinctSourceCidrKeysOnTheDetectedClientAddress) {
  policy::ir::LocalRateLimit local;
  local.default_limit = {10, "Hour", {}};
  auto per_ip = rule(3, "Hour");
  per_ip.cidr_match = policy::ir::CIDRMatch{"0.0.0.0", 0, false, true, false};
  local.rules = {per_ip};
  const auto listener = listenerWith(limitedRoute(local));
  const auto flow = ListenerFlow::fromListener(listener).value();
  ListenerState state(flow.routeFilters());
  Client client{flow, state, {}};
  for (const char* ip : {"192.168.1.1", "192.168.1.2"}) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_FALSE(client.get("/", {{"X-Forwarded-For", ip}}).routed.reply) << ip << " " << i;
    }
    auto limited = client.get("/", {{"X-Forwarded-For", ip}});
    ASSERT_TRUE(limited.routed.reply) << ip;
    EXPECT_EQ(header(limited.routed.reply->headers, "x-ratelimit-limit"), "3");
  }
}

TEST(RouteFilters, DisabledRateLimitHeadersStillLimit) {
  policy::ir::LocalRateLimit local;
  local.default_limit = {1, "Minute", {}};
  auto listener = listenerWith(limitedRoute(local));
  listener.headers = policy::ir::HeaderSettings{};
  listener.headers->disable_rate_limit_headers = true;
  const auto flow = ListenerFlow::fromListener(listener).value();
  ListenerState state(flow.routeFilters());
  Client client{flow, state, {}};
  auto first = client.get("/", {});
  EXPECT_FALSE(first.routed.reply);
  EXPECT_EQ(header(first.routed.response_headers, "x-ratelimit-limit"), "<absent>");
  auto second = client.get("/", {});
  ASSERT_TRUE(second.routed.reply);
  EXPECT_EQ(second.routed.reply->status, 429);
  EXPECT_EQ(header(second.routed.reply->headers, "x-ratelimit-limit"), "<absent>");
  // A full unit later the bucket is full again.
  EXPECT_FALSE(client.get("/", {}, 60).routed.reply);
}

TEST(RouteFilters, WithoutAProxyInstanceTheFiltersDoNotRun) {
  policy::ir::LocalRateLimit local;
  local.default_limit = {0, "Second", {}};
  const auto listener = listenerWith(limitedRoute(local));
  const auto flow = ListenerFlow::fromListener(listener).value();
  http1::RequestHead head;
  head.method = "GET";
  head.target = "/";
  head.headers = {{"Host", "a"}};
  auto outcome = onRequestHead(flow, {}, *IpAddress::parse("10.0.0.5"), {}, head);
  auto routed = routeRequest(flow, {}, outcome);
  EXPECT_FALSE(routed.reply);
  EXPECT_FALSE(routed.rate_limit);
}

TEST(RouteFilters, InvalidRateLimitNamesTheRouteAndPolicy) {
  policy::ir::LocalRateLimit local;
  local.default_limit = {10, "Minute", {}};
  auto per_ip = rule(3, "Second");  // not a multiple of the default's unit
  per_ip.cidr_match = policy::ir::CIDRMatch{"10.0.0.0", 8, false, true, false};
  local.rules = {per_ip};
  const auto built = ListenerFlow::fromListener(listenerWith(limitedRoute(local)));
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.error().message.find("route r: BackendTrafficPolicy ns/btp: "), std::string::npos)
      << built.error().message;
  EXPECT_NE(built.error().message.find("multiple of the default limit unit"), std::string::npos);
}

class JwtRoute : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = jwt::SigningKey::generate("RS256", "k1");
    ASSERT_TRUE(key.ok()) << key.error().message;
    key_.emplace(std::move(key).value());
    policy::ir::Route route;
    route.jwt = policy::ir::JWT{};
    route.jwt->policy = "ns/sp";
    policy::ir::JWTProvider provider;
    provider.name = "example";
    provider.issuer = "https://issuer.example";
    provider.local_jwks = jwt::jwksJson({&*key_});
    provider.claim_to_headers = {{"x-user", "sub"}};
    route.jwt->providers = {provider};
    policy::ir::Authorization authz;
    authz.default_action = "Deny";
    policy::ir::AuthorizationRule admins;
    admins.action = "Allow";
    admins.jwt = policy::ir::JWTPrincipal{"example", true, {{"role", "String", {"admin"}}}, {}};
    authz.rules = {admins};
    route.authorization = authz;
    listener_ = listenerWith(route);
    auto flow = ListenerFlow::fromListener(listener_);
    ASSERT_TRUE(flow.ok()) << flow.error().message;
    flow_.emplace(std::move(flow).value());
    state_.emplace(flow_->routeFilters());
  }
  std::string token(const std::string& role, int64_t exp = 4102444800) {
    return key_->sign(
        {{"iss", "https://issuer.example"}, {"sub", "alice"}, {"role", role}, {"exp", exp}});
  }

  std::optional<jwt::SigningKey> key_;
  policy::ir::Listener listener_;
  std::optional<ListenerFlow> flow_;
  std::optional<ListenerState> state_;
  jwt::JwtStats jwt_stats_;
  authz::AuthzStats authz_stats_;
};

TEST_F(JwtRoute, MissingTokenIs401BeforeAuthorization) {
  Client client{*flow_, *state_, FlowStats{nullptr, nullptr, &authz_stats_, &jwt_stats_, nullptr}};
  auto a = client.get("/", {});
  ASSERT_TRUE(a.routed.reply);
  EXPECT_EQ(a.routed.reply->status, 401);
  EXPECT_EQ(a.routed.reply->body, "Jwt is missing");
  EXPECT_EQ(header(a.routed.reply->headers, "www-authenticate"),
            "Bearer realm=\"http://www.example.com/\"");
  EXPECT_FALSE(a.routed.authz);
  EXPECT_EQ(jwt_stats_.denied, 1u);
  EXPECT_EQ(authz_stats_.allowed + authz_stats_.denied, 0u);
}

TEST_F(JwtRoute, ClaimsDecideAuthorizationAndReachTheBackendAsHeaders) {
  Client client{*flow_, *state_, FlowStats{nullptr, nullptr, &authz_stats_, &jwt_stats_, nullptr}};
  auto admin = client.get("/", {{"Authorization", "Bearer " + token("admin")}});
  EXPECT_FALSE(admin.routed.reply);
  EXPECT_EQ(header(admin.forwarded.headers, "x-user"), "alice");
  auto user = client.get("/", {{"Authorization", "Bearer " + token("user")}});
  ASSERT_TRUE(user.routed.reply);
  EXPECT_EQ(user.routed.reply->status, 403);
  EXPECT_EQ(user.routed.reply->body, "RBAC: access denied");
  // A client cannot forge the claim header.
  auto forged =
      client.get("/", {{"Authorization", "Bearer " + token("admin")}, {"x-user", "root"}});
  EXPECT_EQ(header(forged.forwarded.headers, "x-user"), "alice");
  EXPECT_EQ(jwt_stats_.allowed, 3u);
  EXPECT_EQ(jwt_stats_.signature_verifications, 3u);
}

TEST_F(JwtRoute, ExpiredTokenIs401WithTheInvalidTokenChallenge) {
  Client client{*flow_, *state_, {}};
  // exp at t=100 s; Envoy allows 60 s of skew, so 160 s passes and 161 s does not.
  const std::string t = token("admin", 100);
  EXPECT_FALSE(client.get("/", {{"Authorization", "Bearer " + t}}, 160).routed.reply);
  auto late = client.get("/", {{"Authorization", "Bearer " + t}}, 161);
  ASSERT_TRUE(late.routed.reply);
  EXPECT_EQ(late.routed.reply->status, 401);
  EXPECT_EQ(late.routed.reply->body, "Jwt is expired");
  EXPECT_NE(header(late.routed.reply->headers, "www-authenticate").find("error=\"invalid_token\""),
            std::string::npos);
}

}  // namespace
}  // namespace ctplab::proxy::http_flow
