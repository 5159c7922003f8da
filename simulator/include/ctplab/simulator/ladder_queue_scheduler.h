// LadderQueueScheduler: Tang, Goh and Thng's ladder queue (2005) — amortized O(1) push and pop by
// deferring sorting: unsorted Top, rungs of time buckets that refine on demand, a sorted Bottom.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "ctplab/simulator/event_key.h"
#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim {

class LadderQueueScheduler final : public Scheduler {
 public:
  __extension__ using Wide = __int128;  // Bucket arithmetic spans the whole int64 time range.

  LadderQueueScheduler();

  void push(EventKey key) override;
  bool popNotAfter(TimePoint limit, EventKey* out) override;
  std::optional<EventKey> peek() override;
  std::size_t size() const override { return size_; }
  void retainIf(const std::function<bool(const EventKey&)>& keep) override;
  std::string_view name() const override { return "ladder-queue"; }

 private:
  // The paper's values: a bucket bigger than this is split into a new rung rather than sorted,
  // and the ladder never grows deeper than kMaxRungs (a deeper split falls back to sorting).
  static constexpr std::size_t kSplitThreshold = 50;
  static constexpr std::size_t kMaxRungs = 8;
  // Buckets keep their capacity from one epoch to the next (no allocation in steady state), but a
  // retired rung holding more than this and more than twice the live keys gives its memory back,
  // so a past burst cannot pin memory forever.
  static constexpr std::size_t kRetainedKeysFloor = std::size_t{1} << 16;

  // Bucket b holds keys with times in [start_ns + b·width_ns, start_ns + (b+1)·width_ns).
  // Buckets before `current` are empty: they have been handed down to a finer rung or Bottom.
  struct Rung {
    int64_t start_ns = 0;
    int64_t width_ns = 1;
    std::size_t current = 0;
    std::size_t bucket_count = 0;
    // Start of bucket `current`, saturated; keys earlier than this belong to a finer rung or to
    // Bottom. Cached because every push compares against it.
    int64_t boundary_ns = 0;
    // Kept longer than bucket_count so a reused rung keeps its buckets' capacity.
    std::vector<std::vector<EventKey>> buckets;

    // Unsaturated end of the bucket before `current`.
    Wide boundary() const;
    void advanceTo(std::size_t bucket);
  };

  // Makes Bottom non-empty if any key is stored; false if the queue is empty.
  bool settleBottom();
  void transferTopToRung();
  void spawnRung(std::vector<EventKey>& bucket, Wide bucket_end_ns);
  void sortIntoBottom(std::vector<EventKey>& keys);
  void insertIntoBottom(EventKey key);
  Rung& openRung(int64_t start_ns, int64_t width_ns, std::size_t bucket_count);
  void retireLowestRung();

  // Invariant: every key in Bottom < every key in the rungs < every key in Top, and rung r + 1
  // covers only times below rung r's boundary.
  std::vector<EventKey> top_;
  int64_t top_start_ns_;  // Keys at or after this time go to Top.
  int64_t top_min_ns_;
  int64_t top_max_ns_;
  std::vector<Rung> rungs_;  // rungs_[0] is the coarsest; only the first rung_count_ are live.
  std::size_t rung_count_ = 0;
  std::vector<EventKey> bottom_;  // Sorted ascending; entries before bottom_head_ are consumed.
  std::size_t bottom_head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace ctplab::sim
