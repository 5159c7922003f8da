// LatencyHistogram: an HDR-style log-linear histogram of nanosecond durations, 1 ns to ~73 min,
// with a relative bucket error bound set by significant digits; percentiles, exact min/max/mean.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ctplab/common/time.h"

namespace ctplab::sim::results {

// Layout. Let s = ceil(log2(10^digits)), 10 for 3 digits. Values below 2^s get one bucket each;
// each power-of-two range [2^k, 2^(k+1)) above is split into 2^s equal buckets of width 2^(k-s).
// A bucket is thus never wider than 1/2^s of the values in it: at 3 digits the error is below
// 1/1024 < 0.1% everywhere.
//
// Cost: record is O(1): a bit_width and a shift find the bucket, then one add; no search, no
// floating point. The only branch beyond range clamping is whether the bucket's page exists yet.
//
// Memory: counts live in pages, one per power-of-two range (the first page covers 0 .. 2^s - 1).
// A page is allocated the first time a value falls in its range, so memory follows the dynamic
// range a run actually uses, is bounded, and never grows with the number of samples:
//   digits  page (2^s uint64 counts)  pages  empty histogram  all pages touched
//     1            128 B                 39      ~0.4 KiB          ~5 KiB
//     2              1 KiB               36      ~0.4 KiB         ~36 KiB
//     3 (default)    8 KiB               33      ~0.4 KiB        ~264 KiB
//     4            128 KiB               29      ~0.4 KiB        ~3.6 MiB
//     5              1 MiB               26      ~0.4 KiB         ~26 MiB
// At 3 digits a latency spread over 100 us .. 100 ms touches 11 pages, ~88 KiB. Callers that keep
// thousands of histograms alive (one per time bucket, say) should ask for 2 digits (<= 0.8%).
// No 64-bit-count layout can go lower at 3 digits: 0.1% over twelve decades needs ~29,000
// buckets whatever the spacing.
//
// Coordinated omission: a histogram records whatever it is given. Clients must measure each
// latency from the request's intended start time (when the schedule said it should go out), not
// from when a backed-up sender actually sent it; otherwise a stall hides most of its own victims.
//
// Out of range: values above kHighestTrackable are counted in the top bucket (and in
// clampedCount()); min(), max() and mean() still use their exact value. Negative durations are
// recorded as 0 and also counted in clampedCount(). No input value makes record() fail.
class LatencyHistogram {
 public:
  static constexpr int kDefaultSignificantDigits = 3;
  static constexpr int kMinSignificantDigits = 1;
  static constexpr int kMaxSignificantDigits = 5;
  // 2^42 - 1 ns, about 73.3 minutes: the first power of two past one hour, minus one.
  static constexpr int kRangeBits = 42;
  static constexpr Duration kHighestTrackable =
      Duration::nanoseconds((int64_t{1} << kRangeBits) - 1);

  // Aborts if significant_digits is outside [kMinSignificantDigits, kMaxSignificantDigits].
  explicit LatencyHistogram(int significant_digits = kDefaultSignificantDigits);
  LatencyHistogram(const LatencyHistogram& other);
  LatencyHistogram& operator=(const LatencyHistogram& other);
  // A moved-from histogram reads as empty; assign to it before recording into it again.
  LatencyHistogram(LatencyHistogram&& other) noexcept;
  LatencyHistogram& operator=(LatencyHistogram&& other) noexcept;
  ~LatencyHistogram() = default;

  void record(Duration value) { recordN(value, 1); }
  void recordN(Duration value, uint64_t count);

  uint64_t count() const { return count_; }
  uint64_t clampedCount() const { return clamped_; }
  // Exact; zero when empty.
  Duration min() const { return Duration::nanoseconds(count_ == 0 ? 0 : min_); }
  Duration max() const { return Duration::nanoseconds(max_); }
  // Exact mean in nanoseconds (the sum is kept in 128 bits); 0 when empty.
  double mean() const;

  // Nearest-rank percentile: the highest value equivalent to the bucket holding the sample of
  // rank ceil(p/100 * count), clamped to max(), as HdrHistogram reports it. So the answer is at
  // least the exact percentile and within one bucket width of it. p <= 0 gives min(), p >= 100
  // gives max(), an empty histogram gives 0. NaN counts as 0.
  Duration valueAtPercentile(double percentile) const;

  // Adds every sample of `other`. With equal digits this is exact: the result equals recording
  // both streams into one histogram. Otherwise other's buckets are re-recorded at their lowest
  // value, losing the coarser side's precision; min, max, mean and counts stay exact.
  void merge(const LatencyHistogram& other);
  // Back to empty; keeps the pages already allocated, so a reused histogram does not allocate.
  void reset();

  int significantDigits() const { return digits_; }
  // Bucket bounds, in the histogram's precision: every value in [lowest, highest] shares a bucket.
  Duration lowestEquivalent(Duration value) const;
  Duration highestEquivalent(Duration value) const;
  // Heap bytes in use by count pages plus the object itself; for capacity reports and tests.
  std::size_t memoryBytes() const;

  // Calls fn(Duration lowest, Duration highest, uint64_t count) for each non-empty bucket in
  // increasing order: the raw distribution, for CDF plots and exports.
  template <typename Fn>
  void forEachBucket(Fn&& fn) const {
    for (std::size_t page = 0; page < pages_.size(); ++page) {
      if (!pages_[page]) continue;
      for (std::size_t offset = 0; offset < pageSize(); ++offset) {
        const uint64_t n = pages_[page][offset];
        if (n == 0) continue;
        const std::size_t index = (page << sub_bits_) | offset;
        fn(Duration::nanoseconds(lowestOfIndex(index)),
           Duration::nanoseconds(highestOfIndex(index)), n);
      }
    }
  }

 private:
  __extension__ using Sum = unsigned __int128;

  std::size_t pageSize() const { return std::size_t{1} << sub_bits_; }
  // The flat bucket index: page in the high bits, offset within the page in the low bits.
  std::size_t indexOf(int64_t clamped_value) const {
    const auto v = static_cast<uint64_t>(clamped_value);
    const int width = std::bit_width(v);
    const int shift = width > sub_bits_ ? width - sub_bits_ - 1 : 0;
    return (static_cast<std::size_t>(shift) << sub_bits_) + static_cast<std::size_t>(v >> shift);
  }
  int64_t lowestOfIndex(std::size_t index) const;
  int64_t highestOfIndex(std::size_t index) const;
  uint64_t* pageFor(std::size_t index);

  int digits_;
  int sub_bits_;
  uint64_t count_ = 0;
  uint64_t clamped_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  Sum sum_ = 0;
  // One entry per power-of-two range; null until a value lands there.
  std::vector<std::unique_ptr<uint64_t[]>> pages_;
};

}  // namespace ctplab::sim::results
