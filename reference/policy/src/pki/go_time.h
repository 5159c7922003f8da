// Go time.Time as it reaches Envoy Gateway's messages: ASN.1 time text parsed the way
// cryptobyte accepts it, and time.Time.String() rendering that keeps the original zone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ctplab/common/time.h"

namespace ctplab::policy::pki {

// Go time.Time.String() for a UTC instant: "2006-01-02 15:04:05.999999999 +0000 UTC" (the
// fraction is trimmed of trailing zeros and omitted when zero).
std::string formatGoTime(TimePoint t);

// A Go time.Time as parsed from ASN.1: the instant plus the zone it was written in, because
// time.Time.String prints the original zone ("+0100 +0100") rather than converting to UTC.
struct GoTime {
  int64_t unix_seconds = 0;
  int32_t offset_seconds = 0;
  bool utc_zone = true;  // Location UTC (named "UTC") versus an unnamed fixed zone.
};

// The instant of Go's zero time.Time (January 1, year 1, 00:00:00 UTC); Go's CRL parser leaves
// an absent nextUpdate at this value.
inline constexpr int64_t kGoZeroTimeUnix = -62135596800;

// time.Time.String() of a whole-second GoTime, in its own zone.
std::string formatGoTimeValue(const GoTime& t);

// Saturating conversion: certificate times span years 0..9999, TimePoint only ~1678..2262.
TimePoint toTimePoint(int64_t unix_seconds);

// Orders `now` (nanosecond precision) against a whole-second instant without overflowing:
// negative, zero or positive as now is before, at or after it.
int compareNowTo(TimePoint now, int64_t unix_seconds);

// The UTCTime (YYMMDDhhmm[ss]) and GeneralizedTime (YYYYMMDDhhmmss) texts Go's cryptobyte
// accepts, each followed by "Z" or a non-zero "+hhmm"/"-hhmm" offset.
bool parseUtcTimeText(std::string_view t, GoTime* out);
bool parseGeneralizedTimeText(std::string_view t, GoTime* out);

}  // namespace ctplab::policy::pki
