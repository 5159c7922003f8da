// RequestPipelineConfig::fromListener: defaults, every mapped IR field, and returned errors.
#include "ctplab/proxy/request/pipeline_config.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::proxy::request {
namespace {

namespace ir = policy::ir;

ir::Listener httpListener() {
  ir::Listener l;
  l.name = "envoy-gateway/gw/http";
  l.protocol = "HTTP";
  return l;
}

ir::StringMatch regexMatch(std::string value) {
  ir::StringMatch m;
  m.safe_regex = std::move(value);
  return m;
}

TEST(RequestPipelineConfig, ListenerWithoutPolicyGetsTheDefaults) {
  auto config = RequestPipelineConfig::fromListener(httpListener());
  ASSERT_TRUE(config.ok());
  const RequestPipelineConfig& c = config.value();
  EXPECT_TRUE(c.early_request_headers.empty());
  EXPECT_TRUE(c.late_response_headers.empty());
  EXPECT_EQ(c.request_id, RequestIdMode::kGenerate);
  EXPECT_EQ(c.path.escaped_slashes, EscapedSlashesAction::kUnescapeAndRedirect);
  EXPECT_TRUE(c.path.merge_slashes);
  EXPECT_FALSE(c.strip_trailing_host_dot);
  EXPECT_EQ(c.health_check_path, std::nullopt);
  EXPECT_FALSE(c.enable_envoy_headers);
  EXPECT_EQ(c.http10_default_host, std::nullopt);
  EXPECT_TRUE(c.require_authority);
}

TEST(RequestPipelineConfig, PolicySettingsCarryOver) {
  ir::Listener l = httpListener();
  l.protocol = "HTTPS";
  l.merge_slashes = false;
  l.escaped_slashes_action = "RejectRequest";
  l.strip_trailing_host_dot = true;
  l.health_check_path = "/ready";
  l.http1.emplace();
  l.http1->has_http10 = true;
  l.http1->http10_default_host = "www.example.com";
  l.headers.emplace();
  l.headers->request_id = "PreserveOrGenerate";
  l.headers->enable_envoy_headers = true;
  // As the translator emits them: add, then set, then addIfAbsent.
  l.headers->early_add_request_headers = {{"early-added", {"early"}, true, false},
                                          {"early-set", {"early"}, false, false},
                                          {"early-default", {"d"}, false, true}};
  l.headers->early_remove_request_headers = {"early-removed"};
  l.headers->early_remove_on_match = {regexMatch("early-removed-regex-.*")};
  l.headers->late_add_response_headers = {{"late-set", {"late"}, false, false}};
  l.headers->late_remove_on_match = {regexMatch("late-.*")};

  auto config = RequestPipelineConfig::fromListener(l);
  ASSERT_TRUE(config.ok()) << config.error().message;
  const RequestPipelineConfig& c = config.value();
  EXPECT_FALSE(c.path.merge_slashes);
  EXPECT_EQ(c.path.escaped_slashes, EscapedSlashesAction::kRejectRequest);
  EXPECT_TRUE(c.strip_trailing_host_dot);
  EXPECT_EQ(c.health_check_path, "/ready");
  EXPECT_EQ(c.http10_default_host, "www.example.com");
  EXPECT_EQ(c.request_id, RequestIdMode::kPreserveOrGenerate);
  EXPECT_TRUE(c.enable_envoy_headers);
  const auto& early = c.early_request_headers.valueRules();
  ASSERT_EQ(early.size(), 3u);
  EXPECT_EQ(early[0].action, HeaderValueRule::Action::kAppend);
  EXPECT_EQ(early[1].action, HeaderValueRule::Action::kOverwrite);
  EXPECT_EQ(early[2].action, HeaderValueRule::Action::kAddIfAbsent);

  http1::HeaderList request{
      {"early-added", "client"}, {"early-removed", "x"}, {"early-removed-regex-1", "y"}};
  c.early_request_headers.apply(request);
  EXPECT_EQ(request, (http1::HeaderList{{"early-added", "client"},
                                        {"early-added", "early"},
                                        {"early-set", "early"},
                                        {"early-default", "d"}}));
  // The late regex also matches the late-set field the rules just added: removals run last.
  http1::HeaderList response{{"content-type", "text/plain"}};
  c.late_response_headers.apply(response);
  EXPECT_EQ(response, (http1::HeaderList{{"content-type", "text/plain"}}));
}

TEST(RequestPipelineConfig, RequestIdStrings) {
  const std::vector<std::pair<std::optional<std::string>, RequestIdMode>> cases = {
      {std::nullopt, RequestIdMode::kGenerate},
      {"Generate", RequestIdMode::kGenerate},
      {"PreserveOrGenerate", RequestIdMode::kPreserveOrGenerate},
      {"Preserve", RequestIdMode::kPreserve},
      {"Disable", RequestIdMode::kDisable}};
  for (const auto& [text, mode] : cases) {
    ir::Listener l = httpListener();
    l.headers.emplace();
    l.headers->request_id = text;
    auto config = RequestPipelineConfig::fromListener(l);
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(config.value().request_id, mode) << text.value_or("<unset>");
  }
}

TEST(RequestPipelineConfig, EscapedSlashesActionStrings) {
  const std::vector<std::pair<std::string, EscapedSlashesAction>> cases = {
      {"KeepUnchanged", EscapedSlashesAction::kKeepUnchanged},
      {"RejectRequest", EscapedSlashesAction::kRejectRequest},
      {"UnescapeAndForward", EscapedSlashesAction::kUnescapeAndForward},
      {"UnescapeAndRedirect", EscapedSlashesAction::kUnescapeAndRedirect}};
  for (const auto& [text, action] : cases) {
    ir::Listener l = httpListener();
    l.escaped_slashes_action = text;
    EXPECT_EQ(RequestPipelineConfig::fromListener(l).value().path.escaped_slashes, action) << text;
  }
}

TEST(RequestPipelineConfig, ErrorsAreReturned) {
  struct Case {
    ir::Listener listener;
    std::string error;
  };
  std::vector<Case> cases;
  ir::Listener tcp = httpListener();
  tcp.protocol = "TCP";
  cases.push_back({tcp,
                   "listener envoy-gateway/gw/http has protocol TCP; only HTTP and HTTPS "
                   "listeners have a request stage"});
  ir::Listener bad_action = httpListener();
  bad_action.escaped_slashes_action = "Sometimes";
  cases.push_back({bad_action, "unknown escapedSlashesAction \"Sometimes\""});
  ir::Listener bad_id = httpListener();
  bad_id.headers.emplace();
  bad_id.headers->request_id = "Always";
  cases.push_back({bad_id, "unknown requestID \"Always\""});
  ir::Listener empty_health = httpListener();
  empty_health.health_check_path = "";
  cases.push_back({empty_health, "healthCheck path is empty"});
  ir::Listener bad_regex = httpListener();
  bad_regex.headers.emplace();
  bad_regex.headers->late_remove_on_match = {regexMatch("(open")};
  cases.push_back({bad_regex, "lateResponseHeaders: removeOnMatch: invalid regex \"(open\""});
  ir::Listener no_matcher = httpListener();
  no_matcher.headers.emplace();
  no_matcher.headers->early_remove_on_match.emplace_back();
  cases.push_back(
      {no_matcher,
       "earlyRequestHeaders: removeOnMatch entry sets no exact, prefix, suffix or regex"});
  ir::Listener bad_name = httpListener();
  bad_name.headers.emplace();
  bad_name.headers->early_add_request_headers = {{"a b", {"v"}, true, false}};
  cases.push_back({bad_name, "earlyRequestHeaders: header rule name \"a b\" is not an HTTP token"});

  for (const Case& c : cases) {
    auto config = RequestPipelineConfig::fromListener(c.listener);
    ASSERT_FALSE(config.ok()) << c.error;
    // Regex errors end with the library's own explanation.
    EXPECT_EQ(config.error().message.substr(0, c.error.size()), c.error);
  }
}

}  // namespace
}  // namespace ctplab::proxy::request
