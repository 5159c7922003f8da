// LadderQueueScheduler implementation. Times are whole nanoseconds, so a bucket one nanosecond
// wide cannot be split: its keys (often many, all tied) are sorted into Bottom instead.
#include "ctplab/simulator/ladder_queue_scheduler.h"

#include <algorithm>
#include <limits>

#include "ctplab/simulator/check.h"

namespace ctplab::sim {

namespace {

constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max();

using Wide = LadderQueueScheduler::Wide;

int64_t saturate(Wide value) {
  if (value > kMaxTime) return kMaxTime;
  if (value < kMinTime) return kMinTime;
  return static_cast<int64_t>(value);
}

}  // namespace

LadderQueueScheduler::Wide LadderQueueScheduler::Rung::boundary() const {
  return Wide{start_ns} + Wide{width_ns} * static_cast<Wide>(current);
}

void LadderQueueScheduler::Rung::advanceTo(std::size_t bucket) {
  current = bucket;
  boundary_ns = saturate(boundary());
}

LadderQueueScheduler::LadderQueueScheduler()
    : top_start_ns_(kMinTime), top_min_ns_(kMaxTime), top_max_ns_(kMinTime), rungs_(kMaxRungs) {}

void LadderQueueScheduler::push(EventKey key) {
  ++size_;
  const int64_t t = key.timeNanos();
  if (t >= top_start_ns_) {
    top_.push_back(key);
    top_min_ns_ = std::min(top_min_ns_, t);
    top_max_ns_ = std::max(top_max_ns_, t);
    return;
  }
  for (std::size_t r = 0; r < rung_count_; ++r) {
    Rung& rung = rungs_[r];
    if (t >= rung.boundary_ns) {
      const auto bucket = static_cast<std::size_t>(
          (static_cast<uint64_t>(t) - static_cast<uint64_t>(rung.start_ns)) /
          static_cast<uint64_t>(rung.width_ns));
      CTPLAB_SIM_CHECK(bucket < rung.bucket_count, "ladder rung does not cover its range");
      rung.buckets[bucket].push_back(key);
      return;
    }
  }
  insertIntoBottom(key);
}

bool LadderQueueScheduler::popNotAfter(TimePoint limit, EventKey* out) {
  if (!settleBottom() || bottom_[bottom_head_].time() > limit) return false;
  *out = bottom_[bottom_head_++];
  --size_;
  return true;
}

std::optional<EventKey> LadderQueueScheduler::peek() {
  if (!settleBottom()) return std::nullopt;
  return bottom_[bottom_head_];
}

void LadderQueueScheduler::retainIf(const std::function<bool(const EventKey&)>& keep) {
  const auto drop = [&keep](const EventKey& key) { return !keep(key); };
  bottom_.erase(bottom_.begin(), bottom_.begin() + static_cast<std::ptrdiff_t>(bottom_head_));
  bottom_head_ = 0;
  std::erase_if(bottom_, drop);
  std::size_t kept = bottom_.size();
  for (std::size_t r = 0; r < rung_count_; ++r) {
    for (std::size_t b = rungs_[r].current; b < rungs_[r].bucket_count; ++b) {
      std::erase_if(rungs_[r].buckets[b], drop);
      kept += rungs_[r].buckets[b].size();
    }
  }
  std::erase_if(top_, drop);
  top_min_ns_ = kMaxTime;
  top_max_ns_ = kMinTime;
  for (const EventKey& key : top_) {
    top_min_ns_ = std::min(top_min_ns_, key.timeNanos());
    top_max_ns_ = std::max(top_max_ns_, key.timeNanos());
  }
  size_ = kept + top_.size();
}

bool LadderQueueScheduler::settleBottom() {
  // Bounded: every pass consumes a bucket, a rung or Top, and refills happen only when Bottom is
  // empty, so the loop ends after at most (buckets + rungs + 1) passes.
  while (bottom_head_ == bottom_.size()) {
    if (rung_count_ == 0) {
      if (top_.empty()) return false;
      transferTopToRung();
      continue;
    }
    Rung& rung = rungs_[rung_count_ - 1];
    std::size_t next = rung.current;
    while (next < rung.bucket_count && rung.buckets[next].empty()) ++next;
    if (next == rung.bucket_count) {
      retireLowestRung();
      continue;
    }
    std::vector<EventKey>& bucket = rung.buckets[next];
    rung.advanceTo(next + 1);
    if (bucket.size() > kSplitThreshold && rung_count_ < kMaxRungs) {
      // Unsaturated: a bucket at the end of time still has a well-defined end.
      spawnRung(bucket, rung.boundary());
    } else {
      sortIntoBottom(bucket);
    }
  }
  return true;
}

void LadderQueueScheduler::transferTopToRung() {
  const std::size_t n = top_.size();
  if (n <= kSplitThreshold || top_min_ns_ == top_max_ns_) {
    top_start_ns_ = saturate(Wide{top_max_ns_} + 1);
    sortIntoBottom(top_);
  } else {
    // About one key per bucket on average: width = ceil(span / n).
    const Wide span = Wide{top_max_ns_} - Wide{top_min_ns_} + 1;
    const Wide width = (span + static_cast<Wide>(n) - 1) / static_cast<Wide>(n);
    const auto count = static_cast<std::size_t>((span + width - 1) / width);
    Rung& rung = openRung(top_min_ns_, static_cast<int64_t>(width), count);
    top_start_ns_ = saturate(Wide{top_min_ns_} + width * static_cast<Wide>(count));
    for (const EventKey& key : top_) {
      const auto b =
          static_cast<std::size_t>((Wide{key.timeNanos()} - Wide{rung.start_ns}) / width);
      CTPLAB_SIM_CHECK(b < count, "new rung does not cover Top");
      rung.buckets[b].push_back(key);
    }
    top_.clear();
  }
  top_min_ns_ = kMaxTime;
  top_max_ns_ = kMinTime;
}

void LadderQueueScheduler::spawnRung(std::vector<EventKey>& bucket, Wide bucket_end_ns) {
  int64_t min_ns = kMaxTime;
  int64_t max_ns = kMinTime;
  for (const EventKey& key : bucket) {
    min_ns = std::min(min_ns, key.timeNanos());
    max_ns = std::max(max_ns, key.timeNanos());
  }
  if (min_ns == max_ns) {  // All tied: no finer rung can separate them.
    sortIntoBottom(bucket);
    return;
  }
  // The new rung must cover up to the parent bucket's end: later pushes may land anywhere in it.
  // Times below min_ns, pushed later, go to Bottom, which is also correct.
  const std::size_t n = bucket.size();
  const Wide span = bucket_end_ns - Wide{min_ns};
  const Wide width = (span + static_cast<Wide>(n) - 1) / static_cast<Wide>(n);
  const auto count = static_cast<std::size_t>((span + width - 1) / width);
  Rung& rung = openRung(min_ns, static_cast<int64_t>(width), count);
  for (const EventKey& key : bucket) {
    const auto b = static_cast<std::size_t>((Wide{key.timeNanos()} - Wide{min_ns}) / width);
    CTPLAB_SIM_CHECK(b < count, "new rung does not cover its parent bucket");
    rung.buckets[b].push_back(key);
  }
  bucket.clear();
}

void LadderQueueScheduler::sortIntoBottom(std::vector<EventKey>& keys) {
  // Bottom is empty here; swapping hands over the keys and keeps both buffers' capacity.
  bottom_.clear();
  bottom_head_ = 0;
  bottom_.swap(keys);
  std::sort(bottom_.begin(), bottom_.end());
}

void LadderQueueScheduler::insertIntoBottom(EventKey key) {
  // A sorted insert moves every later key, so a Bottom filled from one crowded bucket would make
  // each push cost its size; past the paper's threshold Bottom goes back up as a rung instead.
  const std::size_t live = bottom_.size() - bottom_head_;
  if (live >= kSplitThreshold && rung_count_ < kMaxRungs &&
      bottom_[bottom_head_].timeNanos() != bottom_.back().timeNanos()) {
    const Wide end = rung_count_ > 0 ? rungs_[rung_count_ - 1].boundary() : Wide{top_start_ns_};
    bottom_.erase(bottom_.begin(), bottom_.begin() + static_cast<std::ptrdiff_t>(bottom_head_));
    bottom_head_ = 0;
    bottom_.push_back(key);
    spawnRung(bottom_, end);
    return;
  }
  // New keys usually have the largest sequence number, so they land at or near the end.
  const auto at = std::upper_bound(bottom_.begin() + static_cast<std::ptrdiff_t>(bottom_head_),
                                   bottom_.end(), key);
  bottom_.insert(at, key);
}

LadderQueueScheduler::Rung& LadderQueueScheduler::openRung(int64_t start_ns, int64_t width_ns,
                                                           std::size_t bucket_count) {
  CTPLAB_SIM_CHECK(rung_count_ < kMaxRungs, "ladder has no free rung");
  Rung& rung = rungs_[rung_count_++];
  rung.start_ns = start_ns;
  rung.width_ns = width_ns;
  rung.advanceTo(0);
  rung.bucket_count = bucket_count;
  if (rung.buckets.size() < bucket_count) rung.buckets.resize(bucket_count);
  return rung;
}

void LadderQueueScheduler::retireLowestRung() {
  Rung& rung = rungs_[--rung_count_];
  std::size_t retained = 0;
  for (const std::vector<EventKey>& bucket : rung.buckets) retained += bucket.capacity();
  if (retained > kRetainedKeysFloor && retained > 2 * size_) rung.buckets = {};
}

}  // namespace ctplab::sim
