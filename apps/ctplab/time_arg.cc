#include "time_arg.h"

#include <chrono>
#include <regex>

namespace ctplab::cli {
namespace {

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::optional<TimePoint> parseRfc3339(const std::string& text) {
  static const std::regex re(
      "^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]+)?"
      "(Z|z|[+-][0-9]{2}:[0-9]{2})$");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return std::nullopt;
  int64_t y = std::stoll(m[1]);
  unsigned mo = static_cast<unsigned>(std::stoul(m[2])),
           d = static_cast<unsigned>(std::stoul(m[3]));
  int64_t h = std::stoll(m[4]), mi = std::stoll(m[5]), s = std::stoll(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  int64_t secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  std::string zone = m[8];
  if (zone != "Z" && zone != "z") {
    int64_t off = std::stoll(zone.substr(1, 2)) * 3600 + std::stoll(zone.substr(4, 2)) * 60;
    secs -= zone[0] == '+' ? off : -off;
  }
  int64_t nanos = 0;
  if (m[7].matched) {
    std::string frac = m[7].str().substr(1);
    frac = (frac + "000000000").substr(0, 9);
    nanos = std::stoll(frac);
  }
  return TimePoint::fromUnixNanos(secs * 1'000'000'000 + nanos);
}

TimePoint wallClockNow() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return TimePoint::fromUnixNanos(ns);
}

}  // namespace ctplab::cli
