// Bad input classes: each gives one diagnostic line with file:line:column and the field path.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

std::vector<std::string> lines(const std::string& yaml) {
  LoadResult r;
  loadText(yaml, "in.yaml", r);
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.all()) out.push_back(formatDiagnostic(d));
  return out;
}

TEST(Loader, MalformedYamlNamesLineAndColumn) {
  LoadResult r;
  loadText("a: [1, 2\nb: c\n", "bad.yaml", r);
  EXPECT_TRUE(r.unreadable);
  ASSERT_EQ(r.diagnostics.all().size(), 1u);
  EXPECT_EQ(formatDiagnostic(r.diagnostics.all()[0]).rfind("bad.yaml:", 0), 0u);
  EXPECT_NE(formatDiagnostic(r.diagnostics.all()[0]).find("malformed YAML"), std::string::npos);
}

TEST(Loader, UnknownPolicyFieldIsAnError) {
  auto l = lines(testing::policy("p", "2026-01-01T00:00:00Z",
                                 "  targetRefs: [{group: g, kind: Gateway, name: gw}]\n"
                                 "  connection: {bufferLimt: 10}"));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0],
            "in.yaml:7:16: error: ClientTrafficPolicy ns/p: spec.connection.bufferLimt: unknown "
            "field \"bufferLimt\"");
}

TEST(Loader, WrongTypeIsAnError) {
  auto l = lines(testing::policy("p", "2026-01-01T00:00:00Z",
                                 "  targetRefs: [{group: g, kind: Gateway, name: gw}]\n"
                                 "  http3: {}\n  http1: {enableTrailers: sometimes}"));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0],
            "in.yaml:8:27: error: ClientTrafficPolicy ns/p: spec.http1.enableTrailers: expected a "
            "boolean (true or false), found \"sometimes\"");
}

TEST(Loader, MissingRequiredFieldIsAnError) {
  auto l = lines(
      testing::policy("p", "2026-01-01T00:00:00Z", "  targetRefs: [{group: g, kind: Gateway}]"));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].find("spec.targetRefs[0].name: missing required field"), std::string::npos);
}

TEST(Loader, BadQuantityIsAnError) {
  auto l = lines(testing::policy("p", "2026-01-01T00:00:00Z",
                                 "  targetRefs: [{group: g, kind: Gateway, name: gw}]\n"
                                 "  connection: {bufferLimit: 12xb}"));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].find("spec.connection.bufferLimit: quantities must match"), std::string::npos);
}

TEST(Loader, BundleFormatAndCaseInsensitiveKeys) {
  LoadResult r;
  loadText(
      "Gateways:\n- metadata: {name: g, namespace: n}\n  spec: {gatewayClassName: c}\n"
      "clientTrafficPolicies: []\nsomethingElse: []\n",
      "b.yaml", r);
  EXPECT_TRUE(r.resources.bundle_format);
  ASSERT_EQ(r.resources.gateways.size(), 1u);
  ASSERT_EQ(r.diagnostics.all().size(), 1u);
  EXPECT_EQ(r.diagnostics.all()[0].severity, Severity::kWarning);
}

TEST(Loader, UnmodelledKindsAreSkippedWithAWarning) {
  auto l = lines("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].find("warning: Pod x: kind Pod is not read"), std::string::npos);
}

TEST(Loader, MultiDocumentAndListKinds) {
  LoadResult r;
  loadText(std::string("apiVersion: v1\nkind: List\nitems:\n") +
               "- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n---\n" +
               "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n",
           "m.yaml", r);
  EXPECT_FALSE(r.diagnostics.hasErrors());
  EXPECT_EQ(r.resources.namespaces.size(), 2u);
}

}  // namespace
}  // namespace ctplab::policy
