// Rng tests: fixed expected outputs (the cross-platform determinism contract), independence of
// entity streams, and the shape of each draw.
#include "ctplab/simulator/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "ctplab/simulator/portable_log.h"

namespace ctplab::sim {
namespace {

// Expected values come from an independent Python implementation of SplitMix64, xoshiro256**,
// FNV-1a and Lemire's method; SplitMix64(1234567) is also the widely published test vector.
TEST(SplitMix64Test, MatchesPublishedVector) {
  SplitMix64 sm(1234567);
  EXPECT_EQ(sm.next(), 6457827717110365317u);
  EXPECT_EQ(sm.next(), 3203168211198807973u);
  EXPECT_EQ(sm.next(), 9817491932198370423u);
  EXPECT_EQ(sm.next(), 4593380528125082431u);
  EXPECT_EQ(sm.next(), 16408922859458223821u);
}

TEST(RngTest, XoshiroOutputIsFixed) {
  Rng rng(42);
  EXPECT_EQ(rng.next(), 0x15780b2e0c2ec716u);
  EXPECT_EQ(rng.next(), 0x6104d9866d113a7eu);
  EXPECT_EQ(rng.next(), 0xae17533239e499a1u);
  EXPECT_EQ(rng.next(), 0xecb8ad4703b360a1u);
}

TEST(RngTest, EntityIdIsFnv1a) {
  EXPECT_EQ(entityId(""), 0xcbf29ce484222325u);
  EXPECT_EQ(entityId("a"), 0xaf63dc4c8601ec8cu);
  EXPECT_EQ(entityId("client-1"), 0xb61de2d208d36e08u);
  static_assert(entityId("a") == 0xaf63dc4c8601ec8cu, "usable at compile time");
}

TEST(RngTest, EntityStreamIsFixed) {
  Rng rng = Rng::forEntity(7, entityId("client-1"));
  EXPECT_EQ(rng.next(), 0x76a6ab409fea4afau);
  EXPECT_EQ(rng.next(), 0x6c401ec6d360feadu);
  EXPECT_EQ(rng.next(), 0x638f7d54d7f0c07au);
}

TEST(RngTest, EntityStreamsDiffer) {
  // Neighbouring seeds and ids, and their swaps, must all give different streams.
  std::vector<uint64_t> firsts;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    for (uint64_t id = 0; id < 4; ++id) firsts.push_back(Rng::forEntity(seed, id).next());
  }
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    for (std::size_t j = i + 1; j < firsts.size(); ++j) EXPECT_NE(firsts[i], firsts[j]);
  }
}

TEST(RngTest, SameSeedSameStream) {
  Rng a = Rng::forEntity(123, 456);
  Rng b = Rng::forEntity(123, 456);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(RngTest, Uniform01IsFixedAndInRange) {
  Rng rng(5);
  EXPECT_EQ(rng.uniform01(), 0.2884112281702357);
  EXPECT_EQ(rng.uniform01(), 0.6020823331320106);
  EXPECT_EQ(rng.uniform01(), 0.6495467305510222);
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(RngTest, UniformBelowIsFixedAndUnbiased) {
  Rng rng(2024);
  const std::vector<uint64_t> expected = {0, 7, 0, 1, 7, 2, 3, 2, 5, 0, 7, 9};
  for (uint64_t value : expected) EXPECT_EQ(rng.uniformBelow(10), value);

  std::vector<int> counts(6, 0);
  constexpr int kDraws = 600000;
  for (int i = 0; i < kDraws; ++i) ++counts[rng.uniformBelow(6)];
  for (int count : counts) EXPECT_NEAR(count, kDraws / 6, 1500);  // About 5 sigma.
}

TEST(RngTest, UniformIntCoversBothEnds) {
  Rng rng(9);
  bool saw_lo = false;
  bool saw_hi = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = rng.uniformInt(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    saw_lo |= v == -2;
    saw_hi |= v == 2;
  }
  EXPECT_TRUE(saw_lo);
  EXPECT_TRUE(saw_hi);
  EXPECT_EQ(rng.uniformInt(5, 5), 5);
  // The full int64 range must not overflow the span computation.
  (void)rng.uniformInt(INT64_MIN, INT64_MAX);
}

TEST(RngTest, ExponentialIsFixed) {
  // Bit-exact values are the determinism contract; portableLog is not libm's log, so they may
  // differ from a libm-based computation (Python's, in the second column) in the last ulp.
  struct Expected {
    double ours;
    double libm;
  };
  const Expected expected[] = {{105.3532265926213, 105.3532265926213},
                               {57.270098362163012, 57.27009836216301},
                               {97.22936240605857, 97.22936240605856},
                               {15.591955063401899, 15.5919550634019},
                               {24.085962596399586, 24.085962596399586}};
  Rng rng(99);
  for (const Expected& e : expected) {
    const double draw = rng.exponential(100.0);
    EXPECT_EQ(draw, e.ours);
    EXPECT_NEAR(draw, e.libm, e.libm * 1e-15);
  }
  EXPECT_EQ(Rng(3).exponential(Duration::microseconds(10)).ns(), 3701);
}

TEST(RngTest, ExponentialMeanAndDuration) {
  Rng rng(11);
  constexpr int kDraws = 200000;
  double sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double d = rng.exponential(100.0);
    ASSERT_GE(d, 0.0);
    sum += d;
  }
  EXPECT_NEAR(sum / kDraws, 100.0, 1.5);  // Standard error is 0.22.

  Rng a(3);
  Rng b(3);
  const Duration d = a.exponential(Duration::microseconds(10));
  EXPECT_EQ(d.ns(), std::llround(b.exponential(10'000.0)));
}

// fdlibm and glibc are both within 1 ulp of the true value, so they differ by at most one step.
bool withinOneUlp(double a, double b) { return a == b || std::nextafter(a, b) == b; }

TEST(PortableLogTest, MatchesLibmWithinOneUlp) {
  const double inputs[] = {1.0,          2.0,     0.5,      1e-300, 4.9406564584124654e-324,
                           0x1p-53,      0.99999, 1.000001, 1e300,  3.0,
                           10.0,         0.1,     0.7071,   1.4142, 123456.789,
                           1.0 + 0x1p-30};
  for (double x : inputs) EXPECT_TRUE(withinOneUlp(portableLog(x), std::log(x))) << "x=" << x;
  EXPECT_EQ(portableLog(1.0), 0.0);
  Rng rng(1);
  for (int i = 0; i < 200000; ++i) {
    const double x = static_cast<double>((rng.next() >> 11) + 1) * 0x1p-53;
    ASSERT_TRUE(withinOneUlp(portableLog(x), std::log(x))) << "x=" << x;
  }
}

}  // namespace
}  // namespace ctplab::sim
