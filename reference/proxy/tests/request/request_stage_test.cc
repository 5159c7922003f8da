// processRequest verdicts and rewrites: order of steps, x-request-id modes, path replies, host
// dot, health check; and the late response rules.
#include "ctplab/proxy/request/request_stage.h"

#include <gtest/gtest.h>

#include <string>

#include "ctplab/proxy/request/response_stage.h"

namespace ctplab::proxy::request {
namespace {

using http1::HeaderList;

constexpr RandomBits128 kBits{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
constexpr char kGeneratedId[] = "01234567-89ab-4def-bedc-ba9876543210";

RequestFields get(std::string path, HeaderList headers = {}) {
  return RequestFields{"GET", std::move(path), "example.com", std::move(headers)};
}

RequestContext edge() { return RequestContext{.request_id_bits = kBits}; }

// By value: callers pass the verdict as a temporary.
Forward forwarded(const RequestVerdict& v) {
  const Forward* f = std::get_if<Forward>(&v);
  EXPECT_NE(f, nullptr);
  return f ? *f : Forward{"<local reply>"};
}

LocalReply replied(const RequestVerdict& v) {
  const LocalReply* r = std::get_if<LocalReply>(&v);
  EXPECT_NE(r, nullptr);
  return r ? *r : LocalReply{};
}

std::string header(const RequestFields& r, std::string_view name) {
  const http1::Header* h = http1::findHeader(r.headers, name);
  return h ? h->value : "<absent>";
}

TEST(RequestStage, DefaultsNormalizeTheRouteAndGenerateAnId) {
  RequestFields r = get("/a/./b//c?q=//x");
  const RequestVerdict v = processRequest({}, edge(), r);
  EXPECT_EQ(forwarded(v).route_path, "/a/b/c");
  EXPECT_EQ(r.path, "/a/b/c?q=//x");
  EXPECT_EQ(r.headers, (HeaderList{{"x-request-id", kGeneratedId}}));
}

TEST(RequestStage, NonRelativePathIs404AndCounted) {
  RequestFields r = get("http://example.com/a");
  const LocalReply reply = replied(processRequest({}, edge(), r));
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.details, "absolute_path_rejected");
  EXPECT_EQ(reply.stat, RequestStat::downstream_rq_non_relative_path);
  EXPECT_TRUE(reply.body.empty());
  RequestFields star = get("*");
  EXPECT_EQ(replied(processRequest({}, edge(), star)).status, 404);
}

TEST(RequestStage, MissingPathAndMissingAuthority) {
  RequestFields empty = get("");
  const LocalReply no_path = replied(processRequest({}, edge(), empty));
  EXPECT_EQ(no_path.status, 404);
  EXPECT_EQ(no_path.details, "missing_path_rejected");
  EXPECT_EQ(no_path.stat, std::nullopt);
  // CONNECT has no path to check.
  RequestFields connect{"CONNECT", "", "example.com:443", {}};
  EXPECT_EQ(forwarded(processRequest({}, edge(), connect)).route_path, "");

  RequestFields hostless{"GET", "/", std::nullopt, {}};
  const LocalReply no_host = replied(processRequest({}, edge(), hostless));
  EXPECT_EQ(no_host.status, 400);
  EXPECT_EQ(no_host.details, "missing_host_header");
  RequestPipelineConfig lenient;
  lenient.require_authority = false;
  RequestFields hostless_again{"GET", "/", std::nullopt, {}};
  EXPECT_EQ(forwarded(processRequest(lenient, edge(), hostless_again)).route_path, "/");
}

TEST(RequestStage, EscapedSlashesRedirectWith307ToTheNormalizedPathAndQuery) {
  RequestFields r = get("/api%2F%2fv1/../users?id=%2F");
  const LocalReply reply = replied(processRequest({}, edge(), r));
  EXPECT_EQ(reply.status, 307);
  EXPECT_EQ(reply.headers, (HeaderList{{"location", "/api/users?id=%2F"}}));
  EXPECT_EQ(reply.stat, RequestStat::downstream_rq_redirected_with_normalized_path);
  EXPECT_EQ(reply.details, "path_normalization_failed");
  EXPECT_TRUE(reply.body.empty());
  EXPECT_FALSE(reply.grpc);
}

TEST(RequestStage, GrpcRequestsGet400InsteadOfARedirect) {
  for (const char* type : {"application/grpc", "application/grpc+proto"}) {
    RequestFields r = get("/pkg.Svc%2FMethod", {{"Content-Type", type}});
    const LocalReply reply = replied(processRequest({}, edge(), r));
    EXPECT_EQ(reply.status, 400) << type;
    EXPECT_EQ(reply.stat, RequestStat::downstream_rq_failed_path_normalization);
    EXPECT_TRUE(reply.grpc);
  }
  RequestFields web = get("/pkg.Svc%2FMethod", {{"content-type", "application/grpc-web"}});
  EXPECT_EQ(replied(processRequest({}, edge(), web)).status, 307);
}

TEST(RequestStage, RejectedAndUncanonicalizablePathsAre400) {
  RequestPipelineConfig reject;
  reject.path.escaped_slashes = EscapedSlashesAction::kRejectRequest;
  for (const char* path : {"/a%2fb", "/a%5Cb"}) {
    RequestFields r = get(path);
    const LocalReply reply = replied(processRequest(reject, edge(), r));
    EXPECT_EQ(reply.status, 400) << path;
    EXPECT_EQ(reply.stat, RequestStat::downstream_rq_failed_path_normalization);
  }
  for (const char* path : {"/a%00b", "/a#top"}) {
    RequestFields r = get(path);
    const LocalReply reply = replied(processRequest({}, edge(), r));
    EXPECT_EQ(reply.status, 400) << path;
    EXPECT_EQ(reply.details, "path_normalization_failed");
    EXPECT_EQ(reply.stat, RequestStat::downstream_rq_failed_path_normalization);
  }
}

TEST(RequestStage, UnescapeAndForwardRoutesOnTheDecodedPath) {
  RequestPipelineConfig c;
  c.path.escaped_slashes = EscapedSlashesAction::kUnescapeAndForward;
  RequestFields r = get("/a%2Fb%5Cc");
  EXPECT_EQ(forwarded(processRequest(c, edge(), r)).route_path, "/a/b/c");
  EXPECT_EQ(r.path, "/a/b/c");
}

TEST(RequestStage, GenerateOverwritesAClientIdOnEdgeRequestsOnly) {
  RequestFields r = get("/", {{"X-Request-Id", "client"}, {"x-request-id", "second"}});
  processRequest({}, edge(), r);
  EXPECT_EQ(r.headers, (HeaderList{{"X-Request-Id", kGeneratedId}}));

  RequestContext trusted_hop = edge();
  trusted_hop.edge_request = false;
  RequestFields kept = get("/", {{"x-request-id", "client"}});
  processRequest({}, trusted_hop, kept);
  EXPECT_EQ(header(kept, "x-request-id"), "client");
  RequestFields missing = get("/");
  processRequest({}, trusted_hop, missing);
  EXPECT_EQ(header(missing, "x-request-id"), kGeneratedId);
}

TEST(RequestStage, PreserveOrGenerateKeepsAClientIdAndFillsAMissingOne) {
  RequestPipelineConfig c;
  c.request_id = RequestIdMode::kPreserveOrGenerate;
  RequestFields with = get("/", {{"x-request-id", "client"}});
  processRequest(c, edge(), with);
  EXPECT_EQ(with.headers, (HeaderList{{"x-request-id", "client"}}));
  RequestFields without = get("/");
  processRequest(c, edge(), without);
  EXPECT_EQ(header(without, "x-request-id"), kGeneratedId);
}

TEST(RequestStage, PreserveAndDisableNeverGenerateAndPassAClientIdThrough) {
  for (RequestIdMode mode : {RequestIdMode::kPreserve, RequestIdMode::kDisable}) {
    RequestPipelineConfig c;
    c.request_id = mode;
    RequestFields with = get("/", {{"x-request-id", "client"}});
    processRequest(c, edge(), with);
    EXPECT_EQ(with.headers, (HeaderList{{"x-request-id", "client"}}));
    RequestFields without = get("/");
    processRequest(c, edge(), without);
    EXPECT_EQ(without.headers, HeaderList{});
  }
}

TEST(RequestStage, EarlyHeaderRulesRunBeforeTheRequestId) {
  auto rules = HeaderRules::compile(
      {.values = {{"x-request-id", {"from-policy"}, HeaderValueRule::Action::kOverwrite}}});
  ASSERT_TRUE(rules.ok());
  RequestPipelineConfig generate;
  generate.early_request_headers = rules.value();
  RequestFields a = get("/");
  processRequest(generate, edge(), a);
  EXPECT_EQ(header(a, "x-request-id"), kGeneratedId);

  RequestPipelineConfig preserve = generate;
  preserve.request_id = RequestIdMode::kPreserveOrGenerate;
  RequestFields b = get("/");
  processRequest(preserve, edge(), b);
  EXPECT_EQ(header(b, "x-request-id"), "from-policy");
}

TEST(RequestStage, EarlyRulesNamingHostLeaveTheAuthorityAlone) {
  auto rules = HeaderRules::compile({.remove = {"host"}});
  ASSERT_TRUE(rules.ok());
  RequestPipelineConfig c;
  c.early_request_headers = rules.value();
  RequestFields r = get("/");
  processRequest(c, edge(), r);
  EXPECT_EQ(r.authority, "example.com");
}

TEST(RequestStage, TrailingHostDotIsStrippedOnlyWhenEnabled) {
  RequestPipelineConfig strip;
  strip.strip_trailing_host_dot = true;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"example.com.", "example.com"},
      {"example.com.:443", "example.com:443"},
      {"example.com", "example.com"},
      {"example.com..", "example.com."},
      {"[::ffff:1.2.3.4]:80", "[::ffff:1.2.3.4]:80"},
      {"localhost:8080", "localhost:8080"}};
  for (const auto& [in, out] : cases) {
    RequestFields r{"GET", "/", in, {}};
    processRequest(strip, edge(), r);
    EXPECT_EQ(r.authority, out) << in;
  }
  RequestFields kept{"GET", "/", "example.com.", {}};
  processRequest({}, edge(), kept);
  EXPECT_EQ(kept.authority, "example.com.");
}

