#include "pki/pki.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <utility>

#include "pki/openssl_handles.h"

namespace ctplab::policy::pki {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr char32_t kRuneError = 0xFFFD;

// ==============================================================================================
// UTF-8 and Go string helpers

struct RuneAndSize {
  char32_t rune;
  size_t size;
};

// Same contract as Go utf8.DecodeRune: invalid or truncated sequences yield (U+FFFD, 1).
RuneAndSize decodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (c0 < 0x80) return {c0, 1};
  size_t n = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((c0 & 0xE0) == 0xC0) {
    n = 2, r = c0 & 0x1F, min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    n = 3, r = c0 & 0x0F, min = 0x800;
  } else if ((c0 & 0xF8) == 0xF0) {
    n = 4, r = c0 & 0x07, min = 0x10000;
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < n) return {kRuneError, 1};
  for (size_t i = 1; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) return {kRuneError, 1};
    r = (r << 6) | (c & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return {kRuneError, 1};
  return {r, n};
}

// Same contract as Go utf8.DecodeLastRune.
RuneAndSize decodeLastRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  size_t start = s.size() - 1;
  const size_t limit = s.size() >= 4 ? s.size() - 4 : 0;
  while (start > limit && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  const RuneAndSize r = decodeRune(s.substr(start));
  if (start + r.size != s.size()) return {kRuneError, 1};
  return r;
}

bool isRuneError(const RuneAndSize& r) { return r.rune == kRuneError && r.size == 1; }

bool utf8Valid(std::string_view s) {
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (isRuneError(r)) return false;
    s.remove_prefix(r.size);
  }
  return true;
}

void appendRune(std::string* out, char32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

// Go unicode.IsSpace.
bool isUnicodeSpace(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Go bytes.TrimSpace: Unicode-aware, so header values lose e.g. a trailing NBSP too.
std::string_view trimSpace(std::string_view s) {
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (!isUnicodeSpace(r.rune) || isRuneError(r)) break;
    s.remove_prefix(r.size);
  }
  while (!s.empty()) {
    const RuneAndSize r = decodeLastRune(s);
    if (!isUnicodeSpace(r.rune) || isRuneError(r)) break;
    s.remove_suffix(r.size);
  }
  return s;
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Go strconv.Quote for the byte strings that reach messages here (ASCII after IA5 checks, OIDs).
// Printable multi-byte runes are copied, as Go keeps printable Unicode unescaped.
std::string goQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  while (!s.empty()) {
    const RuneAndSize r = decodeRune(s);
    if (isRuneError(r)) {
      const auto b = static_cast<unsigned char>(s[0]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
      s.remove_prefix(1);
      continue;
    }
    const std::string_view rune_bytes = s.substr(0, r.size);
    s.remove_prefix(r.size);
    switch (r.rune) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '"':
        out += "\\\"";
        continue;
      default:
        break;
    }
    if (r.rune < 0x20 || r.rune == 0x7F) {
      out += "\\x";
      out.push_back(kHex[r.rune >> 4]);
      out.push_back(kHex[r.rune & 0xF]);
    } else {
      out.append(rune_bytes);
    }
  }
  out += "\"";
  return out;
}

std::string hexLower(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

// ==============================================================================================
// encoding/base64 (StdEncoding: padded, not strict)

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool isNewline(char c) { return c == '\n' || c == '\r'; }

// Decodes quantum by quantum exactly as Go's decodeQuantum does, so the same inputs fail: CR/LF
// are skipped anywhere, a partial final quantum needs '=' padding, and nothing but CR/LF may
// follow the padding. Non-zero trailing bits are accepted (StdEncoding is not Strict).
bool goBase64Decode(std::string_view src, std::string* out) {
  out->clear();
  size_t si = 0;
  while (si < src.size()) {
    std::array<unsigned, 4> dbuf{};
    int dlen = 4;
    bool finished = false;
    for (int j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return true;
        return false;  // j == 1, or padding required but missing.
      }
      const auto in = static_cast<unsigned char>(src[si]);
      ++si;
      const int v = base64Value(in);
      if (v >= 0) {
        dbuf[j] = static_cast<unsigned>(v);
        continue;
      }
      if (isNewline(static_cast<char>(in))) {
        --j;
        continue;
      }
      if (in != '=') return false;
      if (j < 2) return false;
      if (j == 2) {
        while (si < src.size() && isNewline(src[si])) ++si;
        if (si == src.size()) return false;
        if (src[si] != '=') return false;
        ++si;
      }
      while (si < src.size() && isNewline(src[si])) ++si;
      if (si < src.size()) return false;  // Trailing garbage after padding.
      dlen = j;
      finished = true;
      break;
    }
    const unsigned val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
    const std::array<char, 3> bytes = {static_cast<char>((val >> 16) & 0xFF),
                                       static_cast<char>((val >> 8) & 0xFF),
                                       static_cast<char>(val & 0xFF)};
    out->append(bytes.data(), static_cast<size_t>(dlen - 1));
    if (finished) return true;
  }
  return true;
}

std::string base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 6) & 0x3F]);
    out.push_back(kBase64Alphabet[v & 0x3F]);
  }
  const size_t remaining = in.size() - i;
  if (remaining > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (remaining == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(v >> 12) & 0x3F]);
    out.push_back(remaining == 2 ? kBase64Alphabet[(v >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

// ==============================================================================================
// encoding/pem internals

struct Line {
  std::string_view line;
  std::string_view rest;
  int64_t consumed;
};

// Go pem.getLine: one LF or CRLF terminated line with trailing spaces/tabs trimmed.
Line getLine(std::string_view data) {
  size_t i = data.find('\n');
  size_t j = 0;
  if (i == std::string_view::npos) {
    i = data.size();
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] == '\r') --i;
  }
  std::string_view line = data.substr(0, i);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return {line, data.substr(j), static_cast<int64_t>(j)};
}

std::string removeSpacesAndTabs(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (const char c : data) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

constexpr std::string_view kPemStart = "\n-----BEGIN ";
constexpr std::string_view kPemEnd = "\n-----END ";
constexpr std::string_view kPemEndOfLine = "-----";

// ==============================================================================================
// Calendar arithmetic (proleptic Gregorian, as Go's time package uses)

int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
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

// A Go time.Time as parsed from ASN.1: the instant plus the zone it was written in, because
// time.Time.String prints the original zone ("+0100 +0100") rather than converting to UTC.
struct GoTime {
  int64_t unix_seconds = 0;
  int32_t offset_seconds = 0;
  bool utc_zone = true;  // Location UTC (named "UTC") versus an unnamed fixed zone.
};

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

std::string formatGoTimeValue(const GoTime& t) {
  return formatGoTimeParts(t.unix_seconds, 0, t.offset_seconds, t.utc_zone);
}

// Saturating conversion: certificate times span years 0..9999, TimePoint only ~1678..2262.
TimePoint toTimePoint(int64_t unix_seconds) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / kNanosPerSecond;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / kNanosPerSecond;
  if (unix_seconds > kMax) return TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::max());
  if (unix_seconds < kMin) return TimePoint::fromUnixNanos(std::numeric_limits<int64_t>::min());
  return TimePoint::fromUnixSeconds(unix_seconds);
}

// Orders `now` (nanosecond precision) against a whole-second instant without overflowing.
int compareNowTo(TimePoint now, int64_t unix_seconds) {
  const int64_t now_seconds = now.unixSeconds();
  if (now_seconds != unix_seconds) return now_seconds < unix_seconds ? -1 : 1;
  const int64_t remainder = now.unixNanos() - now_seconds * kNanosPerSecond;
  return remainder > 0 ? 1 : 0;
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

bool parseUtcTimeText(std::string_view t, GoTime* out) {
  return parseTimeLayout(t, 2, true, out) || parseTimeLayout(t, 2, false, out);
}

bool parseGeneralizedTimeText(std::string_view t, GoTime* out) {
  return parseTimeLayout(t, 4, true, out);
}

// The instant of Go's zero time.Time (January 1, year 1, 00:00:00 UTC).
const int64_t kGoZeroTimeUnix = daysFromCivil(1, 1, 1) * 86400;

}  // namespace

namespace {

// ==============================================================================================
// DER reading with golang.org/x/crypto/cryptobyte semantics: low tag numbers only, definite
// minimal lengths, and a failed tag match still consumes the element (as Go's ReadASN1 does).

constexpr uint8_t kTagBoolean = 0x01;
constexpr uint8_t kTagInteger = 0x02;
constexpr uint8_t kTagBitString = 0x03;
constexpr uint8_t kTagOctetString = 0x04;
constexpr uint8_t kTagOid = 0x06;
constexpr uint8_t kTagEnum = 0x0A;
constexpr uint8_t kTagUtf8String = 12;
constexpr uint8_t kTagNumericString = 18;
constexpr uint8_t kTagPrintableString = 19;
constexpr uint8_t kTagT61String = 20;
constexpr uint8_t kTagIa5String = 22;
constexpr uint8_t kTagUtcTime = 23;
constexpr uint8_t kTagGeneralizedTime = 24;
constexpr uint8_t kTagBmpString = 30;
constexpr uint8_t kTagSequence = 0x30;
constexpr uint8_t kTagSet = 0x31;

constexpr uint8_t contextTag(uint8_t n) { return static_cast<uint8_t>(0x80 | n); }
constexpr uint8_t contextConstructed(uint8_t n) { return static_cast<uint8_t>(0xA0 | n); }

using Oid = std::vector<int64_t>;

std::string oidToString(const Oid& oid) {
  std::string out;
  for (size_t i = 0; i < oid.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += std::to_string(oid[i]);
  }
  return out;
}

struct BitString {
  std::string_view bytes;
  int64_t bit_length = 0;

  // Go asn1.BitString.RightAlign.
  std::string rightAlign() const {
    const int64_t shift = 8 - (bit_length % 8);
    if (shift == 8 || bytes.empty()) return std::string(bytes);
    std::string a(bytes.size(), '\0');
    const auto at = [this](size_t i) {
      return static_cast<unsigned>(static_cast<uint8_t>(bytes[i]));
    };
    a[0] = static_cast<char>(at(0) >> shift);
    for (size_t i = 1; i < bytes.size(); ++i) {
      a[i] = static_cast<char>(((at(i - 1) << (8 - shift)) | (at(i) >> shift)) & 0xFF);
    }
    return a;
  }
};

// cryptobyte checkASN1Integer: non-empty and minimally encoded.
bool checkAsn1Integer(std::string_view b) {
  if (b.empty()) return false;
  if (b.size() == 1) return true;
  const auto b0 = static_cast<uint8_t>(b[0]);
  const auto b1 = static_cast<uint8_t>(b[1]);
  return !((b0 == 0 && (b1 & 0x80) == 0) || (b0 == 0xFF && (b1 & 0x80) == 0x80));
}

bool asn1Signed(std::string_view n, int64_t* out) {
  if (n.size() > 8) return false;
  uint64_t v = 0;
  for (const char c : n) v = (v << 8) | static_cast<uint8_t>(c);
  const unsigned shift = 64 - static_cast<unsigned>(n.size()) * 8;
  if (shift < 64) {
    v <<= shift;
    *out = static_cast<int64_t>(v) >> shift;
  } else {
    *out = 0;
  }
  return true;
}

// An INTEGER's sign and magnitude; enough for the sign checks and key comparisons Go performs.
struct BigInt {
  int sign = 0;           // -1, 0 or +1.
  std::string magnitude;  // Big-endian, no leading zero bytes (only for sign >= 0).
};

BigInt bigIntFromContents(std::string_view b) {
  BigInt out;
  if ((static_cast<uint8_t>(b[0]) & 0x80) != 0) {
    out.sign = -1;
    return out;
  }
  size_t i = 0;
  while (i < b.size() && b[i] == 0) ++i;
  out.magnitude = std::string(b.substr(i));
  out.sign = out.magnitude.empty() ? 0 : 1;
  return out;
}

class Der {
 public:
  Der() = default;
  explicit Der(std::string_view s) : s_(s) {}

