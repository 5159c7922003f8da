// Strong time types: the only notion of time in reference/ (int64 nanoseconds).
// Drivers read clocks; everything below them receives a TimePoint as an argument.
#pragma once

#include <compare>
#include <cstdint>

namespace ctplab {

// A signed span of time in nanoseconds.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t ns) { return Duration(ns); }
  static constexpr Duration microseconds(int64_t us) { return Duration(us * 1'000); }
  static constexpr Duration milliseconds(int64_t ms) { return Duration(ms * 1'000'000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1'000'000'000); }

  constexpr int64_t ns() const { return ns_; }
  constexpr int64_t wholeSeconds() const { return ns_ / 1'000'000'000; }
  constexpr int64_t wholeMilliseconds() const { return ns_ / 1'000'000; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// An instant as nanoseconds since the Unix epoch (UTC). The simulator starts its virtual clock
// at an arbitrary epoch; the policy engine uses real calendar time for certificate validity.
class TimePoint {
 public:
  constexpr TimePoint() = default;
  static constexpr TimePoint fromUnixNanos(int64_t ns) { return TimePoint(ns); }
  static constexpr TimePoint fromUnixSeconds(int64_t s) { return TimePoint(s * 1'000'000'000); }

  constexpr int64_t unixNanos() const { return ns_; }
  constexpr int64_t unixSeconds() const {
    // Floor division so instants before 1970 still map to the second that contains them.
    return ns_ >= 0 ? ns_ / 1'000'000'000 : -((-ns_ + 999'999'999) / 1'000'000'000);
  }

  constexpr TimePoint operator+(Duration d) const { return TimePoint(ns_ + d.ns()); }
  constexpr TimePoint operator-(Duration d) const { return TimePoint(ns_ - d.ns()); }
  constexpr Duration operator-(TimePoint o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr auto operator<=>(const TimePoint&) const = default;

 private:
  constexpr explicit TimePoint(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

}  // namespace ctplab
