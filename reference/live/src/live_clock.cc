#include "ctplab/live/live_clock.h"

namespace ctplab::live {

namespace {

int64_t nanosSince(std::chrono::steady_clock::time_point from,
                   std::chrono::steady_clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

}  // namespace

LiveClock::LiveClock()
    : LiveClock(TimePoint::fromUnixNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()),
                std::chrono::steady_clock::now()) {}

LiveClock::LiveClock(TimePoint anchor, std::chrono::steady_clock::time_point steady_anchor)
    : anchor_(anchor), steady_anchor_(steady_anchor) {}

TimePoint LiveClock::now() const { return fromSteady(std::chrono::steady_clock::now()); }

std::chrono::steady_clock::time_point LiveClock::toSteady(TimePoint t) const {
  return steady_anchor_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::nanoseconds((t - anchor_).ns()));
}

TimePoint LiveClock::fromSteady(std::chrono::steady_clock::time_point t) const {
  return anchor_ + Duration::nanoseconds(nanosSince(steady_anchor_, t));
}

}  // namespace ctplab::live