  bool empty() const { return s_.empty(); }
  std::string_view data() const { return s_; }
  bool peekTag(uint8_t tag) const { return !s_.empty() && static_cast<uint8_t>(s_[0]) == tag; }

  bool readAnyElement(std::string_view* out, uint8_t* tag) { return readImpl(out, tag, false); }
  bool readAny(std::string_view* out, uint8_t* tag) { return readImpl(out, tag, true); }

  bool read(std::string_view* out, uint8_t tag) {
    uint8_t t = 0;
    return readAny(out, &t) && t == tag;
  }
  bool readElement(std::string_view* out, uint8_t tag) {
    uint8_t t = 0;
    return readAnyElement(out, &t) && t == tag;
  }
  bool skipOptional(uint8_t tag) {
    if (!peekTag(tag)) return true;
    std::string_view unused;
    return read(&unused, tag);
  }
  bool readOptional(std::string_view* out, bool* present, uint8_t tag) {
    *present = peekTag(tag);
    return !*present || read(out, tag);
  }

  bool readInt64(int64_t* out) { return readInt64WithTag(out, kTagInteger); }
  bool readInt64WithTag(int64_t* out, uint8_t tag) {
    std::string_view b;
    return read(&b, tag) && checkAsn1Integer(b) && asn1Signed(b, out);
  }
  bool readUint64(uint64_t* out) {
    std::string_view b;
    if (!read(&b, kTagInteger) || !checkAsn1Integer(b)) return false;
    if (b.size() > 9 || (b.size() == 9 && b[0] != 0)) return false;
    if ((static_cast<uint8_t>(b[0]) & 0x80) != 0) return false;
    uint64_t v = 0;
    for (const char c : b) v = (v << 8) | static_cast<uint8_t>(c);
    *out = v;
    return true;
  }
  bool readBigInt(BigInt* out) {
    std::string_view b;
    if (!read(&b, kTagInteger) || !checkAsn1Integer(b)) return false;
    *out = bigIntFromContents(b);
    return true;
  }
  bool readEnum(int64_t* out) {
    std::string_view b;
    return read(&b, kTagEnum) && checkAsn1Integer(b) && asn1Signed(b, out);
  }
  bool readBool(bool* out) {
    std::string_view b;
    if (!read(&b, kTagBoolean) || b.size() != 1) return false;
    const auto v = static_cast<uint8_t>(b[0]);
    if (v == 0) {
      *out = false;
    } else if (v == 0xFF) {
      *out = true;
    } else {
      return false;
    }
    return true;
  }
  bool readBitString(BitString* out) {
    std::string_view b;
    if (!read(&b, kTagBitString) || b.empty()) return false;
    const auto padding = static_cast<uint8_t>(b[0]);
    b.remove_prefix(1);
    if (padding > 7 || (b.empty() && padding != 0) ||
        (!b.empty() && (static_cast<uint8_t>(b.back()) & ((1u << padding) - 1)) != 0)) {
      return false;
    }
    out->bytes = b;
    out->bit_length = static_cast<int64_t>(b.size()) * 8 - padding;
    return true;
  }
  bool readOid(Oid* out) {
    std::string_view b;
    if (!read(&b, kTagOid) || b.empty()) return false;
    Der contents(b);
    int64_t v = 0;
    if (!contents.readBase128(&v)) return false;
    Oid oid;
    if (v < 80) {
      oid.push_back(v / 40);
      oid.push_back(v % 40);
    } else {
      oid.push_back(2);
      oid.push_back(v - 80);
    }
    while (!contents.empty()) {
      if (!contents.readBase128(&v)) return false;
      oid.push_back(v);
    }
    *out = std::move(oid);
    return true;
  }

 private:
  bool readImpl(std::string_view* out, uint8_t* out_tag, bool skip_header) {
    if (s_.size() < 2) return false;
    const auto tag = static_cast<uint8_t>(s_[0]);
    const auto len_byte = static_cast<uint8_t>(s_[1]);
    if ((tag & 0x1F) == 0x1F) return false;
    *out_tag = tag;
    uint64_t length = 0;
    uint64_t header_len = 0;
    if ((len_byte & 0x80) == 0) {
      length = len_byte + 2u;
      header_len = 2;
    } else {
      const unsigned len_len = len_byte & 0x7F;
      if (len_len == 0 || len_len > 4 || s_.size() < 2 + len_len) return false;
      uint32_t len32 = 0;
      for (unsigned i = 0; i < len_len; ++i) len32 = (len32 << 8) | static_cast<uint8_t>(s_[2 + i]);
      if (len32 < 128) return false;
      if ((len32 >> ((len_len - 1) * 8)) == 0) return false;
      header_len = 2 + len_len;
      length = header_len + len32;
      if (static_cast<uint32_t>(header_len + len32) < len32) return false;  // uint32 overflow.
    }
    if (length > s_.size()) return false;
    const std::string_view element = s_.substr(0, length);
    s_.remove_prefix(length);
    *out = skip_header ? element.substr(header_len) : element;
    return true;
  }

  // cryptobyte readBase128Int: at most 5 bytes, no 0x80 lead byte, result below 2^31.
  bool readBase128(int64_t* out) {
    int64_t ret = 0;
    for (int i = 0; !s_.empty(); ++i) {
      if (i == 5) return false;
      if (ret >= (int64_t{1} << (31 - 7))) return false;
      ret <<= 7;
      const auto b = static_cast<uint8_t>(s_[0]);
      s_.remove_prefix(1);
      if (i == 0 && b == 0x80) return false;
      ret |= b & 0x7F;
      if ((b & 0x80) == 0) {
        *out = ret;
        return true;
      }
    }
    return false;
  }

  std::string_view s_;
};

// Go x509 newOIDFromDER: arbitrary-size arcs, minimal encoding, no truncated final arc.
bool validOidDer(std::string_view der) {
  if (der.empty() || (static_cast<uint8_t>(der.back()) & 0x80) != 0) return false;
  size_t start = 0;
  for (size_t i = 0; i < der.size(); ++i) {
    const auto v = static_cast<uint8_t>(der[i]);
    if (i == start && v == 0x80) return false;
    if ((v & 0x80) == 0) start = i + 1;
  }
  return true;
}

const Oid kOidCommonName = {2, 5, 4, 3};
const Oid kOidPublicKeyRsa = {1, 2, 840, 113549, 1, 1, 1};
const Oid kOidPublicKeyDsa = {1, 2, 840, 10040, 4, 1};
const Oid kOidPublicKeyEcdsa = {1, 2, 840, 10045, 2, 1};
const Oid kOidPublicKeyEd25519 = {1, 3, 101, 112};
const Oid kOidPublicKeyX25519 = {1, 3, 101, 110};
const Oid kOidCurveP224 = {1, 3, 132, 0, 33};
const Oid kOidCurveP256 = {1, 2, 840, 10045, 3, 1, 7};
const Oid kOidCurveP384 = {1, 3, 132, 0, 34};
const Oid kOidCurveP521 = {1, 3, 132, 0, 35};
const Oid kOidAuthorityInfoAccess = {1, 3, 6, 1, 5, 5, 7, 1, 1};
const Oid kOidAiaOcsp = {1, 3, 6, 1, 5, 5, 7, 48, 1};
const Oid kOidExtensionAuthorityKeyId = {2, 5, 29, 35};
const Oid kOidExtensionCrlNumber = {2, 5, 29, 20};
const Oid kOidExtensionReasonCode = {2, 5, 29, 21};

// A NIST curve Go's x509 knows (namedCurveFromOID).
struct NamedCurve {
  int nid = NID_undef;
  int bits = 0;
};

NamedCurve namedCurveFromOid(const Oid& oid) {
  if (oid == kOidCurveP224) return {NID_secp224r1, 224};
  if (oid == kOidCurveP256) return {NID_X9_62_prime256v1, 256};
  if (oid == kOidCurveP384) return {NID_secp384r1, 384};
  if (oid == kOidCurveP521) return {NID_secp521r1, 521};
  return {};
}

size_t coordinateBytes(const NamedCurve& c) { return static_cast<size_t>((c.bits + 7) / 8); }

// ==============================================================================================
// Public keys and the elliptic-curve arithmetic Go's nistec package performs

enum class KeyKind { kNone, kRsa, kEcdsa, kEd25519, kDsa };

struct PublicKey {
  KeyKind kind = KeyKind::kNone;
  std::string rsa_n;  // Modulus magnitude.
  NamedCurve curve;   // ECDSA curve.
  std::string ec_x;   // Fixed-width big-endian coordinates.
  std::string ec_y;
  std::string ed25519;  // 32 raw bytes.
};

BignumPtr bignumFromBytes(std::string_view bytes) {
  return BignumPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                             static_cast<int>(bytes.size()), nullptr));
}

std::string bignumToPadded(const BIGNUM* bn, size_t width) {
  std::string out(width, '\0');
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(width)) < 0) {
    return {};
  }
  return out;
}

// Mirrors ecdsa.ParseUncompressedPublicKey and the nistec SetBytes checks behind it (P-256 uses
// the assembly implementation's wording, the other curves the generic fiat wording).
std::string parseEcdsaPoint(const NamedCurve& curve, std::string_view data, PublicKey* out) {
  if (data.empty() || data[0] != 4) return "ecdsa: invalid uncompressed public key";
  const std::string name = "P" + std::to_string(curve.bits);
  const size_t width = coordinateBytes(curve);
  if (data.size() != 1 + 2 * width) return "invalid " + name + " point encoding";
  EcGroupPtr group(EC_GROUP_new_by_curve_name(curve.nid));
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr p(BN_new());
  BignumPtr x = bignumFromBytes(data.substr(1, width));
  BignumPtr y = bignumFromBytes(data.substr(1 + width, width));
  if (!group || !ctx || !p || !x || !y ||
      EC_GROUP_get_curve(group.get(), p.get(), nullptr, nullptr, ctx.get()) != 1) {
    return "x509: internal error: elliptic curve arithmetic unavailable";
  }
  if (BN_cmp(x.get(), p.get()) >= 0 || BN_cmp(y.get(), p.get()) >= 0) {
    return curve.bits == 256 ? "invalid P256 element encoding"
                             : "invalid " + name + "Element encoding";
  }
  EcPointPtr point(EC_POINT_new(group.get()));
  if (!point ||
      EC_POINT_set_affine_coordinates(group.get(), point.get(), x.get(), y.get(), ctx.get()) != 1 ||
      EC_POINT_is_on_curve(group.get(), point.get(), ctx.get()) != 1) {
    return name + " point not on curve";
  }
  out->kind = KeyKind::kEcdsa;
  out->curve = curve;
  out->ec_x = std::string(data.substr(1, width));
  out->ec_y = std::string(data.substr(1 + width, width));
  return {};
}