TEST(RequestStage, HealthCheckMatchesTheWholeNormalizedPath) {
  RequestPipelineConfig c;
  c.health_check_path = "/ready";
  for (const char* path : {"/ready", "//ready", "/x/../ready"}) {
    RequestFields r = get(path);
    const LocalReply ok = replied(processRequest(c, edge(), r));
    EXPECT_EQ(ok.status, 200) << path;
    EXPECT_EQ(ok.details, "health_check_ok");
    EXPECT_TRUE(ok.health_check);
    EXPECT_EQ(ok.stat, std::nullopt);
  }
  for (const char* path : {"/ready?full=1", "/ready/", "/readyz", "/Ready"}) {
    RequestFields r = get(path);
    EXPECT_TRUE(std::holds_alternative<Forward>(processRequest(c, edge(), r))) << path;
  }
  RequestPipelineConfig with_query;
  with_query.health_check_path = "/ready?full=1";
  RequestFields q = get("/ready?full=1");
  EXPECT_EQ(replied(processRequest(with_query, edge(), q)).status, 200);
}

TEST(RequestStage, HealthCheckAnswers503WhileDraining) {
  RequestPipelineConfig c;
  c.health_check_path = "/ready";
  RequestContext draining = edge();
  draining.draining = true;
  RequestFields r = get("/ready");
  const LocalReply reply = replied(processRequest(c, draining, r));
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.details, "health_check_failed");
  EXPECT_TRUE(reply.health_check);
  RequestFields other = get("/app");
  EXPECT_TRUE(std::holds_alternative<Forward>(processRequest(c, draining, other)));
}

