#include "ctplab/policy/units.h"

#include <regex>

#include "pki/go_strings.h"

namespace ctplab::policy {
namespace {

constexpr uint64_t kMaxDuration = uint64_t{1} << 63;

// Mirrors Go's leadingInt: consumes digits, fails on overflow past 1<<63.
bool leadingInt(std::string_view& s, uint64_t& x) {
  size_t i = 0;
  x = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > kMaxDuration / 10) return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > kMaxDuration) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Mirrors Go's leadingFraction: keeps consuming digits after precision is exhausted.
void leadingFraction(std::string_view& s, uint64_t& x, double& scale) {
  size_t i = 0;
  x = 0;
  scale = 1;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (overflow) continue;
    if (x > (kMaxDuration - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t y = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > kMaxDuration) {
      overflow = true;
      continue;
    }
    x = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

std::optional<uint64_t> unitNanos(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1'000;
  if (u == "ms") return 1'000'000;
  if (u == "s") return 1'000'000'000;
  if (u == "m") return 60'000'000'000;
  if (u == "h") return 3'600'000'000'000;
  return std::nullopt;
}

}  // namespace

GoDurationParse parseGoDuration(std::string_view text) {
  const std::string invalid = "time: invalid duration " + pki::goTimeQuote(text);
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return {Duration(), ""};
  if (s.empty()) return {std::nullopt, invalid};
  uint64_t d = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return {std::nullopt, invalid};
    size_t before = s.size();
    uint64_t v = 0;
    if (!leadingInt(s, v)) return {std::nullopt, invalid};
    bool pre = before != s.size();
    bool post = false;
    uint64_t f = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t pl = s.size();
      leadingFraction(s, f, scale);
      post = pl != s.size();
    }
    if (!pre && !post) return {std::nullopt, invalid};
    size_t i = 0;
    while (i < s.size() && !(s[i] == '.' || (s[i] >= '0' && s[i] <= '9'))) ++i;
    if (i == 0) return {std::nullopt, "time: missing unit in duration " + pki::goTimeQuote(text)};
    std::string_view u = s.substr(0, i);
    s.remove_prefix(i);
    auto unit = unitNanos(u);
    if (!unit) {
      return {std::nullopt, "time: unknown unit " + pki::goTimeQuote(u) + " in duration " +
                                pki::goTimeQuote(text)};
    }
    if (v > kMaxDuration / *unit) return {std::nullopt, invalid};
    v *= *unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(*unit) / scale));
      if (v > kMaxDuration) return {std::nullopt, invalid};
    }
    d += v;
    if (d > kMaxDuration) return {std::nullopt, invalid};
  }
  if (neg) return {Duration::nanoseconds(static_cast<int64_t>(0 - d)), ""};
  if (d > kMaxDuration - 1) return {std::nullopt, invalid};
  return {Duration::nanoseconds(static_cast<int64_t>(d)), ""};
}

namespace {

// Prints the fraction of v / 10^prec without trailing zeros (Go's fmtFrac).
std::string fracPart(uint64_t& v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  return print ? "." + digits : "";
}

}  // namespace

