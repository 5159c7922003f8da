// LatencyHistogram implementation: bucket index arithmetic, lazily allocated count pages, and the
// nearest-rank percentile walk.
#include "ctplab/simulator/results/latency_histogram.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "ctplab/simulator/check.h"

namespace ctplab::sim::results {
namespace {

// The smallest s with 2^s >= 10^digits: enough buckets per power of two that neighbours differ
// by less than one unit in the last significant digit.
int subBucketBits(int digits) {
  uint64_t needed = 1;
  for (int i = 0; i < digits; ++i) needed *= 10;
  return std::bit_width(needed - 1);
}

}  // namespace

LatencyHistogram::LatencyHistogram(int significant_digits)
    : digits_(significant_digits), sub_bits_(0) {
  CTPLAB_SIM_CHECK(
      significant_digits >= kMinSignificantDigits && significant_digits <= kMaxSignificantDigits,
      "LatencyHistogram supports 1 to 5 significant digits");
  sub_bits_ = subBucketBits(significant_digits);
  // Page 0 holds [0, 2^s); page k >= 1 holds [2^(s+k-1), 2^(s+k)); the last ends at 2^kRangeBits.
  pages_.resize(static_cast<std::size_t>(kRangeBits - sub_bits_ + 1));
}

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other)
    : digits_(other.digits_),
      sub_bits_(other.sub_bits_),
      count_(other.count_),
      clamped_(other.clamped_),
      min_(other.min_),
      max_(other.max_),
      sum_(other.sum_),
      pages_(other.pages_.size()) {
  for (std::size_t p = 0; p < pages_.size(); ++p) {
    if (!other.pages_[p]) continue;
    pages_[p] = std::make_unique_for_overwrite<uint64_t[]>(pageSize());
    std::copy_n(other.pages_[p].get(), pageSize(), pages_[p].get());
  }
}

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) {
  if (this != &other) *this = LatencyHistogram(other);
  return *this;
}

LatencyHistogram::LatencyHistogram(LatencyHistogram&& other) noexcept
    : digits_(other.digits_),
      sub_bits_(other.sub_bits_),
      count_(std::exchange(other.count_, 0)),
      clamped_(std::exchange(other.clamped_, 0)),
      min_(std::exchange(other.min_, 0)),
      max_(std::exchange(other.max_, 0)),
      sum_(std::exchange(other.sum_, 0)),
      pages_(std::move(other.pages_)) {
  other.pages_.clear();
}

LatencyHistogram& LatencyHistogram::operator=(LatencyHistogram&& other) noexcept {
  if (this != &other) {
    digits_ = other.digits_;
    sub_bits_ = other.sub_bits_;
    count_ = std::exchange(other.count_, 0);
    clamped_ = std::exchange(other.clamped_, 0);
    min_ = std::exchange(other.min_, 0);
    max_ = std::exchange(other.max_, 0);
    sum_ = std::exchange(other.sum_, 0);
    pages_ = std::move(other.pages_);
    other.pages_.clear();
  }
  return *this;
}

uint64_t* LatencyHistogram::pageFor(std::size_t index) {
  std::unique_ptr<uint64_t[]>& page = pages_[index >> sub_bits_];
  // The only allocation on the recording path: once per power-of-two range, ever.
  if (!page) [[unlikely]]
    page = std::make_unique<uint64_t[]>(pageSize());
  return page.get();
}

