// Private to the scenario loader: strict key access on top of policy::Field, and readers for the
// value formats scenario files use (durations, counts, rates, bandwidths, timestamps, CIDRs).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/policy/yaml_reader.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::scenario::loader {

using policy::Field;

// Scenario keys are case-sensitive and may appear once per mapping. Field::operator[] follows
// Kubernetes decoding (case-insensitive, with an API-server warning), so lookups go through here.
class Keys {
 public:
  explicit Keys(policy::ReadContext* ctx) : ctx_(ctx) {}

  // The value written under exactly `key`; absent (line 0) when missing or `map` is no mapping.
  Field get(const Field& map, const char* key) const;
  // Reports keys outside `known` and repeated keys. False when `map` is absent, null or not a
  // mapping (the last one reported), so callers can skip reading it.
  bool open(const Field& map, std::initializer_list<const char*> known) const;
  bool open(const Field& map, const std::vector<std::string_view>& known) const;
  // (key, value) pairs in document order; the key Field is located at the key itself.
  std::vector<std::pair<Field, Field>> entries(const Field& map) const;
  // Reports `key` as missing, located at the mapping that should have held it.
  void missing(const Field& map, const char* key) const;

 private:
  policy::ReadContext* ctx_;
};

enum class Sign { kNonNegative, kPositive };

// Go duration text ("1m30s", "250ms", "0").
std::optional<Duration> readDuration(const Field& f, Sign sign);
// A plain YAML integer in [min, max].
std::optional<uint64_t> readCount(const Field& f, uint64_t min, uint64_t max);
// A plain YAML number (integer or decimal), finite.
std::optional<double> readNumber(const Field& f);
// Per second: a number, or "N/s", "N/min", "N/h". Never negative.
std::optional<double> readRate(const Field& f);
// Bits per second: an integer, or a number with k, M, G or T before "bps" ("1Gbps", "2.5Mbps").
std::optional<uint64_t> readBandwidth(const Field& f);
// Bytes per second: a number, or a number with k, M, G or T (powers of 1000) ("2.5G"). Never
// negative.
std::optional<double> readByteRate(const Field& f);
// An RFC 3339 instant ("2026-06-01T00:00:00Z", offsets allowed).
std::optional<TimePoint> readTimestamp(const Field& f);

// "10.0.0.0/8", "2001:db8::/32", or one address ("203.0.113.7" is a /32); warns when bits below
// the prefix are set.
std::optional<std::string> readCidr(const Field& f);

// A plain duration (constant) or {distribution: constant|uniform|exponential|lognormal, ...}.
std::optional<DurationDistribution> readDistribution(const Keys& keys, const Field& f);

// Go's spelling of a duration, for messages.
std::string showDuration(Duration d);
// A rate or count for messages: integers without a fraction, others with up to 6 digits.
std::string showNumber(double v);

}  // namespace ctplab::sim::scenario::loader
