// Value formats the API uses: Go durations (parse and print exactly as Go does), the Gateway API
// duration pattern, and Kubernetes quantities (parse, integer value, canonical string).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/common/time.h"

namespace ctplab::policy {

// Go's time.ParseDuration: on failure `error` holds Go's message, e.g.
// `time: unknown unit "sec" in duration "5sec"`.
struct GoDurationParse {
  std::optional<Duration> value;
  std::string error;
};
GoDurationParse parseGoDuration(std::string_view text);

// Go's time.Duration.String(): `1h0m0s`, `5m0s`, `1.5s`, `500ms`, `0s`.
std::string formatGoDuration(Duration d);

// The Gateway API Duration schema pattern `^([0-9]{1,5}(h|m|s|ms)){1,4}$`.
bool matchesGatewayDuration(std::string_view text);

// A Kubernetes resource.Quantity. Stored exactly (value x 10^-9 as a 128-bit integer), which is
// enough for every suffix the API accepts.
class Quantity {
 public:
  enum class Format { kDecimalSI, kBinarySI, kDecimalExponent };

  // Parses `123`, `1.5`, `500m`, `60k`, `96Ki`, `1e3`. Returns nullopt for malformed text.
  static std::optional<Quantity> parse(std::string_view text);

  // The integer value when the quantity is a whole number that fits int64 (resource.AsInt64).
  std::optional<int64_t> asInt64() const;
  // Canonical text as resource.Quantity.String() prints it (`1024` → `1Ki` only for binary input).
  std::string toString() const;

 private:
  __int128 nanos_ = 0;
  Format format_ = Format::kDecimalSI;
};

// The CRD pattern for ClientTrafficPolicy quantities: `^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$`.
bool matchesQuantityPattern(std::string_view text);

}  // namespace ctplab::policy
