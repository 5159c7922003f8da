// The live driver's clock: the steady (monotonic) clock read as the project's TimePoint, and back.
// Only reference/live reads it; the data plane below is handed the TimePoints it produces.
#pragma once

#include <chrono>

#include "ctplab/common/time.h"

namespace ctplab::live {

// TimePoints are anchored at the wall-clock instant of construction so they read like Unix time
// in logs, but they advance with the steady clock: a wall-clock step never fires or delays a
// data-plane timer. Immutable after construction, so one clock is shared by every thread.
class LiveClock {
 public:
  LiveClock();
  // A clock whose TimePoint `anchor` corresponds to the steady instant `steady_anchor` (tests).
  LiveClock(TimePoint anchor, std::chrono::steady_clock::time_point steady_anchor);

  TimePoint now() const;
  // The steady instant of `t`, for arming Asio timers at a data-plane deadline.
  std::chrono::steady_clock::time_point toSteady(TimePoint t) const;
  TimePoint fromSteady(std::chrono::steady_clock::time_point t) const;

 private:
  TimePoint anchor_;
  std::chrono::steady_clock::time_point steady_anchor_;
};

}  // namespace ctplab::live
