// EventCallback tests: inline and boxed storage, move-only captures, and that every capture is
// destroyed exactly once (events release what they hold when they run or are cancelled).
#include "ctplab/simulator/event_callback.h"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <utility>

namespace ctplab::sim {
namespace {

// Counts live copies so tests can see every construction matched by one destruction.
struct Tracker {
  explicit Tracker(int* live) : live_(live) { ++*live_; }
  Tracker(Tracker&& other) noexcept : live_(other.live_) { ++*live_; }
  Tracker(const Tracker&) = delete;
  ~Tracker() { --*live_; }
  int* live_;
};

TEST(EventCallbackTest, EmptyByDefault) {
  EventCallback callback;
  EXPECT_FALSE(callback);
}

TEST(EventCallbackTest, RunsSmallTrivialLambda) {
  int calls = 0;
  EventCallback callback([&calls] { ++calls; });
  ASSERT_TRUE(callback);
  callback();
  callback();
  EXPECT_EQ(calls, 2);
}

TEST(EventCallbackTest, RunsLargeCaptureFromTheHeap) {
  std::array<int, 64> big{};
  big[63] = 7;
  int seen = 0;
  EventCallback callback([big, &seen] { seen = big[63]; });
  EventCallback moved(std::move(callback));
  EXPECT_FALSE(callback);  // NOLINT(bugprone-use-after-move): moved-from state is specified.
  moved();
  EXPECT_EQ(seen, 7);
}

TEST(EventCallbackTest, OwnsMoveOnlyCapture) {
  auto payload = std::make_unique<int>(42);
  int seen = 0;
  EventCallback callback([p = std::move(payload), &seen] { seen = *p; });
  EventCallback other;
  other = std::move(callback);
  other();
  EXPECT_EQ(seen, 42);
}

TEST(EventCallbackTest, DestroysCapturesExactlyOnce) {
  int live = 0;
  {
    EventCallback a([t = Tracker(&live)] {});
    EXPECT_EQ(live, 1);
    EventCallback b(std::move(a));
    EXPECT_EQ(live, 1);
    EventCallback c;
    c = std::move(b);
    EXPECT_EQ(live, 1);
    c.reset();
    EXPECT_EQ(live, 0);
    EventCallback d([t = Tracker(&live), pad = std::array<char, 100>{}] { (void)pad; });
    EXPECT_EQ(live, 1);
    d = EventCallback([t = Tracker(&live)] {});  // Assignment destroys the old capture first.
    EXPECT_EQ(live, 1);
  }
  EXPECT_EQ(live, 0);
}

}  // namespace
}  // namespace ctplab::sim
