// Scheduler: the pluggable priority structure that orders pending EventKeys for an EventQueue.
// Implementations differ only in speed; each must pop keys in exactly ascending (time, sequence).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/simulator/event_key.h"

namespace ctplab::sim {

// A closed set: new schedulers are added here, not registered at run time.
enum class SchedulerKind {
  kBinaryHeap,
  kQuaternaryHeap,
  kLadderQueue,
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;

  // Keys pushed are unique. Callers never push a key earlier than one already popped (time only
  // moves forward), which the ladder queue relies on.
  virtual void push(EventKey key) = 0;

  // Removes the smallest key into *out if its time is at or before `limit`; false otherwise.
  // One call instead of peek+pop because this is the hot path of every event.
  virtual bool popNotAfter(TimePoint limit, EventKey* out) = 0;

  // The smallest key, left in place. Not const: a lazy structure may sort on demand.
  virtual std::optional<EventKey> peek() = 0;

  virtual std::size_t size() const = 0;

  // Drops every key for which `keep` is false; used to purge lazily cancelled events. Rare, so a
  // std::function costs nothing that matters.
  virtual void retainIf(const std::function<bool(const EventKey&)>& keep) = 0;

  virtual std::string_view name() const = 0;
};

std::unique_ptr<Scheduler> makeScheduler(SchedulerKind kind);
std::string_view schedulerName(SchedulerKind kind);

}  // namespace ctplab::sim