std::string formatGoDuration(Duration d) {
  int64_t ns = d.ns();
  bool neg = ns < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  std::string out;
  if (u < 1'000'000'000) {
    if (u == 0) return "0s";
    std::string unit;
    int prec = 0;
    if (u < 1'000) {
      unit = "ns";
    } else if (u < 1'000'000) {
      prec = 3;
      unit = "\xC2\xB5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    std::string frac = fracPart(u, prec);
    out = std::to_string(u) + frac + unit;
  } else {
    std::string frac = fracPart(u, 9);
    out = std::to_string(u % 60) + frac + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

bool matchesGatewayDuration(std::string_view text) {
  static const std::regex re("^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  return std::regex_match(text.begin(), text.end(), re);
}

bool matchesQuantityPattern(std::string_view text) {
  static const std::regex re("^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$");
  return std::regex_match(text.begin(), text.end(), re);
}

namespace {

constexpr __int128 kNano = 1'000'000'000;

__int128 pow10(int e) {
  __int128 r = 1;
  for (int i = 0; i < e; ++i) r *= 10;
  return r;
}

struct Suffix {
  const char* text;
  Quantity::Format format;
  int base;  // 10 or 2
  int exponent;
};

constexpr Suffix kSuffixes[] = {
    {"Ki", Quantity::Format::kBinarySI, 2, 10},  {"Mi", Quantity::Format::kBinarySI, 2, 20},
    {"Gi", Quantity::Format::kBinarySI, 2, 30},  {"Ti", Quantity::Format::kBinarySI, 2, 40},
    {"Pi", Quantity::Format::kBinarySI, 2, 50},  {"Ei", Quantity::Format::kBinarySI, 2, 60},
    {"n", Quantity::Format::kDecimalSI, 10, -9}, {"u", Quantity::Format::kDecimalSI, 10, -6},
    {"m", Quantity::Format::kDecimalSI, 10, -3}, {"k", Quantity::Format::kDecimalSI, 10, 3},
    {"M", Quantity::Format::kDecimalSI, 10, 6},  {"G", Quantity::Format::kDecimalSI, 10, 9},
    {"T", Quantity::Format::kDecimalSI, 10, 12}, {"P", Quantity::Format::kDecimalSI, 10, 15},
    {"E", Quantity::Format::kDecimalSI, 10, 18},
};

std::string int128ToString(__int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

}  // namespace

std::optional<Quantity> Quantity::parse(std::string_view text) {
  std::string_view s = text;
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  // Mantissa digits with an optional fraction.
  __int128 whole = 0;
  __int128 frac = 0;
  int frac_digits = 0;
  size_t i = 0;
  bool any_digit = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (whole > pow10(30)) return std::nullopt;
    whole = whole * 10 + (s[i] - '0');
    any_digit = true;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      any_digit = true;
      if (frac_digits < 9) {
        frac = frac * 10 + (s[i] - '0');
        ++frac_digits;
      }
    }
  }
  if (!any_digit) return std::nullopt;
  std::string_view suffix = s.substr(i);
  __int128 nanos = whole * kNano + frac * pow10(9 - frac_digits);
  Quantity q;
  if (suffix.empty()) {
    q.format_ = Format::kDecimalSI;
  } else if (suffix[0] == 'e' || suffix[0] == 'E') {
    std::string_view exp = suffix.substr(1);
    bool eneg = false;
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
      eneg = exp[0] == '-';
      exp.remove_prefix(1);
    }
    if (exp.empty() || exp.size() > 3) return std::nullopt;
    int e = 0;
    for (char c : exp) {
      if (c < '0' || c > '9') return std::nullopt;
      e = e * 10 + (c - '0');
    }
    if (e > 30) return std::nullopt;
    if (eneg) {
      nanos /= pow10(e);
    } else {
      nanos *= pow10(e);
    }
    q.format_ = Format::kDecimalExponent;
  } else {
    const Suffix* found = nullptr;
    for (const auto& sfx : kSuffixes) {
      if (suffix == sfx.text) found = &sfx;
    }
    if (!found) return std::nullopt;
    q.format_ = found->format;
    if (found->base == 2) {
      nanos <<= found->exponent;
    } else if (found->exponent > 0) {
      nanos *= pow10(found->exponent);
    } else {
      nanos /= pow10(-found->exponent);
    }
  }
  q.nanos_ = neg ? -nanos : nanos;
  return q;
}

std::optional<int64_t> Quantity::asInt64() const {
  if (nanos_ % kNano != 0) return std::nullopt;
  __int128 v = nanos_ / kNano;
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::string Quantity::toString() const {
  bool integral = nanos_ % kNano == 0;
  __int128 value = nanos_ / kNano;
  Format format = format_;
  if (format == Format::kBinarySI && (!integral || (value > -1024 && value < 1024))) {
    format = Format::kDecimalSI;
  }
  if (format == Format::kBinarySI) {
    static const char* kBin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int idx = 0;
    while (idx < 6 && value != 0 && value % 1024 == 0) {
      value /= 1024;
      ++idx;
    }
    return int128ToString(value) + kBin[idx];
  }
  // Decimal: pick the largest exponent (multiple of 3) that keeps the mantissa integral.
  __int128 m = nanos_;
  int exp = -9;
  if (m == 0) return "0";
  while (exp < 18 && m % 1000 == 0) {
    m /= 1000;
    exp += 3;
  }
  if (format == Format::kDecimalExponent) {
    return int128ToString(m) + (exp == 0 ? "" : "e" + std::to_string(exp));
  }
  static const char* kDec[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  return int128ToString(m) + kDec[(exp + 9) / 3];
}

}  // namespace ctplab::policy
