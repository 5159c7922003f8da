// TimeSeries: named integer series over fixed-width time buckets, for "per second" views of a run
// (requests completed, connections rejected, connections active), with memory fixed up front.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"

namespace ctplab::sim::results {

// A series' position in registration order; ids are dense from 0, and output follows them.
struct SeriesId {
  uint32_t index = 0;
  friend auto operator<=>(const SeriesId&, const SeriesId&) = default;
};

enum class SeriesKind { kCounter, kGauge };

// Bucket i covers [origin + i*width, origin + (i+1)*width). The bucket count is fixed at
// construction from the run duration, so recording never allocates. Times before the origin go
// to the first bucket and times at or past the end to the last; both are counted in
// clampedCount() so a report can say the run outlived its planned duration.
//
// Counters sum what add() gives them within a bucket, in any order.
// Gauges model a step function of time that starts at its initial value: per bucket they keep
// the value at the bucket's end (last) and the highest value held at any instant inside it
// (max), which includes the value carried in from the previous bucket unless the first set is
// exactly at the bucket's start. Empty buckets carry the value forward. setGauge calls for one
// gauge must come in non-decreasing time order (simulated time only moves forward); an earlier
// time aborts, since the step function would be wrong.
//
// Memory: 8 bytes per bucket per counter, 16 per gauge, allocated at registration.
// Misuse (unknown id, wrong kind, one name registered with two kinds, bucket index out of range,
// non-positive width, more than kMaxBuckets buckets) is a programming error and aborts.
class TimeSeries {
 public:
  static constexpr std::size_t kMaxBuckets = std::size_t{1} << 22;

  // ceil(run_duration / bucket_width) buckets, at least one.
  TimeSeries(TimePoint origin, Duration bucket_width, Duration run_duration);

  // Registering a name again with the same kind returns its existing id, so independent
  // components can share a series by name.
  SeriesId addCounter(std::string_view name);
  SeriesId addGauge(std::string_view name, int64_t initial_value = 0);

  void add(SeriesId counter, TimePoint t, int64_t n);
  void setGauge(SeriesId gauge, TimePoint t, int64_t value);

  std::size_t bucketCount() const { return bucket_count_; }
  Duration bucketWidth() const { return width_; }
  TimePoint origin() const { return origin_; }
  TimePoint bucketStart(std::size_t bucket) const;
  // The bucket `t` is recorded in, after clamping to the first or last bucket.
  std::size_t bucketOf(TimePoint t) const;
  uint64_t clampedCount() const { return clamped_; }

  std::size_t seriesCount() const { return series_.size(); }
  const std::string& name(SeriesId id) const;
  SeriesKind kind(SeriesId id) const;
  std::optional<SeriesId> find(std::string_view name) const;

  int64_t counter(SeriesId counter, std::size_t bucket) const;
  int64_t counterTotal(SeriesId counter) const;
  int64_t gaugeLast(SeriesId gauge, std::size_t bucket) const;
  int64_t gaugeMax(SeriesId gauge, std::size_t bucket) const;

 private:
  struct Series {
    std::string name;
    SeriesKind kind = SeriesKind::kCounter;
    // Counter sums, or gauge values at bucket ends.
    std::vector<int64_t> values;
    // Gauges only: maximum held within each bucket.
    std::vector<int64_t> maxima;
    // Gauges only: buckets up to `open_bucket` are written; later ones read as `current`.
    int64_t current = 0;
    int64_t open_bucket = -1;
    TimePoint last_set;
  };

  SeriesId registerSeries(std::string_view name, SeriesKind kind, int64_t initial_value);
  const Series& get(SeriesId id, SeriesKind kind) const;
  Series& get(SeriesId id, SeriesKind kind);
  uint64_t unclampedBucket(TimePoint t) const;
  // bucketOf, counting the clamped ones.
  std::size_t clampedBucket(TimePoint t);

  TimePoint origin_;
  Duration width_;
  std::size_t bucket_count_;
  uint64_t clamped_ = 0;
  std::vector<Series> series_;
  std::map<std::string, uint32_t, std::less<>> by_name_;
};

}  // namespace ctplab::sim::results
