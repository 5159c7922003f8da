// EventQueue tests: ids, lazy cancellation, slot reuse, and purging of cancelled keys, against
// every scheduler since the queue's correctness depends on each one's exact order.
#include "ctplab/simulator/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "scheduler_kinds.h"

namespace ctplab::sim {
namespace {

TimePoint at(int64_t ns) { return TimePoint::fromUnixNanos(ns); }
constexpr TimePoint kForever = TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());

class EventQueueTest : public ::testing::TestWithParam<SchedulerKind> {
 protected:
  EventQueue queue_{makeScheduler(GetParam())};
  std::vector<int> ran_;

  EventId pushTagged(int64_t time_ns, int tag) {
    return queue_.push(at(time_ns), [this, tag] { ran_.push_back(tag); });
  }

  // Runs everything pending, as a simulator would.
  void drain() {
    TimePoint when;
    EventCallback callback;
    while (queue_.popNotAfter(kForever, &when, &callback)) callback();
  }
};

TEST_P(EventQueueTest, CancelledEventNeverRuns) {
  pushTagged(10, 1);
  const EventId doomed = pushTagged(20, 2);
  pushTagged(30, 3);
  EXPECT_TRUE(queue_.isPending(doomed));
  EXPECT_TRUE(queue_.cancel(doomed));
  EXPECT_FALSE(queue_.isPending(doomed));
  EXPECT_FALSE(queue_.cancel(doomed));  // Second cancel is a no-op.
  EXPECT_EQ(queue_.size(), 2u);
  drain();
  EXPECT_EQ(ran_, (std::vector<int>{1, 3}));
}

TEST_P(EventQueueTest, InvalidAndRunIdsAreNotPending) {
  EXPECT_FALSE(queue_.cancel(EventId{}));
  EXPECT_FALSE(queue_.isPending(EventId{}));
  EXPECT_FALSE(queue_.isPending(EventId{.sequence = 0, .slot = 99}));
  const EventId id = pushTagged(5, 1);
  drain();
  EXPECT_FALSE(queue_.isPending(id));
  EXPECT_FALSE(queue_.cancel(id));
}

TEST_P(EventQueueTest, ReusedSlotDoesNotMatchOldId) {
  const EventId old_id = pushTagged(5, 1);
  ASSERT_TRUE(queue_.cancel(old_id));
  const EventId new_id = pushTagged(6, 2);
  EXPECT_EQ(new_id.slot, old_id.slot);  // LIFO reuse: the freed slot comes back first.
  EXPECT_FALSE(queue_.isPending(old_id));
  EXPECT_FALSE(queue_.cancel(old_id));
  EXPECT_TRUE(queue_.isPending(new_id));
  drain();
  EXPECT_EQ(ran_, (std::vector<int>{2}));
}

TEST_P(EventQueueTest, NextTimeSkipsCancelledEvents) {
  const EventId first = pushTagged(10, 1);
  pushTagged(20, 2);
  EXPECT_EQ(queue_.nextTime(), at(10));
  queue_.cancel(first);
  EXPECT_EQ(queue_.nextTime(), at(20));
  drain();
  EXPECT_EQ(queue_.nextTime(), std::nullopt);
}

TEST_P(EventQueueTest, PopStopsAtLimit) {
  pushTagged(10, 1);
  TimePoint when;
  EventCallback callback;
  EXPECT_FALSE(queue_.popNotAfter(at(9), &when, &callback));
  EXPECT_FALSE(callback);
  EXPECT_TRUE(queue_.popNotAfter(at(10), &when, &callback));
  EXPECT_EQ(when, at(10));
  EXPECT_TRUE(callback);
}

// Cancelling most of a large queue triggers purges; what survives must be exactly the rest.
TEST_P(EventQueueTest, MassCancellationKeepsSurvivorsInOrder) {
  std::vector<EventId> ids;
  for (int i = 0; i < 50000; ++i) ids.push_back(pushTagged(i % 997, i));
  std::vector<int> expected;
  for (int i = 0; i < 50000; ++i) {
    if (i % 10 != 0) {
      ASSERT_TRUE(queue_.cancel(ids[i]));
    }
  }
  for (int i = 0; i < 50000; i += 10) expected.push_back(i);
  std::stable_sort(expected.begin(), expected.end(),
                   [](int a, int b) { return a % 997 < b % 997; });
  EXPECT_EQ(queue_.size(), 5000u);
  drain();
  EXPECT_EQ(ran_, expected);
}

INSTANTIATE_TEST_SUITE_P(AllSchedulers, EventQueueTest, kAllSchedulerKinds, schedulerParamName);

}  // namespace
}  // namespace ctplab::sim
