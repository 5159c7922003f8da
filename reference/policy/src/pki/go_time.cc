#include "pki/go_time.h"

#include <array>
#include <limits>

namespace ctplab::policy::pki {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// Calendar arithmetic is proleptic Gregorian, as Go's time package uses.

constexpr int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

bool isLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int64_t daysInMonth(int64_t m, int64_t y) {
  static constexpr std::array<int64_t, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && isLeapYear(y)) return 29;
  return kDays[static_cast<size_t>(m - 1)];
}

int64_t floorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static_assert(daysFromCivil(1, 1, 1) * 86400 == kGoZeroTimeUnix);

void appendPadded(std::string* out, int64_t v, int width) {
  if (v < 0) {
    out->push_back('-');
    v = -v;
  }
  std::string digits = std::to_string(v);
  if (static_cast<int>(digits.size()) < width) {
    out->append(static_cast<size_t>(width) - digits.size(), '0');
  }
  out->append(digits);
}

void appendZone(std::string* out, int32_t offset_seconds) {
  int64_t zone = offset_seconds / 60;
  if (zone < 0) {
    out->push_back('-');
    zone = -zone;
  } else {
    out->push_back('+');
  }
  appendPadded(out, zone / 60, 2);
  appendPadded(out, zone % 60, 2);
}

// Go time.Time.String(): layout "2006-01-02 15:04:05.999999999 -0700 MST".
std::string formatGoTimeParts(int64_t unix_seconds, int64_t nanos, int32_t offset_seconds,
                              bool utc_zone) {
  const int64_t local = unix_seconds + offset_seconds;
  const int64_t days = floorDiv(local, 86400);
  const int64_t secs = local - days * 86400;
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  civilFromDays(days, &y, &m, &d);
  std::string out;
  appendPadded(&out, y, 4);
  out.push_back('-');
  appendPadded(&out, m, 2);
  out.push_back('-');
  appendPadded(&out, d, 2);
  out.push_back(' ');
  appendPadded(&out, secs / 3600, 2);
  out.push_back(':');
  appendPadded(&out, (secs / 60) % 60, 2);
  out.push_back(':');
  appendPadded(&out, secs % 60, 2);
  if (nanos != 0) {
    std::string frac = std::to_string(nanos);
    frac.insert(0, 9 - frac.size(), '0');
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out.push_back('.');
    out.append(frac);
  }
  out.push_back(' ');
  appendZone(&out, offset_seconds);
  out.push_back(' ');
  if (utc_zone) {
    out.append("UTC");
  } else {
    appendZone(&out, offset_seconds);
  }
  return out;
}

bool readDigits(std::string_view t, size_t* pos, size_t count, int64_t* out) {
  if (*pos + count > t.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = t[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += count;
  *out = v;
  return true;
}

// Accepts exactly the strings that survive Go's time.Parse(layout) followed by the
// Format(layout) == input round-trip check in cryptobyte's ReadASN1UTCTime/GeneralizedTime.
// With Local being UTC, "+0000"/"-0000" re-format as "Z" and so are rejected.
bool parseTimeLayout(std::string_view t, int year_digits, bool with_seconds, GoTime* out) {
  size_t pos = 0;
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
  int64_t hour = 0;
  int64_t minute = 0;
  int64_t second = 0;
  if (!readDigits(t, &pos, static_cast<size_t>(year_digits), &year)) return false;
  if (year_digits == 2) year += year >= 69 ? 1900 : 2000;
  if (!readDigits(t, &pos, 2, &month) || month < 1 || month > 12) return false;
  if (!readDigits(t, &pos, 2, &day)) return false;
  if (!readDigits(t, &pos, 2, &hour) || hour > 23) return false;
  if (!readDigits(t, &pos, 2, &minute) || minute > 59) return false;
  if (with_seconds && (!readDigits(t, &pos, 2, &second) || second > 59)) return false;
  if (day < 1 || day > daysInMonth(month, year)) return false;
  GoTime result;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else {
    if (pos >= t.size() || (t[pos] != '+' && t[pos] != '-')) return false;
    const bool negative = t[pos] == '-';
    ++pos;
    int64_t zh = 0;
    int64_t zm = 0;
    if (!readDigits(t, &pos, 2, &zh) || !readDigits(t, &pos, 2, &zm)) return false;
    if (zh > 24 || zm > 59 || (zh == 0 && zm == 0)) return false;
    const int64_t offset = (zh * 60 + zm) * 60;
    result.offset_seconds = static_cast<int32_t>(negative ? -offset : offset);
    result.utc_zone = false;
  }
  if (pos != t.size()) return false;
  if (year_digits == 2 && year >= 2050) year -= 100;
  result.unix_seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                        second - result.offset_seconds;
  *out = result;
  return true;
}

}  // namespace

std::string formatGoTimeValue(const GoTime& t) {
  return formatGoTimeParts(t.unix_seconds, 0, t.offset_seconds, t.utc_zone);
}

TimePoint toTimePoint(int64_t unix_seconds) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / kNanosPerSecond;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / kNanosPerSecond;
  if (unix_seconds > kMax) return TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());
  if (unix_seconds < kMin) return TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::min());
  return TimePoint::fromUnixSeconds(unix_seconds);
}

int compareNowTo(TimePoint now, int64_t unix_seconds) {
  const int64_t now_seconds = now.unixSeconds();
  if (now_seconds != unix_seconds) return now_seconds < unix_seconds ? -1 : 1;
  const int64_t remainder = now.unixNanos() - now_seconds * kNanosPerSecond;
  return remainder > 0 ? 1 : 0;
}

bool parseUtcTimeText(std::string_view t, GoTime* out) {
  return parseTimeLayout(t, 2, true, out) || parseTimeLayout(t, 2, false, out);
}

bool parseGeneralizedTimeText(std::string_view t, GoTime* out) {
  return parseTimeLayout(t, 4, true, out);
}

std::string formatGoTime(TimePoint t) {
  const int64_t seconds = t.unixSeconds();
  return formatGoTimeParts(seconds, t.unixNanos() - seconds * kNanosPerSecond, 0, true);
}

}  // namespace ctplab::policy::pki