// Go crypto/x509 parsePublicKey for the algorithms getPublicKeyAlgorithmFromOID knows.
std::string parsePublicKeyInfo(const Oid& algorithm, std::string_view params_full,
                               const BitString& key_bits, PublicKey* out) {
  const std::string data = key_bits.rightAlign();
  if (algorithm == kOidPublicKeyRsa) {
    if (params_full != std::string_view("\x05\x00", 2)) {
      return "x509: RSA key missing NULL parameters";
    }
    Der der(data);
    std::string_view seq;
    if (!der.read(&seq, kTagSequence)) return "x509: invalid RSA public key";
    Der fields(seq);
    BigInt n;
    int64_t e = 0;
    if (!fields.readBigInt(&n)) return "x509: invalid RSA modulus";
    if (!fields.readInt64(&e)) return "x509: invalid RSA public exponent";
    if (n.sign <= 0) return "x509: RSA modulus is not a positive number";
    if (e <= 0) return "x509: RSA public exponent is not a positive number";
    out->kind = KeyKind::kRsa;
    out->rsa_n = n.magnitude;
    return {};
  }
  if (algorithm == kOidPublicKeyEcdsa) {
    Der params(params_full);
    Oid curve_oid;
    if (!params.readOid(&curve_oid)) return "x509: invalid ECDSA parameters";
    const NamedCurve curve = namedCurveFromOid(curve_oid);
    if (curve.nid == NID_undef) return "x509: unsupported elliptic curve";
    return parseEcdsaPoint(curve, data, out);
  }
  if (algorithm == kOidPublicKeyEd25519) {
    if (!params_full.empty()) return "x509: Ed25519 key encoded with illegal parameters";
    if (data.size() != 32) return "x509: wrong Ed25519 public key size";
    out->kind = KeyKind::kEd25519;
    out->ed25519 = data;
    return {};
  }
  if (algorithm == kOidPublicKeyDsa) {
    Der der(data);
    BigInt y;
    if (!der.readBigInt(&y)) return "x509: invalid DSA public key";
    Der params(params_full);
    std::string_view seq;
    BigInt p;
    BigInt q;
    BigInt g;
    if (!params.read(&seq, kTagSequence)) return "x509: invalid DSA parameters";
    Der fields(seq);
    if (!fields.readBigInt(&p) || !fields.readBigInt(&q) || !fields.readBigInt(&g)) {
      return "x509: invalid DSA parameters";
    }
    if (y.sign <= 0 || p.sign <= 0 || q.sign <= 0 || g.sign <= 0) {
      return "x509: zero or negative DSA parameter";
    }
    out->kind = KeyKind::kDsa;
    return {};
  }
  return "x509: unknown public key algorithm";
}

// Go x509.PublicKeyAlgorithm: 0 unknown, 1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519.
int publicKeyAlgorithmFromOid(const Oid& oid) {
  if (oid == kOidPublicKeyRsa) return 1;
  if (oid == kOidPublicKeyDsa) return 2;
  if (oid == kOidPublicKeyEcdsa) return 3;
  if (oid == kOidPublicKeyEd25519) return 4;
  return 0;
}

std::string publicKeyAlgorithmName(int algo) {
  switch (algo) {
    case 1:
      return "RSA";
    case 2:
      return "DSA";
    case 3:
      return "ECDSA";
    case 4:
      return "Ed25519";
    default:
      return std::to_string(algo);
  }
}

// ==============================================================================================
// Names, strings and times inside certificates

bool isPrintableStringByte(uint8_t b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
         (b >= '\'' && b <= ')') || (b >= '+' && b <= '/') || b == ' ' || b == ':' || b == '=' ||
         b == '?' || b == '*' || b == '&';
}

// Go isIA5String: every rune must be ASCII (invalid UTF-8 decodes to U+FFFD and fails too).
bool isIa5(std::string_view s) {
  for (const char c : s) {
    if (static_cast<uint8_t>(c) >= 0x80) return false;
  }
  return true;
}

// Go x509 parseASN1String (Go 1.26: only the six string types are accepted).
std::string parseAsn1String(uint8_t tag, std::string_view value, std::string* out) {
  out->clear();
  switch (tag) {
    case kTagT61String:
      for (const char c : value) appendRune(out, static_cast<uint8_t>(c));
      return {};
    case kTagPrintableString:
      for (const char c : value) {
        if (!isPrintableStringByte(static_cast<uint8_t>(c))) return "invalid PrintableString";
      }
      *out = std::string(value);
      return {};
    case kTagUtf8String:
      if (!utf8Valid(value)) return "invalid UTF-8 string";
      *out = std::string(value);
      return {};
    case kTagBmpString: {
      if (value.size() % 2 != 0) return "invalid BMPString";
      if (value.size() >= 2 && value[value.size() - 1] == 0 && value[value.size() - 2] == 0) {
        value.remove_suffix(2);
      }
      for (size_t i = 0; i < value.size(); i += 2) {
        const char32_t point = static_cast<char32_t>(static_cast<uint8_t>(value[i]) << 8 |
                                                     static_cast<uint8_t>(value[i + 1]));
        if (point == 0xFFFE || point == 0xFFFF || (point >= 0xFDD0 && point <= 0xFDEF) ||
            (point >= 0xD800 && point <= 0xDFFF)) {
          out->clear();
          return "invalid BMPString";
        }
        appendRune(out, point);
      }
      return {};
    }
    case kTagIa5String:
      if (!isIa5(value)) return "invalid IA5String";
      *out = std::string(value);
      return {};
    case kTagNumericString:
      for (const char c : value) {
        if (!((c >= '0' && c <= '9') || c == ' ')) return "invalid NumericString";
      }
      *out = std::string(value);
      return {};
    default:
      return "unsupported string type: " + std::to_string(tag);
  }
}

// Go x509 parseName over a Name element; reports the last CN like pkix.Name.FillFromRDNSequence.
std::string parseName(std::string_view element, std::string* common_name) {
  Der raw(element);
  std::string_view seq;
  if (!raw.read(&seq, kTagSequence)) return "x509: invalid RDNSequence";
  Der rdns(seq);
  while (!rdns.empty()) {
    std::string_view set;
    if (!rdns.read(&set, kTagSet)) return "x509: invalid RDNSequence";
    Der atavs(set);
    while (!atavs.empty()) {
      std::string_view atav_bytes;
      if (!atavs.read(&atav_bytes, kTagSequence)) {
        return "x509: invalid RDNSequence: invalid attribute";
      }
      Der atav(atav_bytes);
      Oid type;
      if (!atav.readOid(&type)) return "x509: invalid RDNSequence: invalid attribute type";
      std::string_view raw_value;
      uint8_t value_tag = 0;
      if (!atav.readAny(&raw_value, &value_tag)) {
        return "x509: invalid RDNSequence: invalid attribute value";
      }
      std::string value;
      const std::string err = parseAsn1String(value_tag, raw_value, &value);
      if (!err.empty()) return "x509: invalid RDNSequence: invalid attribute value: " + err;
      if (type == kOidCommonName) *common_name = value;
    }
  }
  return {};
}

// Go x509 parseTime (readASN1Time): UTCTime or GeneralizedTime.
std::string readAsn1Time(Der* der, GoTime* out) {
  std::string_view text;
  if (der->peekTag(kTagUtcTime)) {
    if (!der->read(&text, kTagUtcTime) || !parseUtcTimeText(text, out)) {
      return "x509: malformed UTCTime";
    }
    return {};
  }
  if (der->peekTag(kTagGeneralizedTime)) {
    if (!der->read(&text, kTagGeneralizedTime) || !parseGeneralizedTimeText(text, out)) {
      return "x509: malformed GeneralizedTime";
    }
    return {};
  }
  return "x509: unsupported time format";
}

// Go x509 parseAI; params_full is empty when the parameters are absent.
std::string parseAlgorithmIdentifier(std::string_view contents, Oid* algorithm,
                                     std::string_view* params_full) {
  Der der(contents);
  if (!der.readOid(algorithm)) return "x509: malformed OID";
  *params_full = {};
  if (der.empty()) return {};
  uint8_t tag = 0;
  if (!der.readAnyElement(params_full, &tag)) return "x509: malformed parameters";
  return {};
}

struct Extension {
  Oid id;
  bool critical = false;
  std::string_view value;
};

// Go x509 parseExtension.
std::string parseExtension(std::string_view contents, Extension* ext) {
  Der der(contents);
  if (!der.readOid(&ext->id)) return "x509: malformed extension OID field";
  if (der.peekTag(kTagBoolean) && !der.readBool(&ext->critical)) {
    return "x509: malformed extension critical field";
  }
  if (!der.read(&ext->value, kTagOctetString)) return "x509: malformed extension value field";
  return {};
}

}  // namespace

namespace {

// ==============================================================================================
// Extension processing (Go x509 processExtensions and helpers)

// Go x509 domainNameValid (the relaxed form Go restored in late 2025, TODO(#75835)).
bool domainNameValid(std::string_view s, bool constraint) {
  if (s.empty()) return true;
  if (s.back() == '.') return false;
  if (constraint && s[0] == '.') s.remove_prefix(1);
  int64_t last_dot = -1;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && (static_cast<uint8_t>(s[i]) < 33 || static_cast<uint8_t>(s[i]) > 126)) {
      return false;
    }
    if (i == s.size() || s[i] == '.') {
      int64_t label_len = static_cast<int64_t>(i);
      if (last_dot >= 0) label_len -= last_dot + 1;
      if (label_len == 0) return false;
      last_dot = static_cast<int64_t>(i);
    }
  }
  return true;
}

