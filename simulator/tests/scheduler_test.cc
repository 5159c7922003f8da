// Scheduler tests, run against every implementation: exact (time, sequence) order, FIFO on ties,
// the pop limit, purging, and agreement with a sorted reference on random and adversarial loads.
#include "ctplab/simulator/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "ctplab/simulator/rng.h"
#include "scheduler_kinds.h"

namespace ctplab::sim {
namespace {

TimePoint at(int64_t ns) { return TimePoint::fromUnixNanos(ns); }
constexpr TimePoint kForever = TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());

class SchedulerTest : public ::testing::TestWithParam<SchedulerKind> {
 protected:
  void SetUp() override { scheduler_ = makeScheduler(GetParam()); }

  void push(int64_t time_ns) {
    scheduler_->push(EventKey(at(time_ns), next_sequence_, static_cast<uint32_t>(next_sequence_)));
    reference_.insert(EventKey(at(time_ns), next_sequence_, static_cast<uint32_t>(next_sequence_)));
    ++next_sequence_;
  }

  // Pops one key and checks it is the reference's smallest.
  void popAndCompare() {
    ASSERT_FALSE(reference_.empty());
    EventKey key;
    ASSERT_TRUE(scheduler_->popNotAfter(kForever, &key));
    EXPECT_EQ(key, *reference_.begin());
    reference_.erase(reference_.begin());
    ASSERT_EQ(scheduler_->size(), reference_.size());
  }

  // Bounded by the reference size, and stops at the first mismatch instead of cascading.
  void drainAndCompare() {
    for (std::size_t n = reference_.size(); n > 0 && !HasFailure(); --n) popAndCompare();
  }

  std::vector<uint64_t> drainSequences() {
    std::vector<uint64_t> sequences;
    EventKey key;
    while (scheduler_->popNotAfter(kForever, &key)) sequences.push_back(key.sequence());
    return sequences;
  }

