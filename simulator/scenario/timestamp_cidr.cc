// Readers for the two structured text values of scenario files: RFC 3339 instants (for
// certificate checks) and CIDR address ranges (for client source addresses).
#include <string_view>

#include "ctplab/common/ip_address.h"
#include "ctplab/common/ip_cidr.h"
#include "scenario/readers.h"

namespace ctplab::sim::scenario::loader {
namespace {

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool leapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<TimePoint> parseRfc3339(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) ||
      s[7] != '-' || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, hour) || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' ||
      !digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    const size_t start = pos;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      if (pos - start >= 9) return std::nullopt;  // finer than a nanosecond
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t seconds =
      daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return TimePoint::fromUnixNanos(seconds * 1'000'000'000 + nanos);
}

}  // namespace

std::optional<TimePoint> readTimestamp(const Field& f) {
  auto text = f.str();
  if (!text) return std::nullopt;
  auto t = parseRfc3339(*text);
  if (!t) {
    f.error("expected an RFC 3339 time such as 2026-06-01T00:00:00Z, found \"" + *text + "\"");
  }
  return t;
}

std::optional<std::string> readCidr(const Field& f) {
  auto text = f.str();
  if (!text) return std::nullopt;
  // The runtime's parser, so what loads here is what the address pool accepts.
  auto cidr = IpCidr::parse(*text);
  if (!cidr) {
    f.error("expected an address range such as 10.0.0.0/8 or 2001:db8::/32, found \"" + *text +
            "\"");
    return std::nullopt;
  }
  const size_t slash = text->find('/');
  if (slash != std::string::npos && IpAddress::parse(text->substr(0, slash)) != cidr->network()) {
    f.warning("address has host bits set below the /" + std::to_string(cidr->prefixLength()) +
              " prefix; the range is " + cidr->toString());
  }
  return *text;
}

}  // namespace ctplab::sim::scenario::loader