// Go x509 parseRFC2821Mailbox, reduced to the accept/reject decision.
bool parseRfc2821Mailbox(std::string_view in) {
  if (in.empty()) return false;
  std::string local;
  if (in[0] == '"') {
    in.remove_prefix(1);
    for (;;) {
      if (in.empty()) return false;
      const auto c = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      if (c == '"') break;
      if (c == '\\') {
        if (in.empty()) return false;
        const auto q = static_cast<uint8_t>(in[0]);
        if (q == 11 || q == 12 || (q >= 1 && q <= 9) || (q >= 14 && q <= 127)) {
          local.push_back(static_cast<char>(q));
          in.remove_prefix(1);
        } else {
          return false;
        }
        continue;
      }
      if (c == 11 || c == 12 || c == 32 || c == 33 || c == 127 || (c >= 1 && c <= 8) ||
          (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) {
        local.push_back(static_cast<char>(c));
        continue;
      }
      return false;
    }
  } else {
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~.";
    while (!in.empty()) {
      char c = in[0];
      if (c == '\\') {
        in.remove_prefix(1);
        if (in.empty()) return false;
        local.push_back(in[0]);
        in.remove_prefix(1);
        continue;
      }
      const bool atext = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z') || kAtext.find(c) != std::string_view::npos;
      if (!atext) break;
      local.push_back(c);
      in.remove_prefix(1);
    }
    if (local.empty()) return false;
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
      return false;
    }
  }
  if (in.empty() || in[0] != '@') return false;
  in.remove_prefix(1);
  return domainNameValid(in, false);
}

bool isHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The parts of Go net/url.Parse that decide whether a URI SAN is rejected. Only the common
// failures are reproduced (control bytes, bad scheme, colon in a relative first segment, bad
// percent escapes); the host is then checked by the caller like Go does.
std::string parseUriForSan(std::string_view raw, std::string* host) {
  host->clear();
  const size_t hash = raw.find('#');
  const std::string_view u = raw.substr(0, hash);
  const auto url_error = [&](const std::string& err) { return "parse " + goQuote(u) + ": " + err; };
  for (const char c : raw) {
    if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) {
      return url_error("net/url: invalid control character in URL");
    }
  }
  if (u == "*") return {};
  std::string_view scheme;
  std::string_view rest = u;
  for (size_t i = 0; i < u.size(); ++i) {
    const char c = u[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return url_error("missing protocol scheme");
      scheme = u.substr(0, i);
      rest = u.substr(i + 1);
    }
    break;
  }
  if (endsWith(rest, "?") && std::count(rest.begin(), rest.end(), '?') == 1) {
    rest.remove_suffix(1);
  } else {
    rest = rest.substr(0, rest.find('?'));
  }
  if (!startsWith(rest, "/")) {
    if (!scheme.empty()) return {};  // Opaque.
    if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
      return url_error("first path segment in URL cannot contain colon");
    }
  }
  std::string_view path = rest;
  if ((!scheme.empty() || !startsWith(rest, "///")) && startsWith(rest, "//")) {
    std::string_view authority = rest.substr(2);
    const size_t slash = authority.find('/');
    path = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
    authority = authority.substr(0, slash);
    const size_t at = authority.rfind('@');
    std::string_view h = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (!startsWith(h, "[")) {
      const size_t colon = h.rfind(':');
      if (colon != std::string_view::npos) {
        const std::string_view port = h.substr(colon);
        for (size_t i = 1; i < port.size(); ++i) {
          if (port[i] < '0' || port[i] > '9') {
            return url_error("invalid port " + goQuote(port) + " after host");
          }
        }
        h = h.substr(0, colon);
      }
    } else {
      const size_t close = h.find(']');
      h = close == std::string_view::npos ? h : h.substr(0, close + 1);
    }
    *host = std::string(h);
  }
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') continue;
    if (i + 2 >= path.size() || !isHexDigit(path[i + 1]) || !isHexDigit(path[i + 2])) {
      std::string_view bad = path.substr(i, 3);
      return url_error("invalid URL escape " + goQuote(bad));
    }
  }
  return {};
}

// Go x509 processExtensions, reduced to the errors it can return and the fields kept here.
std::string processExtensions(const std::vector<Extension>& extensions,
                              std::vector<std::string>* dns_names) {
  for (const Extension& e : extensions) {
    const bool id_ce = e.id.size() == 4 && e.id[0] == 2 && e.id[1] == 5 && e.id[2] == 29;
    if (id_ce) {
      Der val(e.value);
      switch (e.id[3]) {
        case 15: {  // Key usage.
          BitString bits;
          if (!val.readBitString(&bits)) return "x509: invalid key usage";
          break;
        }
        case 19: {  // Basic constraints.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid basic constraints";
          Der bc(seq);
          bool is_ca = false;
          if (bc.peekTag(kTagBoolean) && !bc.readBool(&is_ca)) {
            return "x509: invalid basic constraints";
          }
          if (bc.peekTag(kTagInteger)) {
            uint64_t mpl = 0;
            if (!bc.readUint64(&mpl) ||
                mpl > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
              return "x509: invalid basic constraints";
            }
          }
          break;
        }
        case 17: {  // Subject alternative names.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid subject alternative names";
          Der sans(seq);
          std::vector<std::string> names;
          while (!sans.empty()) {
            std::string_view data;
            uint8_t tag = 0;
            if (!sans.readAny(&data, &tag)) return "x509: invalid subject alternative name";
            switch (tag ^ 0x80) {
              case 1:
                if (!isIa5(data)) return "x509: SAN rfc822Name is malformed";
                break;
              case 2:
                if (!isIa5(data)) return "x509: SAN dNSName is malformed";
                names.emplace_back(data);
                break;
              case 6: {
                if (!isIa5(data)) return "x509: SAN uniformResourceIdentifier is malformed";
                std::string host;
                const std::string err = parseUriForSan(data, &host);
                if (!err.empty()) return "x509: cannot parse URI " + goQuote(data) + ": " + err;
                if (!host.empty() && !domainNameValid(host, false)) {
                  return "x509: cannot parse URI " + goQuote(data) + ": invalid domain";
                }
                break;
              }
              case 7:
                if (data.size() != 4 && data.size() != 16) {
                  return "x509: cannot parse IP address of length " + std::to_string(data.size());
                }
                break;
              default:
                break;
            }
          }
          *dns_names = std::move(names);
          break;
        }
        case 30: {  // Name constraints.
          Der outer(e.value);
          std::string_view toplevel_bytes;
          std::string_view permitted;
          std::string_view excluded;
          bool have_permitted = false;
          bool have_excluded = false;
          if (!outer.read(&toplevel_bytes, kTagSequence) || !outer.empty()) {
            return "x509: invalid NameConstraints extension";
          }
          Der toplevel(toplevel_bytes);
          if (!toplevel.readOptional(&permitted, &have_permitted, contextConstructed(0)) ||
              !toplevel.readOptional(&excluded, &have_excluded, contextConstructed(1)) ||
              !toplevel.empty()) {
            return "x509: invalid NameConstraints extension";
          }
          if (!have_permitted && !have_excluded) {
            return "x509: empty name constraints extension";
          }
          if ((have_permitted && permitted.empty()) || (have_excluded && excluded.empty())) {
            return "x509: empty name constraints subtree sequence";
          }
          for (const std::string_view subtrees_bytes : {permitted, excluded}) {
            Der subtrees(subtrees_bytes);
            while (!subtrees.empty()) {
              std::string_view seq_bytes;
              std::string_view value;
              uint8_t tag = 0;
              if (!subtrees.read(&seq_bytes, kTagSequence)) {
                return "x509: invalid NameConstraints extension";
              }
              Der seq(seq_bytes);
              if (!seq.readAny(&value, &tag)) return "x509: invalid NameConstraints extension";
              const std::string ia5_error =
                  "x509: invalid constraint value: x509: " + goQuote(value) +
                  " cannot be encoded as an IA5String";
              if (tag == contextTag(2)) {
                if (!isIa5(value)) return ia5_error;
                if (!domainNameValid(value, true)) {
                  return "x509: failed to parse dnsName constraint " + goQuote(value);
                }
              } else if (tag == contextTag(7)) {
                if (value.size() != 8 && value.size() != 32) {
                  return "x509: IP constraint contained value of length " +
                         std::to_string(value.size());
                }
                const std::string_view mask = value.substr(value.size() / 2);
                bool seen_zero = false;
                bool valid_mask = true;
                for (const char mc : mask) {
                  const auto b = static_cast<uint8_t>(mc);
                  if (seen_zero) {
                    if (b != 0) valid_mask = false;
                    continue;
                  }
                  switch (b) {
                    case 0x00:
                    case 0x80:
                    case 0xC0:
                    case 0xE0:
                    case 0xF0:
                    case 0xF8:
                    case 0xFC:
                    case 0xFE:
                      seen_zero = true;
                      break;
                    case 0xFF:
                      break;
                    default:
                      valid_mask = false;
                  }
                }
                if (!valid_mask) {
                  return "x509: IP constraint contained invalid mask " + hexLower(mask);
                }
              } else if (tag == contextTag(1)) {
                if (!isIa5(value)) return ia5_error;
                const bool ok = value.find('@') != std::string_view::npos
                                    ? parseRfc2821Mailbox(value)
                                    : domainNameValid(value, true);
                if (!ok) return "x509: failed to parse rfc822Name constraint " + goQuote(value);
              } else if (tag == contextTag(6)) {
                if (!isIa5(value)) return ia5_error;
                const std::string text(value);
                unsigned char buf[16];
                if (inet_pton(AF_INET, text.c_str(), buf) == 1 ||
                    inet_pton(AF_INET6, text.c_str(), buf) == 1) {
                  return "x509: failed to parse URI constraint " + goQuote(value) +
                         ": cannot be IP address";
                }
                if (!domainNameValid(value, true)) {
                  return "x509: failed to parse URI constraint " + goQuote(value);
                }
              }
            }
          }
          break;
        }
        case 31: {  // CRL distribution points.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid CRL distribution points";
          Der points(seq);
          while (!points.empty()) {
            std::string_view dp_bytes;
            if (!points.read(&dp_bytes, kTagSequence)) {
              return "x509: invalid CRL distribution point";
            }
            Der dp(dp_bytes);
            std::string_view name_bytes;
            bool present = false;
            if (!dp.readOptional(&name_bytes, &present, contextConstructed(0))) {
              return "x509: invalid CRL distribution point";
            }
            if (!present) continue;
            Der name_outer(name_bytes);
            std::string_view full_name;
            if (!name_outer.read(&full_name, contextConstructed(0))) {
              return "x509: invalid CRL distribution point";
            }
            Der names(full_name);
            while (!names.empty()) {
              if (!names.peekTag(contextTag(6))) break;
              std::string_view uri;
              if (!names.read(&uri, contextTag(6))) return "x509: invalid CRL distribution point";
            }
          }
          break;
        }
        case 35: {  // Authority key identifier.
          if (e.critical) return "x509: authority key identifier incorrectly marked critical";
          std::string_view akid_bytes;
          if (!val.read(&akid_bytes, kTagSequence)) {
            return "x509: invalid authority key identifier";
          }
          Der akid(akid_bytes);
          if (akid.peekTag(contextTag(0))) {
            std::string_view id;
            if (!akid.read(&id, contextTag(0))) return "x509: invalid authority key identifier";
          }
          break;
        }
        case 36: {  // Policy constraints.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid policy constraints extension";
          Der pc(seq);
          int64_t v = 0;
          if (pc.peekTag(contextTag(0)) && !pc.readInt64WithTag(&v, contextTag(0))) {
            return "x509: invalid policy constraints extension";
          }
          if (pc.peekTag(contextTag(1)) && !pc.readInt64WithTag(&v, contextTag(1))) {
            return "x509: invalid policy constraints extension";
          }
          break;
        }
        case 37: {  // Extended key usage.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid extended key usages";
          Der ekus(seq);
          while (!ekus.empty()) {
            Oid eku;
            if (!ekus.readOid(&eku)) return "x509: invalid extended key usages";
          }
          break;
        }
        case 14: {  // Subject key identifier.
          if (e.critical) return "x509: subject key identifier incorrectly marked critical";
          std::string_view skid;
          if (!val.read(&skid, kTagOctetString)) return "x509: invalid subject key identifier";
          break;
        }
        case 32: {  // Certificate policies.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid certificate policies";
          Der policies(seq);
          std::set<std::string> seen;
          while (!policies.empty()) {
            std::string_view cp_bytes;
            std::string_view oid_bytes;
            if (!policies.read(&cp_bytes, kTagSequence)) {
              return "x509: invalid certificate policies";
            }
            Der cp(cp_bytes);
            if (!cp.read(&oid_bytes, kTagOid)) return "x509: invalid certificate policies";
            if (!seen.insert(std::string(oid_bytes)).second) {
              return "x509: invalid certificate policies";
            }
            if (!validOidDer(oid_bytes)) return "x509: invalid certificate policies";
          }
          break;
        }
        case 33: {  // Policy mappings.
          std::string_view seq;
          if (!val.read(&seq, kTagSequence)) return "x509: invalid policy mappings extension";
          Der mappings(seq);
          while (!mappings.empty()) {
            std::string_view s_bytes;
            std::string_view issuer;
            std::string_view subject;
            if (!mappings.read(&s_bytes, kTagSequence)) {
              return "x509: invalid policy mappings extension";
            }
            Der s(s_bytes);
            if (!s.read(&issuer, kTagOid) || !s.read(&subject, kTagOid)) {
              return "x509: invalid policy mappings extension";
            }
          }
          break;
        }
        case 54: {  // Inhibit anyPolicy.
          int64_t v = 0;
          if (!val.readInt64(&v)) return "x509: invalid inhibit any policy extension";
          break;
        }
        default:
          break;
      }
    } else if (e.id == kOidAuthorityInfoAccess) {
      if (e.critical) return "x509: authority info access incorrectly marked critical";
      Der val(e.value);
      std::string_view seq;
      if (!val.read(&seq, kTagSequence)) return "x509: invalid authority info access";
      Der entries(seq);
      while (!entries.empty()) {
        std::string_view aia_bytes;
        if (!entries.read(&aia_bytes, kTagSequence)) return "x509: invalid authority info access";
        Der aia(aia_bytes);
        Oid method;
        if (!aia.readOid(&method)) return "x509: invalid authority info access";
        if (!aia.peekTag(contextTag(6))) continue;
        std::string_view location;
        if (!aia.read(&location, contextTag(6))) return "x509: invalid authority info access";
      }
    }
  }
  return {};
}