  std::unique_ptr<Scheduler> scheduler_;
  std::set<EventKey> reference_;
  uint64_t next_sequence_ = 0;
};

TEST(EventKeyTest, OrdersByTimeThenSequence) {
  EXPECT_LT(EventKey(at(1), 9, 0), EventKey(at(2), 0, 0));
  EXPECT_LT(EventKey(at(5), 1, 7), EventKey(at(5), 2, 3));
  EXPECT_LT(EventKey(at(-5), 0, 0), EventKey(at(3), 0, 0));
  EXPECT_LT(EventKey(at(std::numeric_limits<int64_t>::min()), 1, 0),
            EventKey(at(std::numeric_limits<int64_t>::max()), 0, 0));
  const EventKey key(at(123), EventKey::kMaxSequence - 1, EventKey::kMaxSlots - 1);
  EXPECT_EQ(key.time(), at(123));
  EXPECT_EQ(key.sequence(), EventKey::kMaxSequence - 1);
  EXPECT_EQ(key.slot(), EventKey::kMaxSlots - 1);
  static_assert(sizeof(EventKey) == 16);
}

TEST_P(SchedulerTest, NameMatchesKind) { EXPECT_EQ(scheduler_->name(), schedulerName(GetParam())); }

TEST_P(SchedulerTest, PopsInTimeOrder) {
  for (int64_t t : {50, 10, 40, 20, 30}) push(t);
  EXPECT_EQ(drainSequences(), (std::vector<uint64_t>{1, 3, 4, 2, 0}));
  EXPECT_EQ(scheduler_->size(), 0u);
}

TEST_P(SchedulerTest, EqualTimesPopInInsertionOrder) {
  for (int i = 0; i < 200; ++i) push(i % 2 == 0 ? 7 : 3);
  const std::vector<uint64_t> got = drainSequences();
  std::vector<uint64_t> expected;
  for (uint64_t i = 1; i < 200; i += 2) expected.push_back(i);
  for (uint64_t i = 0; i < 200; i += 2) expected.push_back(i);
  EXPECT_EQ(got, expected);
}

TEST_P(SchedulerTest, PopRespectsLimitAndPeekDoesNotRemove) {
  push(10);
  push(20);
  EventKey key;
  EXPECT_FALSE(scheduler_->popNotAfter(at(9), &key));
  ASSERT_TRUE(scheduler_->peek().has_value());
  EXPECT_EQ(scheduler_->peek()->time(), at(10));
  EXPECT_EQ(scheduler_->size(), 2u);
  EXPECT_TRUE(scheduler_->popNotAfter(at(10), &key));  // The limit is inclusive.
  EXPECT_EQ(key.time(), at(10));
  EXPECT_FALSE(scheduler_->popNotAfter(at(19), &key));
  EXPECT_TRUE(scheduler_->popNotAfter(at(20), &key));
  EXPECT_FALSE(scheduler_->peek().has_value());
  EXPECT_FALSE(scheduler_->popNotAfter(kForever, &key));
}

TEST_P(SchedulerTest, RetainIfDropsOnlyRejectedKeys) {
  Rng rng(3);
  for (int i = 0; i < 5000; ++i) push(rng.uniformInt(0, 2000));
  for (int i = 0; i < 1000; ++i) popAndCompare();  // Spread keys over every internal level.
  const auto keep = [](const EventKey& key) { return key.sequence() % 3 != 0; };
  scheduler_->retainIf(keep);
  std::erase_if(reference_, [&keep](const EventKey& key) { return !keep(key); });
  ASSERT_EQ(scheduler_->size(), reference_.size());
  for (int i = 0; i < 2000; ++i) push(rng.uniformInt(1000, 3000));
  drainAndCompare();
}

// The simulator's pattern: time never goes back, new keys cluster just after the last popped one.
TEST_P(SchedulerTest, HoldModelMatchesReference) {
  Rng rng(17);
  for (int i = 0; i < 3000; ++i) push(static_cast<int64_t>(rng.exponential(100.0)));
  for (int i = 0; i < 200000 && !HasFailure(); ++i) {
    const int64_t now = reference_.begin()->timeNanos();
    popAndCompare();
    push(now + static_cast<int64_t>(rng.exponential(100.0)));
  }
}

// Many ties, several time scales, growing and shrinking populations, and pushes behind the
// last popped key (schedulers must not assume monotone input).
TEST_P(SchedulerTest, MixedLoadMatchesReference) {
  Rng rng(99);
  int64_t now = 0;
  for (int round = 0; round < 300000 && !HasFailure(); ++round) {
    const uint64_t action = rng.uniformBelow(100);
    const bool grow = (round / 20000) % 2 == 0;
    if (reference_.empty() || action < (grow ? 60u : 40u)) {
      int64_t t = now;
      switch (rng.uniformBelow(5)) {
        case 0:
          t = now;
          break;  // tie with now
        case 1:
          t = now + rng.uniformInt(0, 3);
          break;  // near ties
        case 2:
          t = now + static_cast<int64_t>(rng.exponential(1e3));
          break;
        case 3:
          t = now + rng.uniformInt(0, 1'000'000'000);
          break;  // far timers
        default:
          t = now - rng.uniformInt(0, 50);
          break;  // behind now
      }
      push(t);
    } else {
      now = reference_.begin()->timeNanos();
      popAndCompare();
    }
  }
  drainAndCompare();
}

// Times spread over 60 binary orders of magnitude: the ladder must refine rung after rung, up
// to its depth limit, and fall back to sorting.
TEST_P(SchedulerTest, GeometricSpreadMatchesReference) {
  Rng rng(5);
  for (int i = 0; i < 20000; ++i) {
    push(static_cast<int64_t>(std::ldexp(1.0, static_cast<int>(rng.uniformBelow(60))) *
                              rng.uniform(1.0, 2.0)));
  }
  for (int i = 0; i < 10000 && !HasFailure(); ++i) popAndCompare();
  for (int i = 0; i < 5000; ++i) push(reference_.begin()->timeNanos() + rng.uniformInt(0, 1000));
  drainAndCompare();
}

// One far timer (an idle timeout) taken in with a few near keys: every later push lands below
// it, among keys already sorted for popping, while the population grows. The ladder has to hand
// such a crowd back to a rung rather than keep it sorted.
TEST_P(SchedulerTest, GrowingCrowdBelowAFarTimerMatchesReference) {
  Rng rng(23);
  push(1'000'000'000);
  for (int i = 0; i < 8; ++i) push(i);
  for (int i = 0; i < 100000 && !HasFailure(); ++i) {
    const int64_t now = reference_.begin()->timeNanos();
    popAndCompare();
    const int pushes = i < 50000 ? 2 : 1;  // grows, then holds
    for (int p = 0; p < pushes; ++p) push(now + static_cast<int64_t>(rng.exponential(1e4)));
  }
  drainAndCompare();
}

// A burst of simultaneous events (a whole population starting at t = 0), growing while it drains.
TEST_P(SchedulerTest, LargeTiedBurstStaysFifo) {
  for (int i = 0; i < 20000; ++i) push(0);
  for (int i = 0; i < 20000 && !HasFailure(); ++i) {
    popAndCompare();
    push(i % 2 == 0 ? 0 : 1);
  }
  drainAndCompare();
}

TEST_P(SchedulerTest, ExtremeTimesKeepOrder) {
  const int64_t lo = std::numeric_limits<int64_t>::min();
  const int64_t hi = std::numeric_limits<int64_t>::max();
  for (int i = 0; i < 100; ++i) {
    push(hi);
    push(lo);
    push(0);
    push(hi - i);
    push(lo + i);
  }
  for (int i = 0; i < 250; ++i) popAndCompare();
  for (int i = 0; i < 100; ++i) push(hi - 2 * i);
  drainAndCompare();
}

INSTANTIATE_TEST_SUITE_P(AllSchedulers, SchedulerTest, kAllSchedulerKinds, schedulerParamName);

}  // namespace
}  // namespace ctplab::sim
