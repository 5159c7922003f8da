// EventQueue implementation: slot bookkeeping, lazy cancellation and stale-key purging.
// Every path is O(1) except the purge, which runs only when stale keys outnumber live ones.
#include "ctplab/simulator/event_queue.h"

#include <utility>

#include "ctplab/simulator/check.h"

namespace ctplab::sim {

EventQueue::EventQueue(std::unique_ptr<Scheduler> scheduler) : scheduler_(std::move(scheduler)) {
  CTPLAB_SIM_CHECK(scheduler_ != nullptr, "an event queue needs a scheduler");
}

EventId EventQueue::push(TimePoint at, EventCallback callback) {
  CTPLAB_SIM_CHECK(next_sequence_ < EventKey::kMaxSequence, "sequence numbers exhausted");
  const uint64_t sequence = next_sequence_++;
  const uint32_t slot = acquireSlot();
  slots_[slot].sequence = sequence;
  slots_[slot].callback = std::move(callback);
  scheduler_->push(EventKey(at, sequence, slot));
  ++live_;
  return EventId{sequence, slot};
}

bool EventQueue::cancel(EventId id) {
  if (!isPending(id)) return false;
  releaseSlot(id.slot);
  --live_;
  ++stale_;
  if (stale_ >= kMinStaleBeforePurge && stale_ > live_) purgeStaleKeys();
  return true;
}

bool EventQueue::isPending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].sequence == id.sequence;
}

bool EventQueue::popNotAfter(TimePoint limit, TimePoint* at, EventCallback* callback) {
  // Emptied first: destroying an old capture may schedule events and move slots_ around.
  callback->reset();
  EventKey key;
  while (scheduler_->popNotAfter(limit, &key)) {
    if (!isLive(key)) {
      --stale_;
      continue;
    }
    Slot& slot = slots_[key.slot()];
    *at = key.time();
    *callback = std::move(slot.callback);
    releaseSlot(key.slot());
    --live_;
    // With many pending events the next slot is a cache miss; start it now so it overlaps with
    // running this event.
    if (const std::optional<EventKey> next = scheduler_->peek()) {
      __builtin_prefetch(&slots_[next->slot()]);
    }
    return true;
  }
  return false;
}

std::optional<TimePoint> EventQueue::nextTime() {
  while (std::optional<EventKey> key = scheduler_->peek()) {
    if (isLive(*key)) return key->time();
    EventKey discarded;
    scheduler_->popNotAfter(key->time(), &discarded);
    --stale_;
  }
  return std::nullopt;
}

uint32_t EventQueue::acquireSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  CTPLAB_SIM_CHECK(slots_.size() < EventKey::kMaxSlots, "too many pending events");
  slots_.emplace_back();
  return static_cast<uint32_t>(slots_.size() - 1);
}

void EventQueue::releaseSlot(uint32_t slot) {
  EventCallback doomed = std::move(slots_[slot].callback);
  slots_[slot].sequence = kFreeSlot;
  free_slots_.push_back(slot);
  // `doomed` dies last, after the bookkeeping: a capture's destructor may schedule or cancel
  // events, which can grow slots_ under a reference into it.
}

void EventQueue::purgeStaleKeys() {
  scheduler_->retainIf([this](const EventKey& key) { return isLive(key); });
  stale_ = 0;
  CTPLAB_SIM_CHECK(scheduler_->size() == live_, "purge left stale keys behind");
}

}  // namespace ctplab::sim
