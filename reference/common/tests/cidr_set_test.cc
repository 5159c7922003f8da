// CidrSet against hand-picked edges and against a brute-force scan of random CIDRs.
#include "ctplab/common/cidr_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ctplab/common/splitmix64.h"

namespace ctplab {
namespace {

IpAddress ip(const char* text) { return *IpAddress::parse(text); }

CidrSet makeSet(const std::vector<std::pair<const char*, uint32_t>>& list) {
  std::vector<CidrSet::Entry> entries;
  for (const auto& [text, value] : list) entries.push_back({*IpCidr::parse(text), value});
  return CidrSet(entries);
}

// All values matching `address`, ascending, by repeated smallestIndexMatchingAfter.
std::vector<uint32_t> allMatching(const CidrSet& set, const IpAddress& address) {
  std::vector<uint32_t> out;
  auto v = set.smallestIndexMatching(address);
  while (v) {
    out.push_back(*v);
    v = set.smallestIndexMatchingAfter(address, *v);
  }
  return out;
}

TEST(CidrSet, EmptySetMatchesNothing) {
  for (const CidrSet& set : {CidrSet(), CidrSet(std::vector<CidrSet::Entry>{})}) {
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.longestMatch(ip("10.0.0.1")));
    EXPECT_FALSE(set.smallestIndexMatching(ip("::1")));
    EXPECT_FALSE(set.smallestIndexMatchingAfter(ip("0.0.0.0"), 0));
  }
}

TEST(CidrSet, SlashZeroCoversItsFamilyOnly) {
  CidrSet set = makeSet({{"0.0.0.0/0", 3}});
  EXPECT_EQ(set.longestMatch(ip("0.0.0.0")), 3u);
  EXPECT_EQ(set.longestMatch(ip("255.255.255.255")), 3u);
  EXPECT_FALSE(set.longestMatch(ip("::")));
  CidrSet v6 = makeSet({{"::/0", 4}});
  EXPECT_EQ(v6.smallestIndexMatching(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), 4u);
  EXPECT_EQ(v6.smallestIndexMatching(ip("::")), 4u);
  EXPECT_FALSE(v6.smallestIndexMatching(ip("1.2.3.4")));
}

TEST(CidrSet, HostRoutesMatchExactlyOneAddress) {
  CidrSet set = makeSet({{"192.0.2.7/32", 1},
                         {"255.255.255.255/32", 2},
                         {"0.0.0.0/32", 3},
                         {"2001:db8::7/128", 4},
                         {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 5}});
  EXPECT_EQ(set.longestMatch(ip("192.0.2.7")), 1u);
  EXPECT_FALSE(set.longestMatch(ip("192.0.2.6")));
  EXPECT_FALSE(set.longestMatch(ip("192.0.2.8")));
  EXPECT_EQ(set.longestMatch(ip("255.255.255.255")), 2u);
  EXPECT_FALSE(set.longestMatch(ip("255.255.255.254")));
  EXPECT_EQ(set.longestMatch(ip("0.0.0.0")), 3u);
  EXPECT_FALSE(set.longestMatch(ip("0.0.0.1")));
  EXPECT_EQ(set.longestMatch(ip("2001:db8::7")), 4u);
  EXPECT_FALSE(set.longestMatch(ip("2001:db8::8")));
  EXPECT_FALSE(set.longestMatch(ip("2001:db8::6")));
  EXPECT_EQ(set.longestMatch(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), 5u);
  EXPECT_FALSE(set.longestMatch(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")));
}

TEST(CidrSet, NestedCidrsAnswerLongestAndSmallest) {
  CidrSet set = makeSet({{"10.0.0.0/8", 5}, {"10.1.0.0/16", 2}, {"10.1.2.0/24", 7}});
  EXPECT_EQ(set.longestMatch(ip("10.1.2.3")), 7u);
  EXPECT_EQ(set.smallestIndexMatching(ip("10.1.2.3")), 2u);
  EXPECT_EQ(allMatching(set, ip("10.1.2.3")), (std::vector<uint32_t>{2, 5, 7}));
  EXPECT_EQ(set.longestMatch(ip("10.1.3.3")), 2u);
  EXPECT_EQ(set.longestMatch(ip("10.255.255.255")), 5u);
  EXPECT_EQ(allMatching(set, ip("10.1.255.255")), (std::vector<uint32_t>{2, 5}));
  EXPECT_FALSE(set.longestMatch(ip("11.0.0.0")));
  EXPECT_FALSE(set.longestMatch(ip("9.255.255.255")));
}

TEST(CidrSet, NestedCidrsSharingTheirLastAddress) {
  CidrSet set = makeSet({{"10.0.0.0/8", 1}, {"10.255.0.0/16", 0}, {"10.255.255.0/24", 2}});
  EXPECT_EQ(set.longestMatch(ip("10.255.255.255")), 2u);
  EXPECT_FALSE(set.longestMatch(ip("11.0.0.0")));
  EXPECT_EQ(set.longestMatch(ip("10.254.255.255")), 1u);
  CidrSet host = makeSet(
      {{"10.0.0.0/24", 1}, {"10.0.0.255/32", 0}, {"2001:db8::/127", 3}, {"2001:db8::1/128", 2}});
  EXPECT_EQ(host.longestMatch(ip("10.0.0.255")), 0u);
  EXPECT_EQ(allMatching(host, ip("10.0.0.255")), (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(host.longestMatch(ip("10.0.0.254")), 1u);
  EXPECT_FALSE(host.longestMatch(ip("10.0.1.0")));
  EXPECT_EQ(allMatching(host, ip("2001:db8::1")), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(host.longestMatch(ip("2001:db8::")), 3u);
  EXPECT_FALSE(host.longestMatch(ip("2001:db8::2")));
  CidrSet top = makeSet({{"128.0.0.0/1", 1}, {"255.255.255.0/24", 0}});
  EXPECT_EQ(top.longestMatch(ip("255.255.255.255")), 0u);
  EXPECT_EQ(top.longestMatch(ip("255.255.254.255")), 1u);
}

TEST(CidrSet, RepeatedCidrKeepsItsSmallestValue) {
  CidrSet set = makeSet({{"192.168.1.0/24", 4}, {"192.168.1.0/24", 1}, {"192.168.1.0/24", 4}});
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(set.longestMatch(ip("192.168.1.9")), 1u);
  EXPECT_EQ(allMatching(set, ip("192.168.1.9")), (std::vector<uint32_t>{1, 4}));
}

TEST(CidrSet, Ipv4MappedAddressesAreIpv6) {
  CidrSet set = makeSet({{"10.0.0.0/8", 1}, {"0.0.0.0/0", 2}, {"::ffff:0:0/96", 3}});
  EXPECT_EQ(set.longestMatch(ip("::ffff:10.1.2.3")), 3u);
  EXPECT_EQ(allMatching(set, ip("::ffff:10.1.2.3")), (std::vector<uint32_t>{3}));
  EXPECT_EQ(set.longestMatch(ip("10.1.2.3")), 1u);
}

TEST(CidrSet, Ipv6Prefixes) {
  CidrSet set = makeSet({{"2001:db8::/32", 9},
                         {"2001:db8:0:1::/64", 3},
                         {"2001:db8:0:1:8000::/65", 1},
                         {"fe80::/10", 0}});
  EXPECT_EQ(set.longestMatch(ip("2001:db8:0:1:8000::1")), 1u);
  EXPECT_EQ(set.longestMatch(ip("2001:db8:0:1:7fff::1")), 3u);
  EXPECT_EQ(set.longestMatch(ip("2001:db8:ffff::")), 9u);
  EXPECT_EQ(allMatching(set, ip("2001:db8:0:1:ffff::")), (std::vector<uint32_t>{1, 3, 9}));
  // The /64 and /65 end where the low 64 bits wrap: the next interval starts in the high half.
  EXPECT_EQ(set.longestMatch(ip("2001:db8:0:1:ffff:ffff:ffff:ffff")), 1u);
  EXPECT_EQ(set.longestMatch(ip("2001:db8:0:2::")), 9u);
  EXPECT_EQ(set.longestMatch(ip("febf:ffff::")), 0u);
  EXPECT_FALSE(set.longestMatch(ip("fec0::")));
  EXPECT_FALSE(set.longestMatch(ip("2001:db9::")));
}

// The same inputs on every run and platform.
using Rng = ::ctplab::SplitMix64;

// Random addresses concentrated in a few blocks so that CIDRs nest and overlap often.
std::string randomAddressText(Rng& rng, bool v6) {
  if (!v6) {
    static constexpr uint32_t kBlocks[] = {0x0a000000, 0xc0a80000, 0xac100000, 0x00000000};
    uint32_t a = kBlocks[rng.below(4)] | (static_cast<uint32_t>(rng.next()) >> (8 + rng.below(9)));
    if (rng.below(8) == 0) a = static_cast<uint32_t>(rng.next());
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
           std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
  }
  static constexpr const char* kBlocks[] = {"2001:db8", "fd00:0", "ffff:ffff"};
  std::string text = kBlocks[rng.below(3)];
  static constexpr char kHex[] = "0123456789abcdef";
  const uint32_t random_groups = 1 + rng.below(6);
  for (uint32_t g = 0; g < 6; ++g) {
    text += ':';
    const uint64_t r = g + random_groups >= 6 ? rng.next() : 0;
    for (int d = 0; d < 4; ++d) text += kHex[(r >> (4 * d)) & 15];
  }
  return text;
}

// Anywhere in the address space: mostly misses.
std::string randomAnywhereText(Rng& rng, bool v6) {
  if (!v6) return IpCidr::parse("0.0.0.0/0")->addressAt(rng.next()).toString();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (int g = 0; g < 8; ++g) {
    if (g) text += ':';
    const uint64_t r = rng.next();
    for (int d = 0; d < 4; ++d) text += kHex[(r >> (4 * d)) & 15];
  }
  return text;
}

// Prefix lengths from /8 (/16 for IPv6) to host routes, more of them where rule lists put them.
// Shorter ones would cover every address; /0 has its own test.
int randomPrefix(Rng& rng, bool v6) {
  const uint32_t shortest = v6 ? 16 : 8;
  const uint32_t bits = v6 ? 128 : 32;
  switch (rng.below(4)) {
    case 0:
      return static_cast<int>(shortest + rng.below(bits - shortest + 1));
    case 1:
      return static_cast<int>(bits);
    default:
      return v6 ? 32 + static_cast<int>(rng.below(97)) : 16 + static_cast<int>(rng.below(17));
  }
}

// What CidrSet must agree with: every CIDR checked with IpCidr::contains, in one pass.
struct Expected {
  std::optional<uint32_t> longest;
  std::vector<uint32_t> all;  // ascending, without repeats
};

Expected bruteForce(const std::vector<CidrSet::Entry>& entries, const IpAddress& a) {
  Expected out;
  int best_prefix = -1;
  for (const auto& e : entries) {
    if (!e.cidr.contains(a)) continue;
    out.all.push_back(e.value);
    const int p = e.cidr.prefixLength();
    if (p > best_prefix || (p == best_prefix && e.value < *out.longest)) {
      out.longest = e.value;
      best_prefix = p;
    }
  }
  std::sort(out.all.begin(), out.all.end());
  out.all.erase(std::unique(out.all.begin(), out.all.end()), out.all.end());
  return out;
}

TEST(CidrSet, AgreesWithBruteForceOnRandomCidrs) {
  Rng rng(20240611);
  std::vector<CidrSet::Entry> entries;
  for (uint32_t i = 0; i < 5000; ++i) {
    const bool v6 = rng.below(3) == 0;
    const std::string text =
        randomAddressText(rng, v6) + "/" + std::to_string(randomPrefix(rng, v6));
    auto cidr = IpCidr::parse(text);
    ASSERT_TRUE(cidr) << text;
    // Values repeat now and then so that equal values on different CIDRs are covered too.
    entries.push_back({*cidr, static_cast<uint32_t>(rng.below(6000))});
  }
  CidrSet set(entries);
  ASSERT_EQ(set.size(), 5000u);

  size_t hits = 0, multi = 0, misses = 0;
  for (uint32_t i = 0; i < 20000; ++i) {
    IpAddress a;
    if (i % 2 == 0) {
      // Inside (or at the edge of) a random listed CIDR, so most queries hit something.
      const IpCidr& c = entries[rng.below(5000)].cidr;
      const uint64_t offset = rng.below(4) == 0 ? (rng.below(2) ? 0 : c.size() - 1) : rng.next();
      a = c.addressAt(offset);
    } else if (i % 4 == 1) {
      a = *IpAddress::parse(randomAddressText(rng, rng.below(3) == 0));
    } else {
      a = *IpAddress::parse(randomAnywhereText(rng, rng.below(3) == 0));
    }
    const Expected expected = bruteForce(entries, a);
    hits += !expected.all.empty();
    misses += expected.all.empty();
    multi += expected.all.size() > 1;
    ASSERT_EQ(set.longestMatch(a), expected.longest) << a.toString();
    const std::optional<uint32_t> smallest =
        expected.all.empty() ? std::nullopt : std::optional<uint32_t>(expected.all.front());
    ASSERT_EQ(set.smallestIndexMatching(a), smallest) << a.toString();
    if (i % 3 == 0) {
      ASSERT_EQ(allMatching(set, a), expected.all) << a.toString();
    }
  }
  // The generator must exercise nesting as well as misses.
  EXPECT_GT(hits, 10000u);
  EXPECT_GT(multi, 5000u);
  EXPECT_GT(misses, 2000u);
}

}  // namespace
}  // namespace ctplab
