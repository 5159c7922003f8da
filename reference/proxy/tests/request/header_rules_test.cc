// Early/late header rules: each kind, their fixed order, de-duplication and compile errors.
#include "ctplab/proxy/request/header_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctplab::proxy::request {
namespace {

using Action = HeaderValueRule::Action;
using http1::HeaderList;

HeaderRules compiled(const HeaderRulesOptions& options) {
  auto rules = HeaderRules::compile(options);
  EXPECT_TRUE(rules.ok()) << (rules.ok() ? "" : rules.error().message);
  return rules.ok() ? rules.value() : HeaderRules();
}

HeaderList applied(const HeaderRulesOptions& options, HeaderList headers) {
  compiled(options).apply(headers);
  return headers;
}

TEST(RequestHeaderRules, AddAppendsAnotherFieldAfterTheClientOnes) {
  HeaderRulesOptions o;
  o.values = {{"X-Tag", {"edge"}, Action::kAppend}};
  EXPECT_EQ(applied(o, {{"x-tag", "client"}, {"accept", "*/*"}}),
            (HeaderList{{"x-tag", "client"}, {"accept", "*/*"}, {"x-tag", "edge"}}));
  EXPECT_EQ(applied(o, {}), (HeaderList{{"x-tag", "edge"}}));
}

TEST(RequestHeaderRules, SetReplacesEveryFieldOfTheName) {
  HeaderRulesOptions o;
  o.values = {{"x-tag", {"edge"}, Action::kOverwrite}};
  EXPECT_EQ(applied(o, {{"X-Tag", "a"}, {"accept", "*/*"}, {"x-tag", "b"}}),
            (HeaderList{{"accept", "*/*"}, {"x-tag", "edge"}}));
}

TEST(RequestHeaderRules, AddIfAbsentOnlyFillsAMissingName) {
  HeaderRulesOptions o;
  o.values = {{"x-default", {"d"}, Action::kAddIfAbsent}};
  EXPECT_EQ(applied(o, {}), (HeaderList{{"x-default", "d"}}));
  EXPECT_EQ(applied(o, {{"X-Default", "client"}}), (HeaderList{{"X-Default", "client"}}));
}

TEST(RequestHeaderRules, RemoveIgnoresCaseAndTakesEveryCopy) {
  HeaderRulesOptions o;
  o.remove = {"X-Secret"};
  EXPECT_EQ(applied(o, {{"x-secret", "1"}, {"keep", "k"}, {"X-SECRET", "2"}}),
            (HeaderList{{"keep", "k"}}));
}

TEST(RequestHeaderRules, RemoveOnMatchExactPrefixSuffixIgnoreCase) {
  HeaderRulesOptions o;
  o.remove_on_match = {{NameMatch::Kind::kExact, "X-Exact"},
                       {NameMatch::Kind::kPrefix, "x-debug-"},
                       {NameMatch::Kind::kSuffix, "-Internal"}};
  EXPECT_EQ(applied(o, {{"x-exact", "1"},
                        {"X-Exactly", "2"},
                        {"X-DEBUG-trace", "3"},
                        {"x-debug", "4"},
                        {"Auth-INTERNAL", "5"},
                        {"internal", "6"}}),
            (HeaderList{{"X-Exactly", "2"}, {"x-debug", "4"}, {"internal", "6"}}));
}

TEST(RequestHeaderRules, RemoveOnMatchRegexMatchesTheWholeLowerCasedName) {
  HeaderRulesOptions o;
  o.remove_on_match = {{NameMatch::Kind::kRegex, "early-removed-regex-.*"}};
  EXPECT_EQ(applied(o, {{"Early-Removed-Regex-Header", "1"},
                        {"x-early-removed-regex-a", "2"},
                        {"early-removed-regex-", "3"}}),
            (HeaderList{{"x-early-removed-regex-a", "2"}}));
  // Names are seen lower-cased, so an upper-case pattern letter never matches (as in Envoy).
  HeaderRulesOptions upper;
  upper.remove_on_match = {{NameMatch::Kind::kRegex, "X-.*"}};
  EXPECT_EQ(applied(upper, {{"X-A", "1"}}), (HeaderList{{"X-A", "1"}}));
}

TEST(RequestHeaderRules, AnOverlongNameFailsClosedUnderARegex) {
  HeaderRulesOptions o;
  o.remove_on_match = {{NameMatch::Kind::kRegex, "x-internal-.*"}};
  const std::string huge = "x-internal-" + std::string(5000, 'a');
  const std::string huge_other = "y-" + std::string(5000, 'a');
  EXPECT_EQ(applied(o, {{huge, "1"}, {huge_other, "2"}, {"ok", "3"}}), (HeaderList{{"ok", "3"}}));
}

TEST(RequestHeaderRules, SetAndRemoveOfOneNameEndsRemoved) {
  HeaderRulesOptions o;
  o.values = {{"x-both", {"set"}, Action::kOverwrite}};
  o.remove = {"x-both"};
  EXPECT_EQ(applied(o, {{"x-both", "client"}}), HeaderList{});
  HeaderRulesOptions by_match;
  by_match.values = {{"x-both", {"added"}, Action::kAppend}};
  by_match.remove_on_match = {{NameMatch::Kind::kPrefix, "x-bo"}};
  EXPECT_EQ(applied(by_match, {}), HeaderList{});
}

TEST(RequestHeaderRules, ANameUsedByAnEarlierRuleIsSkipped) {
  HeaderRulesOptions o;
  o.values = {{"x-one", {"added"}, Action::kAppend},
              {"X-ONE", {"set"}, Action::kOverwrite},
              {"x-two", {"set"}, Action::kOverwrite},
              {"x-two", {"if-absent"}, Action::kAddIfAbsent}};
  const HeaderRules rules = compiled(o);
  ASSERT_EQ(rules.valueRules().size(), 2u);
  HeaderList headers{{"x-one", "client"}};
  rules.apply(headers);
  EXPECT_EQ(headers, (HeaderList{{"x-one", "client"}, {"x-one", "added"}, {"x-two", "set"}}));
}

TEST(RequestHeaderRules, KindsRunAddThenSetThenAddIfAbsentWhateverTheListOrder) {
  HeaderRulesOptions o;
  o.values = {{"x-c", {"3"}, Action::kAddIfAbsent},
              {"x-b", {"2"}, Action::kOverwrite},
              {"x-a", {"1"}, Action::kAppend},
              {"x-a", {"dropped"}, Action::kAddIfAbsent}};
  const HeaderRules rules = compiled(o);
  ASSERT_EQ(rules.valueRules().size(), 3u);
  EXPECT_EQ(rules.valueRules()[0].name, "x-a");
  EXPECT_EQ(rules.valueRules()[1].name, "x-b");
  EXPECT_EQ(rules.valueRules()[2].name, "x-c");
  EXPECT_EQ(applied(o, {}), (HeaderList{{"x-a", "1"}, {"x-b", "2"}, {"x-c", "3"}}));
}

TEST(RequestHeaderRules, AddedNamesAreLowerCasedAndMultiValueSetLeavesAllValues) {
  HeaderRulesOptions o;
  o.values = {{"X-Multi", {"a", "b"}, Action::kOverwrite}};
  EXPECT_EQ(applied(o, {{"x-multi", "old"}}), (HeaderList{{"x-multi", "a"}, {"x-multi", "b"}}));
}

// Upstream e2e HDR-1: early rules against a client that sends all four headers.
TEST(RequestHeaderRules, EarlyRequestHeadersEndToEndExample) {
  HeaderRulesOptions o;
  o.values = {{"early-added-header", {"early"}, Action::kAppend},
              {"early-set-header", {"early"}, Action::kOverwrite}};
  o.remove = {"early-removed-header"};
  o.remove_on_match = {{NameMatch::Kind::kRegex, "early-removed-regex-.*"}};
  EXPECT_EQ(applied(o, {{"early-added-header", "client"},
                        {"early-set-header", "client"},
                        {"early-removed-header", "client"},
                        {"early-removed-regex-header", "client"}}),
            (HeaderList{{"early-added-header", "client"},
                        {"early-added-header", "early"},
                        {"early-set-header", "early"}}));
}

// Upstream e2e HDR-2: late rules after the backend and the route filter have answered.
TEST(RequestHeaderRules, LateResponseHeadersEndToEndExample) {
  HeaderRulesOptions o;
  o.values = {{"late-added-header", {"late"}, Action::kAppend},
              {"late-set-header", {"late"}, Action::kOverwrite},
              {"late-add-if-absent-header", {"late-default"}, Action::kAddIfAbsent},
              {"late-add-if-absent-existing", {"late-default"}, Action::kAddIfAbsent}};
  o.remove = {"late-removed-header"};
  o.remove_on_match = {{NameMatch::Kind::kRegex, "late-removed-regex-.*"}};
  HeaderList response;
  for (const char* name : {"late-added-header", "late-set-header", "late-removed-header",
                           "late-removed-regex-header", "late-add-if-absent-existing"}) {
    response.push_back({name, "backend"});
    response.push_back({name, "filter"});
  }
  compiled(o).apply(response);
  EXPECT_EQ(response, (HeaderList{{"late-added-header", "backend"},
                                  {"late-added-header", "filter"},
                                  {"late-add-if-absent-existing", "backend"},
                                  {"late-add-if-absent-existing", "filter"},
                                  {"late-added-header", "late"},
                                  {"late-set-header", "late"},
                                  {"late-add-if-absent-header", "late-default"}}));
}

TEST(RequestHeaderRules, CompileErrors) {
  struct Case {
    HeaderRulesOptions options;
    std::string error;
  };
  std::vector<Case> cases;
  cases.push_back({{.values = {{"bad:name", {"v"}, Action::kAppend}}},
                   "header rule name \"bad:name\" is not an HTTP token"});
  cases.push_back({{.values = {{"x", {"a\r\nb"}, Action::kOverwrite}}},
                   "header rule \"x\" has a value with CR, LF or NUL"});
  cases.push_back({{.remove = {""}}, "header rules remove an empty name"});
  cases.push_back({{.remove_on_match = {{NameMatch::Kind::kPrefix, ""}}},
                   "removeOnMatch: a matcher has an "
                   "empty value"});
  for (const Case& c : cases) {
    auto rules = HeaderRules::compile(c.options);
    ASSERT_FALSE(rules.ok()) << c.error;
    EXPECT_EQ(rules.error().message, c.error);
  }
  auto regex = HeaderRules::compile({.remove_on_match = {{NameMatch::Kind::kRegex, "(open"}}});
  ASSERT_FALSE(regex.ok());
  EXPECT_EQ(regex.error().message.rfind("removeOnMatch: invalid regex \"(open\"", 0), 0u);
}

TEST(RequestHeaderRules, NoRulesChangeNothing) {
  const HeaderRules none = compiled({});
  EXPECT_TRUE(none.empty());
  HeaderList headers{{"a", "1"}};
  none.apply(headers);
  EXPECT_EQ(headers, (HeaderList{{"a", "1"}}));
}

}  // namespace
}  // namespace ctplab::proxy::request
