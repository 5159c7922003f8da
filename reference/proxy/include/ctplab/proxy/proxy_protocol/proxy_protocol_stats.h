// PROXY protocol listener-filter counters with Envoy's full names, declared once from one list so
// the filter, exporters and tests walk the same entries.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"), sorted by name. Envoy roots them at the filter's scope, not under
// `listener.<address>.`, so one set serves every listener that installs the filter.
#define CTPLAB_PROXY_PROTOCOL_STATS(COUNTER)                                  \
  COUNTER(downstream_cx_proxy_proto_error, "downstream_cx_proxy_proto_error") \
  COUNTER(not_found_allowed, "proxy_proto.not_found_allowed")                 \
  COUNTER(not_found_disallowed, "proxy_proto.not_found_disallowed")           \
  COUNTER(v1_disallowed, "proxy_proto.versions.v1.disallowed")                \
  COUNTER(v1_error, "proxy_proto.versions.v1.error")                          \
  COUNTER(v1_found, "proxy_proto.versions.v1.found")                          \
  COUNTER(v2_disallowed, "proxy_proto.versions.v2.disallowed")                \
  COUNTER(v2_error, "proxy_proto.versions.v2.error")                          \
  COUNTER(v2_found, "proxy_proto.versions.v2.found")

namespace ctplab::proxy::proxy_protocol {

// Names one counter; enumerators reuse the field names so the list stays the single source.
enum class ProxyProtocolStat {
#define CTPLAB_PP_STAT_ENUMERATOR(field, name) field,
  CTPLAB_PROXY_PROTOCOL_STATS(CTPLAB_PP_STAT_ENUMERATOR)
#undef CTPLAB_PP_STAT_ENUMERATOR
};

struct ProxyProtocolStats {
#define CTPLAB_PP_DECLARE(field, name) uint64_t field = 0;
  CTPLAB_PROXY_PROTOCOL_STATS(CTPLAB_PP_DECLARE)
#undef CTPLAB_PP_DECLARE

  void increment(ProxyProtocolStat stat) {
    switch (stat) {
#define CTPLAB_PP_INCREMENT(field, name) \
  case ProxyProtocolStat::field:         \
    ++field;                             \
    return;
      CTPLAB_PROXY_PROTOCOL_STATS(CTPLAB_PP_INCREMENT)
#undef CTPLAB_PP_INCREMENT
    }
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_PP_VISIT(field, name) fn(std::string_view(name), field);
    CTPLAB_PROXY_PROTOCOL_STATS(CTPLAB_PP_VISIT)
#undef CTPLAB_PP_VISIT
  }
};

constexpr std::string_view statName(ProxyProtocolStat stat) {
  switch (stat) {
#define CTPLAB_PP_STAT_NAME(field, name) \
  case ProxyProtocolStat::field:         \
    return name;
    CTPLAB_PROXY_PROTOCOL_STATS(CTPLAB_PP_STAT_NAME)
#undef CTPLAB_PP_STAT_NAME
  }
  return {};
}

}  // namespace ctplab::proxy::proxy_protocol
