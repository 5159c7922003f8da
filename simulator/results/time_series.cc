// TimeSeries implementation: bucket arithmetic that cannot overflow for any pair of TimePoints,
// and gauges written lazily, each bucket once, so a set costs O(1) amortized.
#include "ctplab/simulator/results/time_series.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "ctplab/simulator/check.h"

namespace ctplab::sim::results {

TimeSeries::TimeSeries(TimePoint origin, Duration bucket_width, Duration run_duration)
    : origin_(origin), width_(bucket_width), bucket_count_(1) {
  CTPLAB_SIM_CHECK(bucket_width.ns() > 0, "time series buckets need a positive width");
  if (run_duration.ns() > 0) {
    const uint64_t run = static_cast<uint64_t>(run_duration.ns());
    const uint64_t width = static_cast<uint64_t>(bucket_width.ns());
    const uint64_t buckets = run / width + (run % width != 0 ? 1 : 0);
    CTPLAB_SIM_CHECK(buckets <= kMaxBuckets, "too many time series buckets for the run duration");
    bucket_count_ = static_cast<std::size_t>(buckets);
  }
  __extension__ using Wide = __int128;
  const Wide end = static_cast<Wide>(origin.unixNanos()) +
                   static_cast<Wide>(bucket_count_) * static_cast<Wide>(bucket_width.ns());
  CTPLAB_SIM_CHECK(end <= INT64_MAX, "time series would end past the last representable instant");
}

SeriesId TimeSeries::addCounter(std::string_view name) {
  return registerSeries(name, SeriesKind::kCounter, 0);
}

SeriesId TimeSeries::addGauge(std::string_view name, int64_t initial_value) {
  return registerSeries(name, SeriesKind::kGauge, initial_value);
}

SeriesId TimeSeries::registerSeries(std::string_view name, SeriesKind kind, int64_t initial_value) {
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    CTPLAB_SIM_CHECK(series_[it->second].kind == kind,
                     "a time series name is registered as both counter and gauge");
    return SeriesId{it->second};
  }
  Series s;
  s.name = std::string(name);
  s.kind = kind;
  s.values.assign(bucket_count_, 0);
  if (kind == SeriesKind::kGauge) {
    s.maxima.assign(bucket_count_, 0);
    s.current = initial_value;
    s.last_set = origin_;
  }
  const auto index = static_cast<uint32_t>(series_.size());
  series_.push_back(std::move(s));
  by_name_.emplace(std::string(name), index);
  return SeriesId{index};
}

TimePoint TimeSeries::bucketStart(std::size_t bucket) const {
  CTPLAB_SIM_CHECK(bucket < bucket_count_, "time series bucket out of range");
  return origin_ + Duration::nanoseconds(static_cast<int64_t>(bucket) * width_.ns());
}

uint64_t TimeSeries::unclampedBucket(TimePoint t) const {
  if (t <= origin_) return 0;
  // Unsigned, so the distance between any two int64 instants fits.
  const uint64_t delta =
      static_cast<uint64_t>(t.unixNanos()) - static_cast<uint64_t>(origin_.unixNanos());
  return delta / static_cast<uint64_t>(width_.ns());
}

std::size_t TimeSeries::bucketOf(TimePoint t) const {
  const uint64_t bucket = unclampedBucket(t);
  return bucket >= bucket_count_ ? bucket_count_ - 1 : static_cast<std::size_t>(bucket);
}

std::size_t TimeSeries::clampedBucket(TimePoint t) {
  const uint64_t bucket = unclampedBucket(t);
  if (t < origin_ || bucket >= bucket_count_) [[unlikely]] {
    ++clamped_;
    return t < origin_ ? 0 : bucket_count_ - 1;
  }
  return static_cast<std::size_t>(bucket);
}

const TimeSeries::Series& TimeSeries::get(SeriesId id, SeriesKind kind) const {
  CTPLAB_SIM_CHECK(id.index < series_.size(), "unknown time series id");
  const Series& s = series_[id.index];
  CTPLAB_SIM_CHECK(s.kind == kind, "time series used as the wrong kind (counter vs gauge)");
  return s;
}

TimeSeries::Series& TimeSeries::get(SeriesId id, SeriesKind kind) {
  return const_cast<Series&>(std::as_const(*this).get(id, kind));
}

void TimeSeries::add(SeriesId counter, TimePoint t, int64_t n) {
  Series& s = get(counter, SeriesKind::kCounter);
  s.values[clampedBucket(t)] += n;
}

void TimeSeries::setGauge(SeriesId gauge, TimePoint t, int64_t value) {
  Series& s = get(gauge, SeriesKind::kGauge);
  CTPLAB_SIM_CHECK(s.open_bucket < 0 || t >= s.last_set, "gauge set at an earlier time");
  s.last_set = t;
  const auto bucket = static_cast<int64_t>(clampedBucket(t));
  if (bucket > s.open_bucket) {
    // Buckets skipped since the last set held the previous value throughout.
    for (int64_t b = s.open_bucket + 1; b < bucket; ++b) {
      s.values[b] = s.current;
      s.maxima[b] = s.current;
    }
    const bool set_at_start = t == bucketStart(static_cast<std::size_t>(bucket));
    s.maxima[bucket] = set_at_start ? value : std::max(s.current, value);
    s.open_bucket = bucket;
  } else {
    s.maxima[bucket] = std::max(s.maxima[bucket], value);
  }
  s.values[bucket] = value;
  s.current = value;
}

const std::string& TimeSeries::name(SeriesId id) const {
  CTPLAB_SIM_CHECK(id.index < series_.size(), "unknown time series id");
  return series_[id.index].name;
}

SeriesKind TimeSeries::kind(SeriesId id) const {
  CTPLAB_SIM_CHECK(id.index < series_.size(), "unknown time series id");
  return series_[id.index].kind;
}

std::optional<SeriesId> TimeSeries::find(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return SeriesId{it->second};
}

int64_t TimeSeries::counter(SeriesId counter, std::size_t bucket) const {
  const Series& s = get(counter, SeriesKind::kCounter);
  CTPLAB_SIM_CHECK(bucket < bucket_count_, "time series bucket out of range");
  return s.values[bucket];
}

int64_t TimeSeries::counterTotal(SeriesId counter) const {
  const Series& s = get(counter, SeriesKind::kCounter);
  int64_t total = 0;
  for (int64_t v : s.values) total += v;
  return total;
}

int64_t TimeSeries::gaugeLast(SeriesId gauge, std::size_t bucket) const {
  const Series& s = get(gauge, SeriesKind::kGauge);
  CTPLAB_SIM_CHECK(bucket < bucket_count_, "time series bucket out of range");
  return static_cast<int64_t>(bucket) > s.open_bucket ? s.current : s.values[bucket];
}

int64_t TimeSeries::gaugeMax(SeriesId gauge, std::size_t bucket) const {
  const Series& s = get(gauge, SeriesKind::kGauge);
  CTPLAB_SIM_CHECK(bucket < bucket_count_, "time series bucket out of range");
  return static_cast<int64_t>(bucket) > s.open_bucket ? s.current : s.maxima[bucket];
}

}  // namespace ctplab::sim::results
