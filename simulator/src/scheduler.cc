// makeScheduler: the one place that maps a SchedulerKind to its implementation.
// A switch over a closed enum, not a registry: adding a scheduler is a code change, reviewed.
#include "ctplab/simulator/scheduler.h"

#include "ctplab/simulator/check.h"
#include "ctplab/simulator/dary_heap_scheduler.h"
#include "ctplab/simulator/ladder_queue_scheduler.h"

namespace ctplab::sim {

std::unique_ptr<Scheduler> makeScheduler(SchedulerKind kind) {
  switch (kind) {
    case SchedulerKind::kBinaryHeap:
      return std::make_unique<BinaryHeapScheduler>();
    case SchedulerKind::kQuaternaryHeap:
      return std::make_unique<QuaternaryHeapScheduler>();
    case SchedulerKind::kLadderQueue:
      return std::make_unique<LadderQueueScheduler>();
  }
  CTPLAB_SIM_CHECK(false, "unknown scheduler kind");
}

std::string_view schedulerName(SchedulerKind kind) {
  switch (kind) {
    case SchedulerKind::kBinaryHeap:
      return "binary-heap";
    case SchedulerKind::kQuaternaryHeap:
      return "4-ary-heap";
    case SchedulerKind::kLadderQueue:
      return "ladder-queue";
  }
  return "unknown";
}

}  // namespace ctplab::sim