TEST(RequestStage, LateResponseRulesRewriteTheResponseHead) {
  auto rules = HeaderRules::compile(
      {.values = {{"x-served-by", {"gateway"}, HeaderValueRule::Action::kOverwrite}},
       .remove = {"server"}});
  ASSERT_TRUE(rules.ok());
  RequestPipelineConfig c;
  c.late_response_headers = rules.value();
  http1::ResponseHead response{200, "", {{"Server", "backend"}, {"X-Served-By", "route"}}};
  applyLateResponseHeaders(c, response);
  EXPECT_EQ(response.headers, (HeaderList{{"x-served-by", "gateway"}}));
}

TEST(RequestStage, VerdictStatsFeedTheCountersByName) {
  RequestStats stats;
  RequestFields r = get("relative");
  const LocalReply reply = replied(processRequest({}, edge(), r));
  ASSERT_TRUE(reply.stat.has_value());
  stats.increment(*reply.stat);
  EXPECT_EQ(statName(*reply.stat), "downstream_rq_non_relative_path");
  std::vector<std::string> names;
  stats.forEach([&](std::string_view name, uint64_t value) {
    names.emplace_back(name);
    EXPECT_EQ(value, name == "downstream_rq_non_relative_path" ? 1u : 0u) << name;
  });
  EXPECT_EQ(names, (std::vector<std::string>{"downstream_rq_failed_path_normalization",
                                             "downstream_rq_non_relative_path",
                                             "downstream_rq_redirected_with_normalized_path"}));
}

}  // namespace
}  // namespace ctplab::proxy::request
