// EventQueue: the pending events of one simulation — payloads in reusable slots, order kept by a
// pluggable Scheduler. Cancellation is lazy: the slot is freed now, the stale key skipped later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/simulator/event_callback.h"
#include "ctplab/simulator/event_id.h"
#include "ctplab/simulator/scheduler.h"

namespace ctplab::sim {

class EventQueue {
 public:
  explicit EventQueue(std::unique_ptr<Scheduler> scheduler);
  EventQueue(const EventQueue&) = delete;
  EventQueue& operator=(const EventQueue&) = delete;

  // Events with equal times come out in the order they were pushed.
  EventId push(TimePoint at, EventCallback callback);

  // True if the event was pending and now will not run; false for ids already run, already
  // cancelled, or never issued.
  bool cancel(EventId id);
  bool isPending(EventId id) const;

  // Moves the earliest pending event at or before `limit` into *at and *callback; its id stops
  // being pending at that moment.
  bool popNotAfter(TimePoint limit, TimePoint* at, EventCallback* callback);

  std::optional<TimePoint> nextTime();
  std::size_t size() const { return live_; }
  std::string_view schedulerName() const { return scheduler_->name(); }

 private:
  static constexpr uint64_t kFreeSlot = EventId::kNoSequence;
  // Purging is O(n); waiting until stale keys outnumber live ones keeps it amortized O(1) per
  // cancel, and the floor avoids churning on tiny queues.
  static constexpr std::size_t kMinStaleBeforePurge = 1024;

  // One cache line: the sequence that owns the slot (or kFreeSlot) and the payload.
  struct Slot {
    uint64_t sequence = kFreeSlot;
    EventCallback callback;
  };
  static_assert(sizeof(Slot) == 64, "a slot should fill exactly one cache line");

  uint32_t acquireSlot();
  void releaseSlot(uint32_t slot);
  bool isLive(const EventKey& key) const { return slots_[key.slot()].sequence == key.sequence(); }
  void purgeStaleKeys();

  std::unique_ptr<Scheduler> scheduler_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;  // LIFO: the slot just freed is the one still in cache.
  uint64_t next_sequence_ = 0;
  // Invariant: scheduler_->size() == live_ + stale_.
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
};

}  // namespace ctplab::sim