// ==============================================================================================
// Certificates (Go x509 parseCertificate)

struct ParsedCertificate {
  std::string_view raw;
  std::string common_name;
  GoTime not_before;
  GoTime not_after;
  int public_key_algorithm = 0;
  PublicKey public_key;
  std::vector<std::string> dns_names;
};

std::string parseOneCertificate(std::string_view der, ParsedCertificate* cert) {
  Der input(der);
  std::string_view element;
  if (!input.readElement(&element, kTagSequence)) return "x509: malformed certificate";
  cert->raw = element;
  Der outer(element);
  std::string_view outer_contents;
  if (!outer.read(&outer_contents, kTagSequence)) return "x509: malformed certificate";
  input = Der(outer_contents);

  std::string_view tbs_element;
  if (!input.readElement(&tbs_element, kTagSequence)) return "x509: malformed tbs certificate";
  Der tbs_outer(tbs_element);
  std::string_view tbs_contents;
  if (!tbs_outer.read(&tbs_contents, kTagSequence)) return "x509: malformed tbs certificate";
  Der tbs(tbs_contents);

  int64_t version = 0;
  bool has_version = false;
  std::string_view version_bytes;
  if (!tbs.readOptional(&version_bytes, &has_version, contextConstructed(0))) {
    return "x509: malformed version";
  }
  if (has_version) {
    Der v(version_bytes);
    if (!v.readInt64(&version) || !v.empty()) return "x509: malformed version";
  }
  if (version < 0 || version > 3) return "x509: malformed version";
  ++version;
  if (version > 3) return "x509: invalid version";

  BigInt serial;
  if (!tbs.readBigInt(&serial)) return "x509: malformed serial number";
  if (serial.sign < 0) return "x509: negative serial number";

  std::string_view sig_ai_element;
  if (!tbs.readElement(&sig_ai_element, kTagSequence)) {
    return "x509: malformed signature algorithm identifier";
  }
  Der sig_ai_outer(sig_ai_element);
  std::string_view sig_ai;
  if (!sig_ai_outer.read(&sig_ai, kTagSequence)) {
    return "x509: malformed signature algorithm identifier";
  }
  std::string_view outer_sig_ai;
  if (!input.read(&outer_sig_ai, kTagSequence)) return "x509: malformed algorithm identifier";
  if (outer_sig_ai != sig_ai) {
    return "x509: inner and outer signature algorithm identifiers don't match";
  }
  Oid sig_algorithm;
  std::string_view sig_params;
  if (std::string err = parseAlgorithmIdentifier(sig_ai, &sig_algorithm, &sig_params);
      !err.empty()) {
    return err;
  }

  std::string_view issuer;
  if (!tbs.readElement(&issuer, kTagSequence)) return "x509: malformed issuer";
  std::string issuer_cn;
  if (std::string err = parseName(issuer, &issuer_cn); !err.empty()) return err;

  std::string_view validity_bytes;
  if (!tbs.read(&validity_bytes, kTagSequence)) return "x509: malformed validity";
  Der validity(validity_bytes);
  if (std::string err = readAsn1Time(&validity, &cert->not_before); !err.empty()) return err;
  if (std::string err = readAsn1Time(&validity, &cert->not_after); !err.empty()) return err;

  std::string_view subject;
  if (!tbs.readElement(&subject, kTagSequence)) return "x509: malformed issuer";
  if (std::string err = parseName(subject, &cert->common_name); !err.empty()) return err;

  std::string_view spki_element;
  if (!tbs.readElement(&spki_element, kTagSequence)) return "x509: malformed spki";
  Der spki_outer(spki_element);
  std::string_view spki_contents;
  if (!spki_outer.read(&spki_contents, kTagSequence)) return "x509: malformed spki";
  Der spki(spki_contents);
  std::string_view pk_ai;
  if (!spki.read(&pk_ai, kTagSequence)) {
    return "x509: malformed public key algorithm identifier";
  }
  Oid pk_algorithm;
  std::string_view pk_params;
  if (std::string err = parseAlgorithmIdentifier(pk_ai, &pk_algorithm, &pk_params); !err.empty()) {
    return err;
  }
  cert->public_key_algorithm = publicKeyAlgorithmFromOid(pk_algorithm);
  BitString spk;
  if (!spki.readBitString(&spk)) return "x509: malformed subjectPublicKey";
  if (cert->public_key_algorithm != 0) {
    if (std::string err = parsePublicKeyInfo(pk_algorithm, pk_params, spk, &cert->public_key);
        !err.empty()) {
      return err;
    }
  }

  if (version > 1) {
    if (!tbs.skipOptional(contextTag(1))) return "x509: malformed issuerUniqueID";
    if (!tbs.skipOptional(contextTag(2))) return "x509: malformed subjectUniqueID";
    if (version == 3) {
      std::string_view extensions_bytes;
      bool present = false;
      if (!tbs.readOptional(&extensions_bytes, &present, contextConstructed(3))) {
        return "x509: malformed extensions";
      }
      if (present) {
        Der wrapper(extensions_bytes);
        std::string_view seq;
        if (!wrapper.read(&seq, kTagSequence)) return "x509: malformed extensions";
        Der list(seq);
        std::vector<Extension> extensions;
        std::set<std::string> seen;
        while (!list.empty()) {
          std::string_view ext_bytes;
          if (!list.read(&ext_bytes, kTagSequence)) return "x509: malformed extension";
          Extension ext;
          if (std::string err = parseExtension(ext_bytes, &ext); !err.empty()) return err;
          const std::string oid_text = oidToString(ext.id);
          if (!seen.insert(oid_text).second) {
            return "x509: certificate contains duplicate extension with OID " + goQuote(oid_text);
          }
          extensions.push_back(std::move(ext));
        }
        if (std::string err = processExtensions(extensions, &cert->dns_names); !err.empty()) {
          return err;
        }
      }
    }
  }

  BitString signature;
  if (!input.readBitString(&signature)) return "x509: malformed signature";
  return {};
}

std::string sha256Bytes(std::string_view bytes) {
  std::string digest(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), &len,
                 EVP_sha256(), nullptr) != 1) {
    return {};
  }
  digest.resize(len);
  return digest;
}

Certificate toCertificate(const ParsedCertificate& parsed) {
  Certificate cert;
  cert.der = std::string(parsed.raw);
  cert.pem = encodePemBlock(PemBlock{"CERTIFICATE", {}, cert.der}).value_or("");
  cert.common_name = parsed.common_name;
  cert.not_before = toTimePoint(parsed.not_before.unix_seconds);
  cert.not_after = toTimePoint(parsed.not_after.unix_seconds);
  cert.not_before_text = formatGoTimeValue(parsed.not_before);
  cert.not_after_text = formatGoTimeValue(parsed.not_after);
  cert.sha256_hex = hexLower(sha256Bytes(cert.der));
  cert.dns_names = parsed.dns_names;
  cert.public_key_algorithm = publicKeyAlgorithmName(parsed.public_key_algorithm);
  return cert;
}

// Go x509.ParseCertificates, keeping the parse details needed for key matching.
std::string parseCertificateList(std::string_view der, std::vector<ParsedCertificate>* out) {
  out->clear();
  while (!der.empty()) {
    ParsedCertificate cert;
    if (std::string err = parseOneCertificate(der, &cert); !err.empty()) {
      out->clear();
      return err;
    }
    der.remove_prefix(cert.raw.size());
    out->push_back(std::move(cert));
  }
  return {};
}

// Go x509.ParseCertificate.
std::string parseSingleCertificate(std::string_view der, ParsedCertificate* out) {
  if (std::string err = parseOneCertificate(der, out); !err.empty()) return err;
  if (der.size() != out->raw.size()) return "x509: trailing data";
  return {};
}

}  // namespace

