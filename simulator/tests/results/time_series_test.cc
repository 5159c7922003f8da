// TimeSeries tests: bucket arithmetic, counters, gauge last/max with carry-forward, clamping of
// times outside the run, registration order, and misuse.
#include "ctplab/simulator/results/time_series.h"

#include <gtest/gtest.h>

#include <limits>

namespace ctplab::sim::results {
namespace {

const TimePoint kOrigin = TimePoint::fromUnixSeconds(1'000);

TimePoint at(int64_t ms) { return kOrigin + Duration::milliseconds(ms); }

TimeSeries perSecond(int64_t seconds) {
  return TimeSeries(kOrigin, Duration::seconds(1), Duration::seconds(seconds));
}

TEST(TimeSeriesTest, BucketCountComesFromRunDuration) {
  EXPECT_EQ(perSecond(10).bucketCount(), 10u);
  EXPECT_EQ(TimeSeries(kOrigin, Duration::seconds(1), Duration::milliseconds(10'500)).bucketCount(),
            11u);
  EXPECT_EQ(perSecond(0).bucketCount(), 1u);
  EXPECT_EQ(TimeSeries(kOrigin, Duration::seconds(1), Duration::seconds(-3)).bucketCount(), 1u);
  TimeSeries ts = perSecond(10);
  EXPECT_EQ(ts.bucketStart(3), at(3'000));
  EXPECT_EQ(ts.bucketWidth(), Duration::seconds(1));
  EXPECT_EQ(ts.origin(), kOrigin);
}

TEST(TimeSeriesTest, BucketsAreHalfOpen) {
  TimeSeries ts = perSecond(10);
  EXPECT_EQ(ts.bucketOf(at(0)), 0u);
  EXPECT_EQ(ts.bucketOf(at(999)), 0u);
  EXPECT_EQ(ts.bucketOf(at(1'000)), 1u);
  EXPECT_EQ(ts.bucketOf(at(9'999)), 9u);
  EXPECT_EQ(ts.bucketOf(at(10'000)), 9u);  // Past the end: the last bucket.
  EXPECT_EQ(ts.bucketOf(at(-1)), 0u);
}

TEST(TimeSeriesTest, CountersSumPerBucket) {
  TimeSeries ts = perSecond(5);
  const SeriesId requests = ts.addCounter("requests");
  ts.add(requests, at(100), 1);
  ts.add(requests, at(900), 2);
  ts.add(requests, at(1'000), 5);
  ts.add(requests, at(4'500), -1);  // Corrections are allowed.
  ts.add(requests, at(3'000), 7);   // Counters do not care about order.
  EXPECT_EQ(ts.counter(requests, 0), 3);
  EXPECT_EQ(ts.counter(requests, 1), 5);
  EXPECT_EQ(ts.counter(requests, 2), 0);
  EXPECT_EQ(ts.counter(requests, 3), 7);
  EXPECT_EQ(ts.counter(requests, 4), -1);
  EXPECT_EQ(ts.counterTotal(requests), 14);
  EXPECT_EQ(ts.clampedCount(), 0u);
}

TEST(TimeSeriesTest, TimesOutsideTheRunAreClampedAndCounted) {
  TimeSeries ts = perSecond(3);
  const SeriesId c = ts.addCounter("c");
  ts.add(c, at(2'999), 1);  // Inside: not clamped.
  ts.add(c, at(3'000), 1);
  ts.add(c, at(3'600'000), 1);
  ts.add(c, TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max()), 1);
  ts.add(c, at(-5), 10);
  ts.add(c, TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::min()), 10);
  EXPECT_EQ(ts.counter(c, 2), 4);
  EXPECT_EQ(ts.counter(c, 0), 20);
  EXPECT_EQ(ts.clampedCount(), 5u);
}

TEST(TimeSeriesTest, GaugeKeepsLastAndMaxPerBucket) {
  TimeSeries ts = perSecond(3);
  const SeriesId active = ts.addGauge("active");
  ts.setGauge(active, at(0), 4);
  ts.setGauge(active, at(200), 9);
  ts.setGauge(active, at(700), 6);
  ts.setGauge(active, at(1'000), 2);  // At the bucket's start: 6 was never held inside bucket 1.
  ts.setGauge(active, at(1'500), 3);
  EXPECT_EQ(ts.gaugeLast(active, 0), 6);
  EXPECT_EQ(ts.gaugeMax(active, 0), 9);
  EXPECT_EQ(ts.gaugeLast(active, 1), 3);
  EXPECT_EQ(ts.gaugeMax(active, 1), 3);
}

TEST(TimeSeriesTest, GaugeMaxIncludesValueCarriedIntoTheBucket) {
  TimeSeries ts = perSecond(3);
  const SeriesId g = ts.addGauge("g");
  ts.setGauge(g, at(500), 100);
  ts.setGauge(g, at(1'250), 10);  // 100 was held from 1.000 s to 1.250 s.
  EXPECT_EQ(ts.gaugeMax(g, 1), 100);
  EXPECT_EQ(ts.gaugeLast(g, 1), 10);
  // The initial value (0) counts for bucket 0, before the first set.
  EXPECT_EQ(ts.gaugeMax(g, 0), 100);
}

TEST(TimeSeriesTest, GaugeCarriesForwardThroughEmptyBuckets) {
  TimeSeries ts = perSecond(6);
  const SeriesId g = ts.addGauge("g");
  ts.setGauge(g, at(500), 7);
  ts.setGauge(g, at(3'500), 1);
  for (std::size_t b : {1u, 2u}) {
    EXPECT_EQ(ts.gaugeLast(g, b), 7) << b;
    EXPECT_EQ(ts.gaugeMax(g, b), 7) << b;
  }
  EXPECT_EQ(ts.gaugeMax(g, 3), 7);
  for (std::size_t b : {4u, 5u}) {  // After the last set.
    EXPECT_EQ(ts.gaugeLast(g, b), 1) << b;
    EXPECT_EQ(ts.gaugeMax(g, b), 1) << b;
  }
}

TEST(TimeSeriesTest, GaugeStartsAtItsInitialValue) {
  TimeSeries ts = perSecond(3);
  const SeriesId g = ts.addGauge("g", 42);
  EXPECT_EQ(ts.gaugeLast(g, 0), 42);
  EXPECT_EQ(ts.gaugeMax(g, 2), 42);
  ts.setGauge(g, at(1'500), 5);
  EXPECT_EQ(ts.gaugeLast(g, 0), 42);
  EXPECT_EQ(ts.gaugeMax(g, 1), 42);
  EXPECT_EQ(ts.gaugeLast(g, 1), 5);
}

TEST(TimeSeriesTest, GaugeSetsPastTheEndLandInTheLastBucket) {
  TimeSeries ts = perSecond(2);
  const SeriesId g = ts.addGauge("g");
  ts.setGauge(g, at(1'500), 3);
  ts.setGauge(g, at(5'000), 8);
  ts.setGauge(g, at(9'000), 4);
  EXPECT_EQ(ts.gaugeLast(g, 1), 4);
  EXPECT_EQ(ts.gaugeMax(g, 1), 8);
  EXPECT_EQ(ts.clampedCount(), 2u);
}

TEST(TimeSeriesTest, SeriesKeepRegistrationOrder) {
  TimeSeries ts = perSecond(1);
  const SeriesId z = ts.addCounter("zeta");
  const SeriesId a = ts.addGauge("alpha");
  const SeriesId m = ts.addCounter("mu");
  EXPECT_EQ(z.index, 0u);
  EXPECT_EQ(a.index, 1u);
  EXPECT_EQ(m.index, 2u);
  EXPECT_EQ(ts.seriesCount(), 3u);
  EXPECT_EQ(ts.name(SeriesId{1}), "alpha");
  EXPECT_EQ(ts.kind(SeriesId{1}), SeriesKind::kGauge);
  EXPECT_EQ(ts.addCounter("zeta"), z);  // Same name, same kind: the same series.
  EXPECT_EQ(ts.seriesCount(), 3u);
  EXPECT_EQ(ts.find("mu"), m);
  EXPECT_FALSE(ts.find("nu").has_value());
}

TEST(TimeSeriesDeathTest, MisuseAborts) {
  TimeSeries ts = perSecond(2);
  const SeriesId c = ts.addCounter("c");
  const SeriesId g = ts.addGauge("g");
  EXPECT_DEATH(ts.setGauge(c, at(0), 1), "wrong kind");
  EXPECT_DEATH(ts.add(g, at(0), 1), "wrong kind");
  EXPECT_DEATH(ts.addGauge("c"), "both counter and gauge");
  EXPECT_DEATH(ts.counter(SeriesId{7}, 0), "unknown time series id");
  EXPECT_DEATH(ts.counter(c, 2), "out of range");
  EXPECT_DEATH(TimeSeries(kOrigin, Duration(), Duration::seconds(1)), "positive width");
  EXPECT_DEATH(TimeSeries(kOrigin, Duration::nanoseconds(1), Duration::seconds(1)), "too many");
  ts.setGauge(g, at(1'500), 1);
  EXPECT_DEATH(ts.setGauge(g, at(1'400), 1), "earlier time");
}

}  // namespace
}  // namespace ctplab::sim::results
