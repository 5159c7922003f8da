// LatencyHistogram tests: percentiles against exact nearest-rank percentiles of sorted random
// data, bucket boundaries, exact extremes, clamping, merging, memory.
#include "ctplab/simulator/results/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "ctplab/simulator/rng.h"

namespace ctplab::sim::results {
namespace {

Duration ns(int64_t v) { return Duration::nanoseconds(v); }

// Log-uniform values over [lo, hi): every power of two in the range gets a similar share.
std::vector<int64_t> logUniform(uint64_t seed, std::size_t n, double lo, double hi) {
  SplitMix64 rng(seed);
  std::vector<int64_t> values;
  values.reserve(n);
  const double span = std::log(hi / lo);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    values.push_back(static_cast<int64_t>(lo * std::exp(u * span)));
  }
  return values;
}

// Nearest rank in integers: rank = ceil(p * n / 100), with p given in hundredths of a percent.
int64_t exactPercentile(const std::vector<int64_t>& sorted, int64_t p_hundredths) {
  const auto n = static_cast<int64_t>(sorted.size());
  const int64_t rank = std::max<int64_t>(1, (p_hundredths * n + 9999) / 10000);
  return sorted[static_cast<std::size_t>(rank - 1)];
}

std::vector<std::tuple<int64_t, int64_t, uint64_t>> buckets(const LatencyHistogram& h) {
  std::vector<std::tuple<int64_t, int64_t, uint64_t>> out;
  h.forEachBucket(
      [&](Duration lo, Duration hi, uint64_t n) { out.emplace_back(lo.ns(), hi.ns(), n); });
  return out;
}

constexpr int64_t kPercentiles[] = {1, 10, 100, 1000, 2500, 5000, 7500, 9000, 9900, 9990, 9999};

TEST(LatencyHistogramTest, EmptyHistogramReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), ns(0));
  EXPECT_EQ(h.max(), ns(0));
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.valueAtPercentile(0), ns(0));
  EXPECT_EQ(h.valueAtPercentile(50), ns(0));
  EXPECT_EQ(h.valueAtPercentile(100), ns(0));
  EXPECT_TRUE(buckets(h).empty());
}