void LatencyHistogram::recordN(Duration value, uint64_t count) {
  if (count == 0) return;
  int64_t v = value.ns();
  int64_t bucket_value = v;
  if (v < 0) [[unlikely]] {
    v = 0;
    bucket_value = 0;
    clamped_ += count;
  } else if (v > kHighestTrackable.ns()) [[unlikely]] {
    bucket_value = kHighestTrackable.ns();
    clamped_ += count;
  }
  const std::size_t index = indexOf(bucket_value);
  pageFor(index)[index & (pageSize() - 1)] += count;
  if (count_ == 0) {
    min_ = v;
    max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  count_ += count;
  sum_ += static_cast<Sum>(v) * count;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

int64_t LatencyHistogram::lowestOfIndex(std::size_t index) const {
  const std::size_t page = index >> sub_bits_;
  const std::size_t offset = index & (pageSize() - 1);
  if (page == 0) return static_cast<int64_t>(offset);
  return static_cast<int64_t>((pageSize() + offset) << (page - 1));
}

int64_t LatencyHistogram::highestOfIndex(std::size_t index) const {
  const std::size_t page = index >> sub_bits_;
  const int64_t width = page == 0 ? 1 : int64_t{1} << (page - 1);
  return lowestOfIndex(index) + width - 1;
}

Duration LatencyHistogram::lowestEquivalent(Duration value) const {
  const int64_t v = std::clamp<int64_t>(value.ns(), 0, kHighestTrackable.ns());
  return Duration::nanoseconds(lowestOfIndex(indexOf(v)));
}

Duration LatencyHistogram::highestEquivalent(Duration value) const {
  const int64_t v = std::clamp<int64_t>(value.ns(), 0, kHighestTrackable.ns());
  return Duration::nanoseconds(highestOfIndex(indexOf(v)));
}

Duration LatencyHistogram::valueAtPercentile(double percentile) const {
  if (count_ == 0) return Duration();
  if (!(percentile > 0.0)) return min();  // Also catches NaN.
  if (percentile >= 100.0) return max();
  // Nearest rank. p * n is formed before dividing so that round percentiles of round counts are
  // exact (99.9 * 1000 / 100 is 999, while 99.9 / 100 * 1000 is not); a rank that lands a hair
  // above an integer through rounding is snapped back down.
  const double x = percentile * static_cast<double>(count_) / 100.0;
  double rank = std::ceil(x);
  if (rank > 1.0 && x - (rank - 1.0) <= x * 1e-12) rank -= 1.0;
  const uint64_t wanted = std::clamp<uint64_t>(static_cast<uint64_t>(rank), 1, count_);

  uint64_t seen = 0;
  for (std::size_t p = 0; p < pages_.size(); ++p) {
    if (!pages_[p]) continue;
    for (std::size_t offset = 0; offset < pageSize(); ++offset) {
      seen += pages_[p][offset];
      if (seen >= wanted) {
        const int64_t highest = highestOfIndex((p << sub_bits_) | offset);
        return Duration::nanoseconds(std::min(highest, max_));
      }
    }
  }
  return max();  // Unreachable while the counts add up to count_.
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.sub_bits_ == sub_bits_) {
    for (std::size_t p = 0; p < other.pages_.size(); ++p) {
      if (!other.pages_[p]) continue;
      uint64_t* page = pageFor(p << sub_bits_);
      for (std::size_t i = 0; i < pageSize(); ++i) page[i] += other.pages_[p][i];
    }
  } else {
    other.forEachBucket([this](Duration lowest, Duration, uint64_t n) {
      const std::size_t index = indexOf(lowest.ns());
      pageFor(index)[index & (pageSize() - 1)] += n;
    });
  }
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  clamped_ += other.clamped_;
  sum_ += other.sum_;
}

void LatencyHistogram::reset() {
  for (auto& page : pages_) {
    if (page) std::fill_n(page.get(), pageSize(), uint64_t{0});
  }
  count_ = 0;
  clamped_ = 0;
  min_ = 0;
  max_ = 0;
  sum_ = 0;
}

std::size_t LatencyHistogram::memoryBytes() const {
  std::size_t bytes = sizeof(*this) + pages_.capacity() * sizeof(pages_[0]);
  for (const auto& page : pages_) {
    if (page) bytes += pageSize() * sizeof(uint64_t);
  }
  return bytes;
}

}  // namespace ctplab::sim::results
