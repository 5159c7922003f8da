// Spec 4.12 path normalization: canonical form, escaped-slash actions, merging, rejections.
// Expected values for canonicalization and merging follow Envoy's own path utility tests.
#include "ctplab/proxy/request/path_normalization.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ctplab/common/splitmix64.h"

namespace ctplab::proxy::request {
namespace {

using Outcome = NormalizedPath::Outcome;
using Pairs = std::vector<std::pair<std::string, std::string>>;

NormalizedPath run(const std::string& path, EscapedSlashesAction action, bool merge = true) {
  return normalizePath(path, {.escaped_slashes = action, .merge_slashes = merge});
}

TEST(RequestPathNormalization, DotSegmentsBackslashesAndEscapesLikeEnvoy) {
  const Pairs cases = {
      {"/xyz", "/xyz"},
      {"/x/y/z", "/x/y/z"},
      {"/a/b/../c", "/a/c"},
      {"/a/b/./c", "/a/b/c"},
      {"/a/..\\c", "/c"},         // a backslash is a slash
      {"/%c0%af", "/%c0%af"},     // escapes of non-ASCII bytes stay, case kept
      {"/%5c%25", "/%5c%25"},     // reserved characters stay escaped
      {"/a/b/%2E%2E/c", "/a/c"},  // escaped dots are dots
      {"/a/b/%2e%2e/c", "/a/c"},
      {"/a/b/%2E./c", "/a/c"},
      {"/a/b/%2E/c", "/a/b/c"},
      {"/A/B/C", "/A/B/C"},            // no case folding
      {"/a/%2F%2f/c", "/a/%2F%2f/c"},  // escaped slashes are not canonicalization's business
      {"/a/b/..", "/a/"},
      {"/a/.b/..c/c..", "/a/.b/..c/c.."},
      {"/a%2eb", "/a.b"},
  };
  for (const auto& [in, out] : cases) {
    const std::optional<std::string> got = canonicalizePath(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, out) << in;
  }
}

TEST(RequestPathNormalization, DotSegmentsNeverClimbAboveTheRoot) {
  const Pairs cases = {
      {"/../a/b", "/a/b"}, {"/./a/b", "/a/b"},     {"/a/b/../../../../c", "/c"}, {"/..", "/"},
      {"/.", "/"},         {"/a/../../b/", "/b/"}, {"/%2e%2e/%2E%2e/x", "/x"}};
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(canonicalizePath(in).value_or("<rejected>"), out) << in;
  }
}

TEST(RequestPathNormalization, PercentEncodingEdgeCases) {
  const Pairs cases = {
      {"/a%2", "/a%2"},               // truncated escape passes through
      {"/a%", "/a%"},                 //
      {"/a%zz", "/a%zz"},             // not hex: passes through
      {"/%41%7e%2D%5f", "/A~-_"},     // unreserved characters are decoded
      {"/%20%22", "/%20%22"},         // others stay escaped as sent
      {"/a\"b{c}", "/a%22b%7Bc%7D"},  // characters that may not appear raw are escaped
      {"/caf\xc3\xa9", "/caf%C3%A9"},
      {"/%%30", "/%0"},      // a stray '%' before a decoded digit...
      {"/%%300", "/%2500"},  // ...is escaped when it would start a new escape
      {"/a?q=%2e%2e/../%00", "/a?q=%2e%2e/../%00"},  // the query is never touched
  };
  for (const auto& [in, out] : cases) {
    EXPECT_EQ(canonicalizePath(in).value_or("<rejected>"), out) << in;
  }
}

TEST(RequestPathNormalization, NulCannotBeCanonicalized) {
  const std::vector<std::string> cases = {"/xyz/.%00../abc", "/xyz/%00.%00./abc",
                                          "/xyz/AAAAA%%0000/abc", std::string("/a\0b", 4)};
  for (const std::string& in : cases) {
    EXPECT_FALSE(canonicalizePath(in).has_value()) << in;
    EXPECT_EQ(run(in, EscapedSlashesAction::kKeepUnchanged).outcome, Outcome::kReject) << in;
  }
}

TEST(RequestPathNormalization, MergeSlashesLikeEnvoy) {
  const Pairs cases = {
      {"/a//b/c/", "/a/b/c/"},
      {"/a", "/a"},
      {"//a/b/c", "/a/b/c"},
      {"/a/b/c//", "/a/b/c/"},
      {"/a////b/c", "/a/b/c"},
      {"/a//b?a=///c", "/a/b?a=///c"},
      {"/a//b?", "/a/b?"},
      {"//a/?b", "/a/?b"},
      {"//", "//"},  // rebuilt as leading + trailing slash, a quirk kept from Envoy
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(mergeSlashes(in), out) << in;
}

TEST(RequestPathNormalization, DisableMergeSlashesKeepsThem) {
  const NormalizedPath kept = run("//a///b", EscapedSlashesAction::kKeepUnchanged, false);
  EXPECT_EQ(kept.outcome, Outcome::kContinue);
  EXPECT_EQ(kept.path, "//a///b");
  EXPECT_EQ(run("//a///b", EscapedSlashesAction::kKeepUnchanged).path, "/a/b");
}

TEST(RequestPathNormalization, KeepUnchangedLeavesEscapedSlashes) {
  const NormalizedPath n = run("/a%2Fb%5cc/%2f..", EscapedSlashesAction::kKeepUnchanged);
  EXPECT_EQ(n.outcome, Outcome::kContinue);
  EXPECT_EQ(n.path, "/a%2Fb%5cc/%2f..");
}

TEST(RequestPathNormalization, RejectRequestRejectsAnyCaseOfEitherEscape) {
  for (const char* in : {"/a%2Fb", "/a%2fb", "/a%5Cb", "/a%5cb"}) {
    EXPECT_EQ(run(in, EscapedSlashesAction::kRejectRequest).outcome, Outcome::kReject) << in;
  }
  // Only the path part counts, and a truncated escape is no escaped slash.
  const NormalizedPath query = run("/a?next=%2F", EscapedSlashesAction::kRejectRequest);
  EXPECT_EQ(query.outcome, Outcome::kContinue);
  EXPECT_EQ(query.path, "/a?next=%2F");
  EXPECT_EQ(run("/a%2", EscapedSlashesAction::kRejectRequest).path, "/a%2");
}

TEST(RequestPathNormalization, UnescapeAndForwardDecodesAndContinues) {
  const NormalizedPath n =
      run("/a%2Fb%5cc%2f%2F..%5Cd?x=%2F", EscapedSlashesAction::kUnescapeAndForward);
  EXPECT_EQ(n.outcome, Outcome::kContinue);
  // "/a/b\c//..\d" → backslashes are slashes, ".." drops the empty segment, then slashes merge.
  EXPECT_EQ(n.path, "/a/b/c/d?x=%2F");
}

TEST(RequestPathNormalization, UnescapeAndRedirectPointsAtTheFinalPath) {
  const NormalizedPath n = run("/a%2F%2Fb/../c?x=%2F", EscapedSlashesAction::kUnescapeAndRedirect);
  EXPECT_EQ(n.outcome, Outcome::kRedirect);
  EXPECT_EQ(n.path, "/a/c?x=%2F");
  const NormalizedPath up = run("/a%2F..%2Fb", EscapedSlashesAction::kUnescapeAndRedirect);
  EXPECT_EQ(up.outcome, Outcome::kRedirect);
  EXPECT_EQ(up.path, "/b");
  // Without escaped slashes the same action just normalizes.
  const NormalizedPath plain = run("/a/./b//c", EscapedSlashesAction::kUnescapeAndRedirect);
  EXPECT_EQ(plain.outcome, Outcome::kContinue);
  EXPECT_EQ(plain.path, "/a/b/c");
}

TEST(RequestPathNormalization, AFragmentIsRejectedUnderEveryAction) {
  for (auto action :
       {EscapedSlashesAction::kKeepUnchanged, EscapedSlashesAction::kRejectRequest,
        EscapedSlashesAction::kUnescapeAndForward, EscapedSlashesAction::kUnescapeAndRedirect}) {
    EXPECT_EQ(run("/a#frag", action).outcome, Outcome::kReject);
    EXPECT_EQ(run("/a?q=1#frag", action).outcome, Outcome::kReject);
  }
}

// The same inputs on every run and platform.
using PathRng = ::ctplab::SplitMix64;

// Paths built from the characters the rules care about, so escapes, dots and slashes collide often.
std::string randomPath(PathRng& rng) {
  static const std::string kAlphabet = std::string("/./.%%2eEfF5cC\\a0339?\"{\x80");
  std::string p = "/";
  const size_t length = rng.below(24);
  for (size_t i = 0; i < length; ++i) p.push_back(kAlphabet[rng.below(kAlphabet.size())]);
  return p;
}

// The forwarded path must be a fixed point: normalizing it again changes nothing, so no later hop
// that normalizes can route it differently.
TEST(RequestPathNormalization, SeededRandomPathsNormalizeToAFixedPoint) {
  PathRng rng(20261126);
  size_t continued = 0;
  for (int n = 0; n < 20000; ++n) {
    const std::string in = randomPath(rng);
    for (auto action :
         {EscapedSlashesAction::kKeepUnchanged, EscapedSlashesAction::kUnescapeAndForward}) {
      const NormalizedPath once = run(in, action);
      if (once.outcome != Outcome::kContinue) continue;
      ++continued;
      const std::string path_part = once.path.substr(0, once.path.find('?'));
      ASSERT_EQ(path_part.front(), '/') << in;
      EXPECT_EQ(path_part.find("/./"), std::string::npos) << in;
      EXPECT_EQ(path_part.find("/../"), std::string::npos) << in;
      // Envoy's merge leaves a bare "//" as it is (see MergeSlashesLikeEnvoy).
      if (path_part != "//") {
        EXPECT_EQ(path_part.find("//"), std::string::npos) << in;
      }
      EXPECT_EQ(path_part.find('\\'), std::string::npos) << in;
      const NormalizedPath twice = run(once.path, action);
      EXPECT_EQ(twice.outcome, Outcome::kContinue) << in;
      EXPECT_EQ(twice.path, once.path) << in;
    }
  }
  EXPECT_GT(continued, 10000u);
}

TEST(RequestPathNormalization, UnescapeSlashesReportsWhetherItFoundAny) {
  std::string a = "/x%2F%5c%2?q=%2F";
  EXPECT_TRUE(unescapeSlashes(a));
  EXPECT_EQ(a, "/x/\\%2?q=%2F");
  std::string b = "/x%41?q=%2F";
  EXPECT_FALSE(unescapeSlashes(b));
  EXPECT_EQ(b, "/x%41?q=%2F");
}

// Paths of letters, digits, '/', '-' and '_' skip the canonicalizer: the answer must be the one
// the full walk gives, with and without a query, with slashes merged or kept.
TEST(RequestPathNormalization, PlainPathsGiveWhatTheCanonicalizerGives) {
  const std::string alphabet = "ab/Z09-_";
  SplitMix64 rng(7);
  for (int n = 0; n < 2000; ++n) {
    std::string path = "/";
    const size_t length = rng.next() % 12;
    for (size_t i = 0; i < length; ++i) path += alphabet[rng.next() % alphabet.size()];
    if (rng.next() % 3 == 0) path += "?q=a//b";
    for (const bool merge : {true, false}) {
      const std::optional<std::string> canonical = canonicalizePath(path);
      ASSERT_TRUE(canonical.has_value()) << path;
      const std::string expected = merge ? mergeSlashes(*canonical) : *canonical;
      const NormalizedPath got = run(path, EscapedSlashesAction::kUnescapeAndRedirect, merge);
      EXPECT_EQ(got.outcome, Outcome::kContinue) << path;
      EXPECT_EQ(got.path, expected) << path << (merge ? " merged" : " kept");
    }
  }
}

}  // namespace
}  // namespace ctplab::proxy::request
