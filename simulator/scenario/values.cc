// Readers for the numeric value formats of scenario files: durations, counts, plain numbers,
// rates and bandwidths. Each reports a located error and returns nullopt on bad input.
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "ctplab/policy/units.h"
#include "scenario/readers.h"

namespace ctplab::sim::scenario::loader {
namespace {

bool isPlain(const YAML::Node& n) { return n.Tag() == "?" || n.Tag().empty(); }

std::string quoted(const Field& f) {
  return f.node().IsScalar() ? "\"" + f.node().Scalar() + "\"" : std::string("a non-scalar");
}

// A decimal number as YAML writes one: optional sign, digits, optional fraction and exponent.
// Checked by hand first because from_chars also takes "inf", "nan" and hexadecimal forms.
std::optional<double> parseDecimal(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent_digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

std::string showDuration(Duration d) { return policy::formatGoDuration(d); }

std::string showNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::optional<Duration> readDuration(const Field& f, Sign sign) {
  auto text = f.str();
  if (!text) return std::nullopt;
  auto parsed = policy::parseGoDuration(*text);
  if (!parsed.value) {
    f.error("expected a duration such as 250ms, 30s or 1m30s (" + parsed.error + ")");
    return std::nullopt;
  }
  if (*parsed.value < Duration()) {
    f.error("must not be negative, found " + *text);
    return std::nullopt;
  }
  if (sign == Sign::kPositive && *parsed.value == Duration()) {
    f.error("must be greater than zero");
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<uint64_t> readCount(const Field& f, uint64_t min, uint64_t max) {
  auto v = f.integer();
  if (!v) return std::nullopt;
  if (*v < 0 || static_cast<uint64_t>(*v) < min || static_cast<uint64_t>(*v) > max) {
    const std::string found = ", found " + std::to_string(*v);
    if (max >= static_cast<uint64_t>(INT64_MAX)) {
      f.error("must be at least " + std::to_string(min) + found);
    } else {
      f.error("must be between " + std::to_string(min) + " and " + std::to_string(max) + found);
    }
    return std::nullopt;
  }
  return static_cast<uint64_t>(*v);
}

std::optional<double> readNumber(const Field& f) {
  if (!f.present()) return std::nullopt;
  if (f.node().IsScalar() && isPlain(f.node())) {
    if (auto v = parseDecimal(f.node().Scalar())) return v;
  }
  f.error("expected a number, found " + quoted(f));
  return std::nullopt;
}

std::optional<double> readRate(const Field& f) {
  auto text = f.str();
  if (!text) return std::nullopt;
  std::string_view s = *text;
  double per = 1;  // seconds in the unit
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    const std::string_view unit = s.substr(slash + 1);
    if (unit == "s") {
      per = 1;
    } else if (unit == "min") {
      per = 60;
    } else if (unit == "h") {
      per = 3600;
    } else {
      per = 0;
    }
    s = s.substr(0, slash);
  }
  auto v = per > 0 ? parseDecimal(s) : std::nullopt;
  if (!v) {
    f.error("expected a rate such as 1000/s, 30/min, 5/h or a number per second, found \"" + *text +
            "\"");
    return std::nullopt;
  }
  if (*v < 0) {
    f.error("must not be negative, found " + *text);
    return std::nullopt;
  }
  return *v / per;
}

namespace {

// A trailing k/K, M, G or T (decimal: 1e3 .. 1e12) is taken off `s`; returns its factor, 1 without.
double takeSiPrefix(std::string_view& s) {
  if (s.empty()) return 1;
  double scale = 1;
  switch (s.back()) {
    case 'k':
    case 'K':
      scale = 1e3;
      break;
    case 'M':
      scale = 1e6;
      break;
    case 'G':
      scale = 1e9;
      break;
    case 'T':
      scale = 1e12;
      break;
    default:
      return 1;
  }
  s.remove_suffix(1);
  return scale;
}

}  // namespace

std::optional<uint64_t> readBandwidth(const Field& f) {
  auto text = f.str();
  if (!text) return std::nullopt;
  std::string_view s = *text;
  double scale = 1;
  if (s.size() >= 3 && s.substr(s.size() - 3) == "bps") {
    s.remove_suffix(3);
    scale = takeSiPrefix(s);
  }
  auto v = parseDecimal(s);
  if (!v || *v < 0) {
    f.error("expected bits per second such as 1Gbps, 100Mbps, 512kbps or 1000000, found \"" +
            *text + "\"");
    return std::nullopt;
  }
  const double bps = std::round(*v * scale);
  if (bps > 1e18) {
    f.error("bandwidth " + *text + " is too large (the limit is 1000000Tbps)");
    return std::nullopt;
  }
  return static_cast<uint64_t>(bps);
}

std::optional<double> readByteRate(const Field& f) {
  if (!f.present()) return std::nullopt;
  std::optional<double> v;
  if (f.node().IsScalar() && isPlain(f.node())) {
    std::string_view s = f.node().Scalar();
    const double scale = takeSiPrefix(s);
    v = parseDecimal(s);
    if (v) *v *= scale;
  }
  if (!v || !std::isfinite(*v)) {
    f.error("expected bytes per second such as 2.5G, 800M or 2500000000, found " + quoted(f));
    return std::nullopt;
  }
  if (*v < 0) {
    f.error("must not be negative, found " + f.node().Scalar());
    return std::nullopt;
  }
  return v;
}

}  // namespace ctplab::sim::scenario::loader