TEST(LatencyHistogramTest, PercentilesMatchSortedDataWithinPrecision) {
  std::vector<int64_t> values = logUniform(1, 200'000, 1e3, 1e10);  // 1 us .. 10 s
  LatencyHistogram h;
  for (int64_t v : values) h.record(ns(v));
  std::sort(values.begin(), values.end());
  for (int64_t p : kPercentiles) {
    const int64_t exact = exactPercentile(values, p);
    const int64_t got = h.valueAtPercentile(static_cast<double>(p) / 100.0).ns();
    SCOPED_TRACE(testing::Message() << "p" << static_cast<double>(p) / 100.0);
    // Highest equivalent value: never below the true value, at most one bucket (< 0.1%) above.
    EXPECT_GE(got, exact);
    EXPECT_LE(got - exact, exact / 1024);
  }
}

TEST(LatencyHistogramTest, TwoDigitPrecisionHoldsItsBound) {
  std::vector<int64_t> values = logUniform(2, 50'000, 1.0, 3e12);  // The whole range.
  LatencyHistogram h(2);
  for (int64_t v : values) h.record(ns(v));
  std::sort(values.begin(), values.end());
  for (int64_t p : kPercentiles) {
    const int64_t exact = exactPercentile(values, p);
    const int64_t got = h.valueAtPercentile(static_cast<double>(p) / 100.0).ns();
    EXPECT_GE(got, exact);
    EXPECT_LE(got - exact, exact / 128);
  }
}

TEST(LatencyHistogramTest, SmallCountsUseNearestRank) {
  LatencyHistogram h;
  for (int64_t v : {50, 10, 40, 20, 30}) h.record(ns(v));  // Small values are exact.
  EXPECT_EQ(h.valueAtPercentile(20), ns(10));              // rank ceil(1.0) = 1
  EXPECT_EQ(h.valueAtPercentile(20.1), ns(20));
  EXPECT_EQ(h.valueAtPercentile(50), ns(30));  // rank ceil(2.5) = 3
  EXPECT_EQ(h.valueAtPercentile(80), ns(40));
  EXPECT_EQ(h.valueAtPercentile(99.9), ns(50));
  EXPECT_EQ(h.valueAtPercentile(0), ns(10));
  EXPECT_EQ(h.valueAtPercentile(-5), ns(10));
  EXPECT_EQ(h.valueAtPercentile(std::nan("")), ns(10));
  EXPECT_EQ(h.valueAtPercentile(250), ns(50));
}

TEST(LatencyHistogramTest, RoundPercentilesOfRoundCountsAreExactRanks) {
  // 99.9% of 1000 is rank 999 exactly; floating-point slop must not push it to 1000.
  LatencyHistogram h;
  for (int64_t v = 1; v <= 1000; ++v) h.record(ns(v));
  EXPECT_EQ(h.valueAtPercentile(99.9), ns(999));
  EXPECT_EQ(h.valueAtPercentile(99), ns(990));
  EXPECT_EQ(h.valueAtPercentile(0.1), ns(1));
  EXPECT_EQ(h.valueAtPercentile(70), ns(700));
}

TEST(LatencyHistogramTest, ValuesBelowTwiceTheSubBucketCountAreExact) {
  LatencyHistogram h;
  for (int64_t v = 0; v < 2048; ++v) {
    EXPECT_EQ(h.lowestEquivalent(ns(v)), ns(v));
    EXPECT_EQ(h.highestEquivalent(ns(v)), ns(v));
  }
}

TEST(LatencyHistogramTest, BucketBoundaries) {
  LatencyHistogram h;
  EXPECT_EQ(h.lowestEquivalent(ns(2049)), ns(2048));
  EXPECT_EQ(h.highestEquivalent(ns(2048)), ns(2049));
  EXPECT_EQ(h.lowestEquivalent(ns(4095)), ns(4094));
  EXPECT_EQ(h.lowestEquivalent(ns(4096)), ns(4096));
  EXPECT_EQ(h.highestEquivalent(ns(4096)), ns(4099));
  // 1 ms lies in [2^19, 2^20): buckets 2^9 = 512 ns wide.
  EXPECT_EQ(h.lowestEquivalent(ns(1'000'000)), ns(999'936));
  EXPECT_EQ(h.highestEquivalent(ns(1'000'000)), ns(1'000'447));
  EXPECT_EQ(h.highestEquivalent(LatencyHistogram::kHighestTrackable),
            LatencyHistogram::kHighestTrackable);
  EXPECT_EQ(h.highestEquivalent(Duration::seconds(1'000'000)), LatencyHistogram::kHighestTrackable);
}

TEST(LatencyHistogramTest, BucketsAreContiguousAndWithinRelativeError) {
  for (int digits = 1; digits <= 4; ++digits) {
    LatencyHistogram h(digits);
    double limit = 1;
    for (int i = 0; i < digits; ++i) limit /= 10;
    int64_t v = 0;
    int64_t steps = 0;
    while (v <= LatencyHistogram::kHighestTrackable.ns()) {
      const int64_t lo = h.lowestEquivalent(ns(v)).ns();
      const int64_t hi = h.highestEquivalent(ns(v)).ns();
      ASSERT_EQ(lo, v) << "digits " << digits;  // Each bucket starts where the last ended.
      ASSERT_GE(hi, lo);
      if (hi > lo) {
        ASSERT_LE(static_cast<double>(hi - lo + 1) / static_cast<double>(lo), limit);
      }
      // Walk bucket by bucket near powers of two, then jump ahead to keep the test quick.
      v = hi + 1;
      if (++steps % 64 == 0) v = h.lowestEquivalent(ns(v + v / 3)).ns();
    }
  }
}

TEST(LatencyHistogramTest, HighestEquivalentIsClampedToExactMax) {
  LatencyHistogram h;
  h.record(ns(1'000'000));
  EXPECT_EQ(h.valueAtPercentile(50), ns(1'000'000));  // Not the bucket top, 1'000'447.
  h.record(ns(999'990));
  EXPECT_EQ(h.valueAtPercentile(50), ns(1'000'000));
  EXPECT_EQ(h.min(), ns(999'990));  // Exact, though both share a bucket.
}

TEST(LatencyHistogramTest, HundredthPercentileIsExactMax) {
  LatencyHistogram h;
  for (int64_t v : {5'000'001, 7'123'457, 3'000'000}) h.record(ns(v));
  EXPECT_EQ(h.valueAtPercentile(100), ns(7'123'457));
  EXPECT_EQ(h.max(), ns(7'123'457));
  EXPECT_EQ(h.min(), ns(3'000'000));
}

TEST(LatencyHistogramTest, MeanIsExact) {
  LatencyHistogram h;
  for (int64_t v : {1, 2, 4}) h.record(ns(v));
  EXPECT_DOUBLE_EQ(h.mean(), 7.0 / 3.0);
  h.recordN(ns(1'000'000'000'000), 1'000'000);  // Sums past 2^63 still add up.
  h.recordN(ns(9'000'000'000'000'000'000), 3);
  const double expected = (7.0 + 1e18 + 2.7e19) / 1'000'006.0;
  EXPECT_DOUBLE_EQ(h.mean(), expected);
}

TEST(LatencyHistogramTest, RecordNEqualsRepeatedRecord) {
  LatencyHistogram a;
  LatencyHistogram b;
  a.recordN(ns(12'345), 5);
  a.recordN(ns(99), 0);  // No-op.
  for (int i = 0; i < 5; ++i) b.record(ns(12'345));
  EXPECT_EQ(a.count(), 5u);
  EXPECT_EQ(buckets(a), buckets(b));
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.mean(), b.mean());
}

TEST(LatencyHistogramTest, HugeValuesAreClampedAndCounted) {
  LatencyHistogram h;
  h.record(Duration::seconds(2 * 3600));
  h.record(ns(std::numeric_limits<int64_t>::max()));
  h.record(ns(10));
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.clampedCount(), 2u);
  EXPECT_EQ(h.max(), ns(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(h.valueAtPercentile(50), LatencyHistogram::kHighestTrackable);
  EXPECT_EQ(h.valueAtPercentile(100), ns(std::numeric_limits<int64_t>::max()));
  EXPECT_GT(h.mean(), 3e18);
}

TEST(LatencyHistogramTest, NegativeValuesRecordAsZero) {
  LatencyHistogram h;
  h.record(ns(-5));
  h.record(ns(7));
  EXPECT_EQ(h.clampedCount(), 1u);
  EXPECT_EQ(h.min(), ns(0));
  EXPECT_EQ(h.valueAtPercentile(50), ns(0));
  EXPECT_DOUBLE_EQ(h.mean(), 3.5);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverything) {
  const std::vector<int64_t> first = logUniform(3, 20'000, 1e4, 1e8);
  const std::vector<int64_t> second = logUniform(4, 30'000, 1e6, 1e11);
  LatencyHistogram a, b, all;
  for (int64_t v : first) a.record(ns(v));
  for (int64_t v : second) b.record(ns(v));
  for (int64_t v : first) all.record(ns(v));
  for (int64_t v : second) all.record(ns(v));
  a.merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.mean(), all.mean());
  EXPECT_EQ(buckets(a), buckets(all));
  for (int64_t p : kPercentiles) {
    const double pct = static_cast<double>(p) / 100.0;
    EXPECT_EQ(a.valueAtPercentile(pct), all.valueAtPercentile(pct));
  }
}

TEST(LatencyHistogramTest, MergeWithEmptySides) {
  LatencyHistogram empty;
  LatencyHistogram h;
  h.record(ns(500));
  h.merge(empty);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.min(), ns(500));
  empty.merge(h);
  EXPECT_EQ(empty.count(), 1u);
  EXPECT_EQ(empty.min(), ns(500));  // Not min(0, 500): an empty side has no minimum.
  EXPECT_EQ(empty.max(), ns(500));
}

TEST(LatencyHistogramTest, MergeAcrossPrecisionsKeepsCountsAndExtremes) {
  const std::vector<int64_t> values = logUniform(5, 10'000, 1e3, 1e9);
  LatencyHistogram fine(3);
  LatencyHistogram coarse(2);
  for (int64_t v : values) coarse.record(ns(v));
  fine.record(ns(1));
  fine.merge(coarse);
  EXPECT_EQ(fine.count(), 10'001u);
  EXPECT_EQ(fine.min(), ns(1));
  EXPECT_EQ(fine.max(), coarse.max());
  std::vector<int64_t> sorted = values;
  sorted.push_back(1);
  std::sort(sorted.begin(), sorted.end());
  const int64_t exact = exactPercentile(sorted, 9000);
  const int64_t got = fine.valueAtPercentile(90).ns();
  EXPECT_LE(std::abs(got - exact), exact / 64);
}

TEST(LatencyHistogramTest, ResetEmptiesButKeepsPages) {
  LatencyHistogram h;
  h.record(ns(123'456'789));
  const std::size_t bytes = h.memoryBytes();
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), ns(0));
  EXPECT_EQ(h.valueAtPercentile(99), ns(0));
  EXPECT_TRUE(buckets(h).empty());
  EXPECT_EQ(h.memoryBytes(), bytes);
  h.record(ns(42));
  EXPECT_EQ(h.min(), ns(42));
  EXPECT_EQ(h.valueAtPercentile(50), ns(42));
}

TEST(LatencyHistogramTest, CopyIsIndependent) {
  LatencyHistogram a;
  a.record(ns(1'000));
  LatencyHistogram b = a;
  b.record(ns(2'000'000));
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(b.count(), 2u);
  EXPECT_EQ(a.valueAtPercentile(100), ns(1'000));
  a = b;
  EXPECT_EQ(buckets(a), buckets(b));
}

TEST(LatencyHistogramTest, MoveLeavesAnEmptyHistogram) {
  LatencyHistogram a;
  a.record(ns(1'000));
  LatencyHistogram b = std::move(a);
  EXPECT_EQ(b.count(), 1u);
  EXPECT_EQ(a.count(), 0u);  // NOLINT(bugprone-use-after-move): documented state.
  EXPECT_EQ(a.valueAtPercentile(50), ns(0));
  b.merge(a);
  EXPECT_EQ(b.count(), 1u);
  a = LatencyHistogram();
  a.record(ns(5));
  EXPECT_EQ(a.max(), ns(5));
}

TEST(LatencyHistogramTest, MemoryStaysWithinTheDocumentedBound) {
  LatencyHistogram h;
  EXPECT_LT(h.memoryBytes(), 512u);
  h.record(ns(5'000'000));
  EXPECT_LT(h.memoryBytes(), 512u + 8192u);
  for (int64_t v = 1; v <= LatencyHistogram::kHighestTrackable.ns(); v *= 2) h.record(ns(v));
  for (int i = 0; i < 1'000; ++i) h.record(ns(5'000'000 + i));  // More samples, no more memory.
  EXPECT_LT(h.memoryBytes(), 512u + 33u * 8192u);
}

TEST(LatencyHistogramDeathTest, RejectsUnsupportedPrecision) {
  EXPECT_DEATH(LatencyHistogram(0), "significant digits");
  EXPECT_DEATH(LatencyHistogram(6), "significant digits");
}

}  // namespace
}  // namespace ctplab::sim::results