namespace {

// ==============================================================================================
// CRLs (Go x509.ParseRevocationList)

struct ParsedCrl {
  GoTime this_update;
  GoTime next_update;
  bool has_next_update = false;
};

// Go x509 parseAuthorityKeyIdentifier.
std::string checkAuthorityKeyIdentifier(const Extension& e) {
  if (e.critical) return "x509: authority key identifier incorrectly marked critical";
  Der val(e.value);
  std::string_view akid_bytes;
  if (!val.read(&akid_bytes, kTagSequence)) return "x509: invalid authority key identifier";
  Der akid(akid_bytes);
  if (akid.peekTag(contextTag(0))) {
    std::string_view id;
    if (!akid.read(&id, contextTag(0))) return "x509: invalid authority key identifier";
  }
  return {};
}

std::string parseRevocationList(std::string_view der, ParsedCrl* crl) {
  Der input(der);
  std::string_view element;
  if (!input.readElement(&element, kTagSequence)) return "x509: malformed crl";
  Der outer(element);
  std::string_view contents;
  if (!outer.read(&contents, kTagSequence)) return "x509: malformed crl";
  input = Der(contents);

  std::string_view tbs_element;
  if (!input.readElement(&tbs_element, kTagSequence)) return "x509: malformed tbs crl";
  Der tbs_outer(tbs_element);
  std::string_view tbs_contents;
  if (!tbs_outer.read(&tbs_contents, kTagSequence)) return "x509: malformed tbs crl";
  Der tbs(tbs_contents);

  if (!tbs.peekTag(kTagInteger)) return "x509: unsupported crl version";
  int64_t version = 0;
  if (!tbs.readInt64(&version)) return "x509: malformed crl";
  if (version != 1) return "x509: unsupported crl version: " + std::to_string(version);

  std::string_view sig_ai_element;
  if (!tbs.readElement(&sig_ai_element, kTagSequence)) {
    return "x509: malformed signature algorithm identifier";
  }
  Der sig_ai_outer(sig_ai_element);
  std::string_view sig_ai;
  if (!sig_ai_outer.read(&sig_ai, kTagSequence)) {
    return "x509: malformed signature algorithm identifier";
  }
  std::string_view outer_sig_ai;
  if (!input.read(&outer_sig_ai, kTagSequence)) return "x509: malformed algorithm identifier";
  if (outer_sig_ai != sig_ai) {
    return "x509: inner and outer signature algorithm identifiers don't match";
  }
  Oid sig_algorithm;
  std::string_view sig_params;
  if (std::string err = parseAlgorithmIdentifier(sig_ai, &sig_algorithm, &sig_params);
      !err.empty()) {
    return err;
  }
  BitString signature;
  if (!input.readBitString(&signature)) return "x509: malformed signature";

  std::string_view issuer;
  if (!tbs.readElement(&issuer, kTagSequence)) return "x509: malformed issuer";
  std::string issuer_cn;
  if (std::string err = parseName(issuer, &issuer_cn); !err.empty()) return err;

  if (std::string err = readAsn1Time(&tbs, &crl->this_update); !err.empty()) return err;
  if (tbs.peekTag(kTagGeneralizedTime) || tbs.peekTag(kTagUtcTime)) {
    if (std::string err = readAsn1Time(&tbs, &crl->next_update); !err.empty()) return err;
    crl->has_next_update = true;
  }

  if (tbs.peekTag(kTagSequence)) {
    std::string_view revoked_bytes;
    if (!tbs.read(&revoked_bytes, kTagSequence)) return "x509: malformed crl";
    Der revoked(revoked_bytes);
    while (!revoked.empty()) {
      std::string_view entry_element;
      if (!revoked.readElement(&entry_element, kTagSequence)) return "x509: malformed crl";
      Der entry_outer(entry_element);
      std::string_view entry_bytes;
      if (!entry_outer.read(&entry_bytes, kTagSequence)) return "x509: malformed crl";
      Der entry(entry_bytes);
      BigInt serial;
      if (!entry.readBigInt(&serial)) return "x509: malformed serial number";
      GoTime revoked_at;
      if (std::string err = readAsn1Time(&entry, &revoked_at); !err.empty()) return err;
      std::string_view ext_bytes;
      bool present = false;
      if (!entry.readOptional(&ext_bytes, &present, kTagSequence)) {
        return "x509: malformed extensions";
      }
      if (!present) continue;
      Der exts(ext_bytes);
      while (!exts.empty()) {
        std::string_view one;
        if (!exts.read(&one, kTagSequence)) return "x509: malformed extension";
        Extension ext;
        if (std::string err = parseExtension(one, &ext); !err.empty()) return err;
        if (ext.id == kOidExtensionReasonCode) {
          Der val(ext.value);
          int64_t reason = 0;
          if (!val.readEnum(&reason)) return "x509: malformed reasonCode extension";
        }
      }
    }
  }

  std::string_view ext_wrapper;
  bool present = false;
  if (!tbs.readOptional(&ext_wrapper, &present, contextConstructed(0))) {
    return "x509: malformed extensions";
  }
  if (present) {
    Der wrapper(ext_wrapper);
    std::string_view seq;
    if (!wrapper.read(&seq, kTagSequence)) return "x509: malformed extensions";
    Der exts(seq);
    while (!exts.empty()) {
      std::string_view one;
      if (!exts.read(&one, kTagSequence)) return "x509: malformed extension";
      Extension ext;
      if (std::string err = parseExtension(one, &ext); !err.empty()) return err;
      if (ext.id == kOidExtensionAuthorityKeyId) {
        if (std::string err = checkAuthorityKeyIdentifier(ext); !err.empty()) return err;
      } else if (ext.id == kOidExtensionCrlNumber) {
        Der val(ext.value);
        BigInt number;
        if (!val.readBigInt(&number)) return "x509: malformed crl number";
      }
    }
  }
  return {};
}

// ==============================================================================================
// Private keys (Go x509.ParsePKCS1PrivateKey / ParsePKCS8PrivateKey / ParseECPrivateKey). Only
// success or failure matters to the messages, so failures carry a short description.

enum class PrivateKind { kRsa, kEcdsa, kEd25519, kX25519 };

struct PrivateKey {
  PrivateKind kind = PrivateKind::kRsa;
  std::string rsa_n;
  std::string ec_x;  // Public point derived from the scalar, as Go derives it.
  std::string ec_y;
  std::string ed25519_public;
};

const char kKeyParseFailed[] = "failed to parse private key";

std::string parsePkcs1PrivateKey(std::string_view der, PrivateKey* out) {
  Der input(der);
  std::string_view seq;
  if (!input.read(&seq, kTagSequence)) return kKeyParseFailed;
  if (!input.empty()) return "asn1: syntax error: trailing data";
  Der f(seq);
  int64_t version = 0;
  int64_t e = 0;
  BigInt n;
  BigInt d;
  BigInt p;
  BigInt q;
  if (!f.readInt64(&version) || !f.readBigInt(&n) || !f.readInt64(&e) || !f.readBigInt(&d) ||
      !f.readBigInt(&p) || !f.readBigInt(&q)) {
    return kKeyParseFailed;
  }
  for (int i = 0; i < 3 && f.peekTag(kTagInteger); ++i) {
    BigInt crt;
    if (!f.readBigInt(&crt)) return kKeyParseFailed;
  }
  std::vector<BigInt> primes = {p, q};
  if (f.peekTag(kTagSequence)) {
    std::string_view extra_bytes;
    if (!f.read(&extra_bytes, kTagSequence)) return kKeyParseFailed;
    Der extra(extra_bytes);
    while (!extra.empty()) {
      std::string_view triple_bytes;
      if (!extra.read(&triple_bytes, kTagSequence)) return kKeyParseFailed;
      Der triple(triple_bytes);
      BigInt prime;
      BigInt exp;
      BigInt coeff;
      if (!triple.readBigInt(&prime) || !triple.readBigInt(&exp) || !triple.readBigInt(&coeff)) {
        return kKeyParseFailed;
      }
      if (prime.sign <= 0) return "x509: private key contains zero or negative prime";
      primes.push_back(prime);
    }
  }
  if (version > 1) return "x509: unsupported private key version";
  if (n.sign <= 0 || d.sign <= 0 || p.sign <= 0 || q.sign <= 0) {
    return "x509: private key contains zero or negative value";
  }
  // rsa.PrivateKey.Validate: sane exponent, primes multiply to N, d*e == 1 mod (prime-1).
  if (e < 2) return "crypto/rsa: public exponent too small";
  if (e > (int64_t{1} << 31) - 1) return "crypto/rsa: public exponent too large";
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr modulus(BN_new());
  BignumPtr de(BN_new());
  BignumPtr e_bn(BN_new());
  BignumPtr d_bn = bignumFromBytes(d.magnitude);
  BignumPtr n_bn = bignumFromBytes(n.magnitude);
  BignumPtr tmp(BN_new());
  if (!ctx || !modulus || !de || !e_bn || !d_bn || !n_bn || !tmp || BN_one(modulus.get()) != 1 ||
      BN_set_word(e_bn.get(), static_cast<BN_ULONG>(e)) != 1 ||
      BN_mul(de.get(), d_bn.get(), e_bn.get(), ctx.get()) != 1) {
    return kKeyParseFailed;
  }
  for (const BigInt& prime : primes) {
    BignumPtr prime_bn = bignumFromBytes(prime.magnitude);
    if (!prime_bn) return kKeyParseFailed;
    if (BN_cmp(prime_bn.get(), BN_value_one()) <= 0) return "crypto/rsa: invalid prime value";
    if (BN_mul(modulus.get(), modulus.get(), prime_bn.get(), ctx.get()) != 1) {
      return kKeyParseFailed;
    }
  }
  if (BN_cmp(modulus.get(), n_bn.get()) != 0) return "crypto/rsa: invalid modulus";
  for (const BigInt& prime : primes) {
    BignumPtr pm1 = bignumFromBytes(prime.magnitude);
    if (!pm1 || BN_sub_word(pm1.get(), 1) != 1 ||
        BN_mod(tmp.get(), de.get(), pm1.get(), ctx.get()) != 1) {
      return kKeyParseFailed;
    }
    if (!BN_is_one(tmp.get())) return "crypto/rsa: invalid exponents";
  }
  out->kind = PrivateKind::kRsa;
  out->rsa_n = n.magnitude;
  return {};
}

std::string parseEcPrivateKeyWithCurve(const Oid* named_curve_oid, std::string_view der,
                                       PrivateKey* out) {
  Der input(der);
  std::string_view seq;
  if (!input.read(&seq, kTagSequence)) return kKeyParseFailed;
  Der f(seq);
  int64_t version = 0;
  std::string_view scalar;
  if (!f.readInt64(&version) || !f.read(&scalar, kTagOctetString)) return kKeyParseFailed;
  Oid inner_curve;
  std::string_view params;
  bool has_params = false;
  if (!f.readOptional(&params, &has_params, contextConstructed(0))) return kKeyParseFailed;
  if (has_params) {
    Der p(params);
    if (!p.readOid(&inner_curve)) return kKeyParseFailed;
  }
  std::string_view public_bits;
  bool has_public = false;
  if (!f.readOptional(&public_bits, &has_public, contextConstructed(1))) return kKeyParseFailed;
  if (has_public) {
    Der pb(public_bits);
    BitString bits;
    if (!pb.readBitString(&bits)) return kKeyParseFailed;
  }
  if (version != 1) return "x509: unknown EC private key version " + std::to_string(version);
  const NamedCurve curve =
      namedCurveFromOid(named_curve_oid != nullptr ? *named_curve_oid : inner_curve);
  if (curve.nid == NID_undef) return "x509: unknown elliptic curve";

  EcGroupPtr group(EC_GROUP_new_by_curve_name(curve.nid));
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr k = bignumFromBytes(scalar);
  if (!group || !ctx || !k) return kKeyParseFailed;
  if (BN_cmp(k.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return "x509: invalid elliptic curve private key value";
  }
  const size_t width = static_cast<size_t>(BN_num_bytes(EC_GROUP_get0_order(group.get())));
  while (scalar.size() > width) {
    if (scalar[0] != 0) return "x509: invalid private key length";
    scalar.remove_prefix(1);
  }
  if (BN_is_zero(k.get())) return "crypto/ecdsa: invalid private key";
  EcPointPtr point(EC_POINT_new(group.get()));
  BignumPtr x(BN_new());
  BignumPtr y(BN_new());
  if (!point || !x || !y ||
      EC_POINT_mul(group.get(), point.get(), k.get(), nullptr, nullptr, ctx.get()) != 1 ||
      EC_POINT_get_affine_coordinates(group.get(), point.get(), x.get(), y.get(), ctx.get()) != 1) {
    return kKeyParseFailed;
  }
  out->kind = PrivateKind::kEcdsa;
  out->ec_x = bignumToPadded(x.get(), coordinateBytes(curve));
  out->ec_y = bignumToPadded(y.get(), coordinateBytes(curve));
  return {};
}

std::string parseEcPrivateKey(std::string_view der, PrivateKey* out) {
  return parseEcPrivateKeyWithCurve(nullptr, der, out);
}

std::string parsePkcs8PrivateKey(std::string_view der, PrivateKey* out) {
  Der input(der);
  std::string_view seq;
  if (!input.read(&seq, kTagSequence)) return kKeyParseFailed;
  Der f(seq);
  int64_t version = 0;
  std::string_view algo_bytes;
  std::string_view key_bytes;
  if (!f.readInt64(&version) || !f.read(&algo_bytes, kTagSequence)) return kKeyParseFailed;
  Der algo(algo_bytes);
  Oid algorithm;
  if (!algo.readOid(&algorithm)) return kKeyParseFailed;
  std::string_view params_full;
  if (!algo.empty()) {
    uint8_t tag = 0;
    if (!algo.readAnyElement(&params_full, &tag)) return kKeyParseFailed;
  }
  if (!f.read(&key_bytes, kTagOctetString)) return kKeyParseFailed;

  if (algorithm == kOidPublicKeyRsa) return parsePkcs1PrivateKey(key_bytes, out);
  if (algorithm == kOidPublicKeyEcdsa) {
    Der params(params_full);
    Oid curve;
    if (!params.readOid(&curve)) return kKeyParseFailed;
    return parseEcPrivateKeyWithCurve(&curve, key_bytes, out);
  }
  if (algorithm == kOidPublicKeyEd25519 || algorithm == kOidPublicKeyX25519) {
    if (!params_full.empty()) return kKeyParseFailed;
    Der inner(key_bytes);
    std::string_view seed;
    if (!inner.read(&seed, kTagOctetString) || seed.size() != 32) return kKeyParseFailed;
    if (algorithm == kOidPublicKeyX25519) {
      out->kind = PrivateKind::kX25519;
      return {};
    }
    EvpPkeyPtr pkey(EVP_PKEY_new_raw_private_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()),
        seed.size()));
    std::string pub(32, '\0');
    size_t pub_len = pub.size();
    if (!pkey || EVP_PKEY_get_raw_public_key(
                     pkey.get(), reinterpret_cast<unsigned char*>(pub.data()), &pub_len) != 1) {
      return kKeyParseFailed;
    }
    out->kind = PrivateKind::kEd25519;
    out->ed25519_public = pub;
    return {};
  }
  return "x509: PKCS#8 wrapping contained private key with unknown algorithm: " +
         oidToString(algorithm);
}

