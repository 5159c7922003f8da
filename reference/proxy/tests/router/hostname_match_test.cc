#include "ctplab/proxy/router/hostname_match.h"

#include <gtest/gtest.h>

#include "ctplab/proxy/router/route_table.h"

namespace ctplab::proxy::router {
namespace {

TEST(HostnameMatch, ExactBeatsWildcardAndLongerWildcardBeatsShorter) {
  EXPECT_GT(hostnameMatchRank("www.example.com", "www.example.com"),
            hostnameMatchRank("*.example.com", "www.example.com"));
  EXPECT_GT(hostnameMatchRank("*.b.example.com", "a.b.example.com"),
            hostnameMatchRank("*.example.com", "a.b.example.com"));
  EXPECT_EQ(hostnameMatchRank("*", "anything"), 1u);
  EXPECT_EQ(hostnameMatchRank("", "anything"), 1u);
}

TEST(HostnameMatch, WildcardNeedsALabelAndCaseIsIgnored) {
  EXPECT_EQ(hostnameMatchRank("*.example.com", "example.com"), 0u);
  EXPECT_GT(hostnameMatchRank("*.example.com", "A.EXAMPLE.com"), 0u);
  EXPECT_GT(hostnameMatchRank("WWW.example.com", "www.EXAMPLE.com"), 0u);
  // Without stripTrailingHostDot a trailing dot makes it another name.
  EXPECT_EQ(hostnameMatchRank("www.example.com", "www.example.com."), 0u);
  EXPECT_EQ(hostnameMatchRank("www.example.com", "ww.example.com"), 0u);
}

TEST(HostnameMatch, BestCandidateTiesToTheFirst) {
  std::vector<std::vector<std::string_view>> candidates = {
      {}, {"*.example.com"}, {"www.example.com", "api.example.com"}, {"api.example.com"}};
  EXPECT_EQ(bestHostnameMatch(candidates, "api.example.com"), 2);
  EXPECT_EQ(bestHostnameMatch(candidates, "x.example.com"), 1);
  EXPECT_EQ(bestHostnameMatch(candidates, "other.org"), 0);
  EXPECT_EQ(bestHostnameMatch({{"a.org"}}, "b.org"), -1);
}

TEST(HostnameMatch, HostWithoutPort) {
  EXPECT_EQ(hostWithoutPort("example.com:8080"), "example.com");
  EXPECT_EQ(hostWithoutPort("example.com.:80"), "example.com.");
  EXPECT_EQ(hostWithoutPort("[::1]:443"), "[::1]");
  EXPECT_EQ(hostWithoutPort("example.com"), "example.com");
}

}  // namespace
}  // namespace ctplab::proxy::router
