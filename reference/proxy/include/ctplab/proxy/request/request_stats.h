// Counters the request stage decides (spec 4.12 path checks), declared once from one list with
// Envoy's names relative to the HCM prefix `http.<stat_prefix>.`.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"), sorted by name. All entries are counters.
#define CTPLAB_REQUEST_STAGE_STATS(COUNTER)                                                   \
  COUNTER(downstream_rq_failed_path_normalization, "downstream_rq_failed_path_normalization") \
  COUNTER(downstream_rq_non_relative_path, "downstream_rq_non_relative_path")                 \
  COUNTER(downstream_rq_redirected_with_normalized_path,                                      \
          "downstream_rq_redirected_with_normalized_path")

namespace ctplab::proxy::request {

// Names one counter of RequestStats. The stage is pure, so a verdict says which counter its caller
// increments; enumerators reuse the field names so the list stays the single source.
enum class RequestStat {
#define CTPLAB_REQUEST_STAT_ENUMERATOR(field, name) field,
  CTPLAB_REQUEST_STAGE_STATS(CTPLAB_REQUEST_STAT_ENUMERATOR)
#undef CTPLAB_REQUEST_STAT_ENUMERATOR
};

// Owned by whoever aggregates (one per HCM stat prefix).
struct RequestStats {
#define CTPLAB_REQUEST_DECLARE_COUNTER(field, name) uint64_t field = 0;
  CTPLAB_REQUEST_STAGE_STATS(CTPLAB_REQUEST_DECLARE_COUNTER)
#undef CTPLAB_REQUEST_DECLARE_COUNTER

  void increment(RequestStat stat) {
    switch (stat) {
#define CTPLAB_REQUEST_INCREMENT_COUNTER(field, name) \
  case RequestStat::field:                            \
    ++field;                                          \
    return;
      CTPLAB_REQUEST_STAGE_STATS(CTPLAB_REQUEST_INCREMENT_COUNTER)
#undef CTPLAB_REQUEST_INCREMENT_COUNTER
    }
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_REQUEST_VISIT_COUNTER(field, name) fn(std::string_view(name), field);
    CTPLAB_REQUEST_STAGE_STATS(CTPLAB_REQUEST_VISIT_COUNTER)
#undef CTPLAB_REQUEST_VISIT_COUNTER
  }
};

// The Envoy name of one counter, for logs and verdict checks.
constexpr std::string_view statName(RequestStat stat) {
  switch (stat) {
#define CTPLAB_REQUEST_STAT_NAME(field, name) \
  case RequestStat::field:                    \
    return name;
    CTPLAB_REQUEST_STAGE_STATS(CTPLAB_REQUEST_STAT_NAME)
#undef CTPLAB_REQUEST_STAT_NAME
  }
  return {};
}

}  // namespace ctplab::proxy::request