// crypto/tls parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1, whatever the block type says.
std::string tlsParsePrivateKey(std::string_view der, PrivateKey* out) {
  if (parsePkcs1PrivateKey(der, out).empty()) return {};
  if (parsePkcs8PrivateKey(der, out).empty()) {
    if (out->kind == PrivateKind::kX25519) {
      return "tls: found unknown private key type in PKCS#8 wrapping";
    }
    return {};
  }
  if (parseEcPrivateKey(der, out).empty()) return {};
  return "tls: failed to parse private key";
}

std::string_view stripLeadingZeros(std::string_view s) {
  while (!s.empty() && s[0] == 0) s.remove_prefix(1);
  return s;
}

// Go's fmt %v of a []string: "[a b c]".
std::string goStringSlice(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += items[i];
  }
  out += "]";
  return out;
}

// Go tls.go firstSupportedPrivateKeyBlock.
std::optional<PemBlock> firstSupportedPrivateKeyBlock(std::string_view data) {
  std::optional<PemBlock> first;
  while (!data.empty()) {
    PemDecodeResult decoded = decodePem(data);
    if (!decoded.block) return first;
    if (!first) first = decoded.block;
    const std::string& type = decoded.block->type;
    if (type == "PRIVATE KEY" || type == "RSA PRIVATE KEY" || type == "EC PRIVATE KEY") {
      return decoded.block;
    }
    data = decoded.rest;
  }
  return first;
}

// Go validateCertBlock: parse every certificate in the block, then test each validity window.
std::string validateCertBlock(const PemBlock& block, TimePoint now,
                              std::vector<Certificate>* certs) {
  std::vector<ParsedCertificate> parsed;
  if (std::string err = parseCertificateList(block.bytes, &parsed); !err.empty()) return err;
  for (const ParsedCertificate& cert : parsed) {
    if (compareNowTo(now, cert.not_after.unix_seconds) > 0) {
      return "certificate " + cert.common_name + " has expired since " +
             formatGoTimeValue(cert.not_after);
    }
    if (compareNowTo(now, cert.not_before.unix_seconds) < 0) {
      return "certificate " + cert.common_name + " will be valid after " +
             formatGoTimeValue(cert.not_before);
    }
  }
  certs->clear();
  for (const ParsedCertificate& cert : parsed) certs->push_back(toCertificate(cert));
  return {};
}

std::string joinLines(const std::vector<std::string>& errors) {
  std::string out;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) out.push_back('\n');
    out += errors[i];
  }
  return out;
}

}  // namespace

// ================================================================================================
// Public API

PemDecodeResult decodePem(std::string_view data) {
  std::string_view rest = data;
  int64_t end_trailer_index = 0;
  const auto no_block = [&]() { return PemDecodeResult{std::nullopt, data}; };
  for (;;) {
    if (end_trailer_index < 0 || end_trailer_index > static_cast<int64_t>(rest.size())) {
      return no_block();
    }
    rest.remove_prefix(static_cast<size_t>(end_trailer_index));

    // Pair the first END line with the last BEGIN line before it, which keeps the scan linear.
    const size_t end_pos = rest.find(kPemEnd);
    if (end_pos == std::string_view::npos) return no_block();
    int64_t end_index = static_cast<int64_t>(end_pos);
    end_trailer_index = end_index + static_cast<int64_t>(kPemEnd.size());
    const size_t begin = rest.substr(0, end_pos).rfind(kPemStart.substr(1));
    if (begin == std::string_view::npos || (begin > 0 && rest[begin - 1] != '\n')) continue;
    const auto advance = static_cast<int64_t>(begin + kPemStart.size() - 1);
    rest.remove_prefix(static_cast<size_t>(advance));
    end_index -= advance;
    end_trailer_index -= advance;

    const Line type_line = getLine(rest);
    rest = type_line.rest;
    end_index -= type_line.consumed;
    end_trailer_index -= type_line.consumed;
    if (!endsWith(type_line.line, kPemEndOfLine)) continue;
    const std::string_view type =
        type_line.line.substr(0, type_line.line.size() - kPemEndOfLine.size());

    PemBlock block;
    block.type = std::string(type);
    for (;;) {
      if (rest.empty()) return no_block();
      const Line header = getLine(rest);
      const size_t colon = header.line.find(':');
      if (colon == std::string_view::npos) break;
      block.headers[std::string(trimSpace(header.line.substr(0, colon)))] =
          std::string(trimSpace(header.line.substr(colon + 1)));
      rest = header.rest;
      end_index -= header.consumed;
      end_trailer_index -= header.consumed;
    }
    if (!block.headers.empty() && end_index < 0) continue;

    std::string_view end_trailer = rest.substr(static_cast<size_t>(end_trailer_index));
    const size_t end_trailer_len = type.size() + kPemEndOfLine.size();
    if (end_trailer.size() < end_trailer_len) continue;
    const std::string_view rest_of_end_line = end_trailer.substr(end_trailer_len);
    end_trailer = end_trailer.substr(0, end_trailer_len);
    if (!startsWith(end_trailer, type) || !endsWith(end_trailer, kPemEndOfLine)) continue;
    if (!getLine(rest_of_end_line).line.empty()) continue;

    if (end_index > 0) {
      const std::string base64 =
          removeSpacesAndTabs(rest.substr(0, static_cast<size_t>(end_index)));
      if (!goBase64Decode(base64, &block.bytes)) continue;
    }
    const Line after_end = getLine(
        rest.substr(static_cast<size_t>(end_index + static_cast<int64_t>(kPemEnd.size()) - 1)));
    return PemDecodeResult{std::move(block), after_end.rest};
  }
}

std::optional<std::string> encodePemBlock(const PemBlock& block) {
  for (const auto& [key, value] : block.headers) {
    if (key.find(':') != std::string::npos) return std::nullopt;
  }
  std::string out = "-----BEGIN " + block.type + "-----\n";
  if (!block.headers.empty()) {
    const auto proc_type = block.headers.find("Proc-Type");
    if (proc_type != block.headers.end()) out += "Proc-Type: " + proc_type->second + "\n";
    for (const auto& [key, value] : block.headers) {
      if (key != "Proc-Type") out += key + ": " + value + "\n";
    }
    out.push_back('\n');
  }
  const std::string encoded = base64Encode(block.bytes);
  for (size_t i = 0; i < encoded.size(); i += 64) {
    out.append(encoded, i, 64);
    out.push_back('\n');
  }
  out += "-----END " + block.type + "-----\n";
  return out;
}

std::string formatGoTime(TimePoint t) {
  const int64_t seconds = t.unixSeconds();
  return formatGoTimeParts(seconds, t.unixNanos() - seconds * kNanosPerSecond, 0, true);
}

std::string sha256Hex(std::string_view bytes) { return hexLower(sha256Bytes(bytes)); }

