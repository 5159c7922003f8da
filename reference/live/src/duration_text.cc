#include "ctplab/live/duration_text.h"

#include <cstdint>
#include <string>

namespace ctplab::live {

namespace {

// Nanoseconds per unit; the longest unit names come first so "ms" is not read as "m".
struct Unit {
  std::string_view name;
  int64_t nanos;
};
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"\xc2\xb5s", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

constexpr int64_t kMaxNanos = INT64_MAX / 2;  // leaves room for adding a deadline to a TimePoint

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Duration> parseDurationText(std::string_view text) {
  if (text == "0") return Duration();
  if (text.empty()) return std::nullopt;
  // Bare seconds are accepted for options ("5" = 5 s), as Envoy's admin-style flags read them.
  bool all_digits = text.size() <= 9;
  for (char c : text) all_digits = all_digits && isDigit(c);
  if (all_digits) return Duration::seconds(std::stoll(std::string(text)));

  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    // A term: digits, an optional fraction, a unit.
    int64_t whole = 0;
    size_t digits = 0;
    while (i < text.size() && isDigit(text[i])) {
      if (whole > kMaxNanos / 10) return std::nullopt;
      whole = whole * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    int64_t frac = 0, frac_scale = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && isDigit(text[i])) {
        if (frac_scale < 1'000'000'000) {  // finer than a nanosecond of a second cannot matter
          frac = frac * 10 + (text[i] - '0');
          frac_scale *= 10;
        }
        ++i;
        ++digits;
      }
    }
    if (digits == 0) return std::nullopt;
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return std::nullopt;
    i += unit->name.size();
    if (whole > kMaxNanos / unit->nanos) return std::nullopt;
    // The fraction has at most 9 digits; a double keeps it exact enough at every unit.
    const int64_t term =
        whole * unit->nanos +
        static_cast<int64_t>(static_cast<double>(frac) / static_cast<double>(frac_scale) *
                             static_cast<double>(unit->nanos));
    if (total > kMaxNanos - term) return std::nullopt;
    total += term;
  }
  return Duration::nanoseconds(total);
}

}  // namespace ctplab::live