ParseCertificatesResult parseCertificates(std::string_view der) {
  ParseCertificatesResult result;
  std::vector<ParsedCertificate> parsed;
  result.error = parseCertificateList(der, &parsed);
  result.ok = result.error.empty();
  if (result.ok) {
    for (const ParsedCertificate& cert : parsed) result.certificates.push_back(toCertificate(cert));
  }
  return result;
}

ParseCertificatesResult parseCertificate(std::string_view der) {
  ParseCertificatesResult result;
  ParsedCertificate parsed;
  result.error = parseSingleCertificate(der, &parsed);
  result.ok = result.error.empty();
  if (result.ok) result.certificates.push_back(toCertificate(parsed));
  return result;
}

std::vector<Certificate> CaBundleCheck::certificates() const {
  std::vector<Certificate> out;
  for (const CertificateBlock& block : valid) {
    out.insert(out.end(), block.certificates.begin(), block.certificates.end());
  }
  return out;
}

CaBundleCheck checkCaBundle(std::string_view pem_data, TimePoint now) {
  CaBundleCheck check;
  if (pem_data.empty()) {
    check.reason = CertRefReason::kInvalidCertificateRef;
    check.error = "no certificate data provided";
    return check;
  }
  std::string_view rest = pem_data;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    CertificateBlock valid;
    if (std::string err = validateCertBlock(*decoded.block, now, &valid.certificates);
        !err.empty()) {
      check.errors.push_back(std::move(err));
      continue;
    }
    // A nil EncodeToMemory result appends nothing upstream; the block is then dropped here too.
    std::optional<std::string> encoded = encodePemBlock(*decoded.block);
    if (!encoded) continue;
    valid.block = std::move(*decoded.block);
    valid.pem = std::move(*encoded);
    check.pem += valid.pem;
    check.valid.push_back(std::move(valid));
  }
  if (check.pem.empty()) {
    check.reason = CertRefReason::kInvalidCertificateRef;
    check.error = check.errors.empty() ? "unable to decode pem data for certificate"
                                       : joinLines(check.errors);
    check.valid.clear();
    return check;
  }
  if (!check.errors.empty()) {
    check.reason = CertRefReason::kPartiallyInvalidCertificateRef;
    check.error = joinLines(check.errors);
  }
  return check;
}

std::string noValidCertificatesMessage(std::string_view ref_name, const CaBundleCheck& check) {
  return "no valid certificates exist in " + std::string(ref_name) + ": " + check.error;
}

std::string encodePem(const std::vector<Certificate>& certs) {
  std::string out;
  for (const Certificate& cert : certs) {
    out += encodePemBlock(PemBlock{"CERTIFICATE", {}, cert.der}).value_or("");
  }
  return out;
}

std::string appendDedupPem(std::string_view dst, std::string_view src,
                           std::set<std::string>* seen) {
  std::string out(dst);
  std::string_view rest = dst;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    if (decoded.block->type == "CERTIFICATE") seen->insert(sha256Bytes(decoded.block->bytes));
  }
  rest = src;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    if (decoded.block->type == "CERTIFICATE" &&
        !seen->insert(sha256Bytes(decoded.block->bytes)).second) {
      continue;
    }
    out += encodePemBlock(*decoded.block).value_or("");
  }
  return out;
}

CrlCheck checkCrl(std::string_view pem_data, TimePoint now) {
  CrlCheck check;
  check.pem = std::string(pem_data);
  const PemDecodeResult decoded = decodePem(pem_data);
  if (!decoded.block) {
    check.error = "unable to decode pem data for CRL";
    return check;
  }
  ParsedCrl crl;
  if (std::string err = parseRevocationList(decoded.block->bytes, &crl); !err.empty()) {
    check.error = "failed to parse CRL: " + err;
    return check;
  }
  const bool next_is_zero = crl.next_update.unix_seconds == kGoZeroTimeUnix;
  if (crl.has_next_update && !next_is_zero && compareNowTo(now, crl.next_update.unix_seconds) > 0) {
    check.error =
        "CRL is expired (next update was due at " + formatGoTimeValue(crl.next_update) + ")";
    return check;
  }
  if (compareNowTo(now, crl.this_update.unix_seconds) < 0) {
    check.error =
        "CRL is not yet valid (this update starts at " + formatGoTimeValue(crl.this_update) + ")";
    return check;
  }
  check.ok = true;
  return check;
}

ServingChainCheck checkServingChain(std::string_view cert_pem, TimePoint now) {
  ServingChainCheck check;
  if (cert_pem.empty()) {
    check.error = "no certificate data provided";
    return check;
  }
  std::string_view rest = cert_pem;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    std::vector<Certificate> certs;
    if (std::string err = validateCertBlock(*decoded.block, now, &certs); !err.empty()) {
      check.error = std::move(err);
      check.chain_pem.clear();
      check.certificates.clear();
      return check;
    }
    check.chain_pem += encodePemBlock(*decoded.block).value_or("");
    check.certificates.insert(check.certificates.end(), certs.begin(), certs.end());
  }
  if (check.chain_pem.empty()) {
    check.error = "unable to decode pem data for certificate";
    check.certificates.clear();
    return check;
  }
  check.ok = true;
  return check;
}

std::string checkX509KeyPair(std::string_view cert_pem, std::string_view key_pem) {
  std::vector<std::string> cert_ders;
  std::vector<std::string> skipped;
  for (;;) {
    PemDecodeResult decoded = decodePem(cert_pem);
    if (!decoded.block) break;
    cert_pem = decoded.rest;
    if (decoded.block->type == "CERTIFICATE") {
      cert_ders.push_back(std::move(decoded.block->bytes));
    } else {
      skipped.push_back(decoded.block->type);
    }
  }
  if (cert_ders.empty()) {
    if (skipped.empty()) return "tls: failed to find any PEM data in certificate input";
    if (skipped.size() == 1 && endsWith(skipped[0], "PRIVATE KEY")) {
      return "tls: failed to find certificate PEM data in certificate input, but did find a "
             "private key; PEM inputs may have been switched";
    }
    return "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping "
           "PEM blocks of the following types: " +
           goStringSlice(skipped);
  }

  skipped.clear();
  std::optional<PemBlock> key_block;
  for (;;) {
    PemDecodeResult decoded = decodePem(key_pem);
    if (!decoded.block) {
      if (skipped.empty()) return "tls: failed to find any PEM data in key input";
      if (skipped.size() == 1 && skipped[0] == "CERTIFICATE") {
        return "tls: found a certificate rather than a key in the PEM for the private key";
      }
      return "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input "
             "after skipping PEM blocks of the following types: " +
             goStringSlice(skipped);
    }
    key_pem = decoded.rest;
    const std::string& type = decoded.block->type;
    if (type == "PRIVATE KEY" || endsWith(type, " PRIVATE KEY")) {
      key_block = std::move(decoded.block);
      break;
    }
    skipped.push_back(type);
  }

  ParsedCertificate leaf;
  if (std::string err = parseSingleCertificate(cert_ders[0], &leaf); !err.empty()) return err;
  PrivateKey key;
  if (std::string err = tlsParsePrivateKey(key_block->bytes, &key); !err.empty()) return err;

  const PublicKey& pub = leaf.public_key;
  switch (pub.kind) {
    case KeyKind::kRsa:
      if (key.kind != PrivateKind::kRsa) {
        return "tls: private key type does not match public key type";
      }
      if (stripLeadingZeros(pub.rsa_n) != stripLeadingZeros(key.rsa_n)) {
        return "tls: private key does not match public key";
      }
      return {};
    case KeyKind::kEcdsa:
      if (key.kind != PrivateKind::kEcdsa) {
        return "tls: private key type does not match public key type";
      }
      if (stripLeadingZeros(pub.ec_x) != stripLeadingZeros(key.ec_x) ||
          stripLeadingZeros(pub.ec_y) != stripLeadingZeros(key.ec_y)) {
        return "tls: private key does not match public key";
      }
      return {};
    case KeyKind::kEd25519:
      if (key.kind != PrivateKind::kEd25519) {
        return "tls: private key type does not match public key type";
      }
      if (pub.ed25519 != key.ed25519_public) return "tls: private key does not match public key";
      return {};
    default:
      return "tls: unknown public key algorithm";
  }
}

ServingCertCheck checkServingCertificate(std::string_view secret_namespace,
                                         std::string_view secret_name, std::string_view cert_pem,
                                         std::string_view key_pem, TimePoint now) {
  ServingCertCheck check;
  const std::string secret = std::string(secret_namespace) + "/" + std::string(secret_name);
  const std::string must_contain = secret + " must contain valid tls.crt and tls.key, ";

  ServingChainCheck chain = checkServingChain(cert_pem, now);
  if (!chain.ok) {
    check.error = must_contain + "unable to validate certificate in tls.crt: " + chain.error;
    return check;
  }
  const PemDecodeResult first = decodePem(chain.chain_pem);
  if (!first.block) {
    check.error = must_contain + "unable to decode pem data in tls.crt";
    return check;
  }
  ParsedCertificate leaf;
  if (std::string err = parseSingleCertificate(first.block->bytes, &leaf); !err.empty()) {
    check.error = must_contain + "unable to parse certificate in tls.crt: " + err;
    return check;
  }

  const std::optional<PemBlock> key_block = firstSupportedPrivateKeyBlock(key_pem);
  if (!key_block) {
    check.error = must_contain + "unable to decode pem data in tls.key";
    return check;
  }
  PrivateKey key;
  if (key_block->type == "PRIVATE KEY") {
    if (!parsePkcs8PrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse PKCS8 formatted private key in tls.key";
      return check;
    }
  } else if (key_block->type == "RSA PRIVATE KEY") {
    if (!parsePkcs1PrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse PKCS1 formatted private key in tls.key";
      return check;
    }
  } else if (key_block->type == "EC PRIVATE KEY") {
    if (!parseEcPrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse EC formatted private key in tls.key";
      return check;
    }
  } else {
    check.error = must_contain + key_block->type +
                  " key format found in tls.key, supported formats are PKCS1, PKCS8 or EC";
    return check;
  }

  const std::string key_pem_normalized = encodePemBlock(*key_block).value_or("");
  if (std::string err = checkX509KeyPair(chain.chain_pem, key_pem_normalized); !err.empty()) {
    check.error = secret + " must contain a matching tls.crt and tls.key: " + err;
    return check;
  }

  check.ok = true;
  check.chain_pem = std::move(chain.chain_pem);
  check.key_pem = key_pem_normalized;
  check.leaf = toCertificate(leaf);
  std::vector<std::string> domains = check.leaf.dns_names;
  if (domains.empty() && !check.leaf.common_name.empty()) domains.push_back(check.leaf.common_name);
  std::set<std::string> seen_domains;
  for (std::string& domain : domains) {
    if (seen_domains.insert(domain).second) check.certificate_domains.push_back(std::move(domain));
  }
  return check;
}

}  // namespace ctplab::policy::pki
