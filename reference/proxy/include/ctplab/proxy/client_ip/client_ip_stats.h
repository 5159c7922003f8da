// Counters client-IP detection decides (spec 4.6.4, §6), declared once from one list with Envoy's
// names relative to the HCM prefix `http.<stat_prefix>.`.
#pragma once

#include <cstdint>
#include <string_view>

// COUNTER(field, "envoy.name"), sorted by name. All entries are counters.
#define CTPLAB_CLIENT_IP_STATS(COUNTER) \
  COUNTER(downstream_rq_rejected_via_ip_detection, "downstream_rq_rejected_via_ip_detection")

namespace ctplab::proxy::client_ip {

// Names one counter of ClientIpStats. Detection is pure, so a result says which counter its
// caller increments; enumerators reuse the field names so the list stays the single source.
enum class ClientIpStat {
#define CTPLAB_CLIENT_IP_STAT_ENUMERATOR(field, name) field,
  CTPLAB_CLIENT_IP_STATS(CTPLAB_CLIENT_IP_STAT_ENUMERATOR)
#undef CTPLAB_CLIENT_IP_STAT_ENUMERATOR
};

// Owned by whoever aggregates (one per HCM stat prefix).
struct ClientIpStats {
#define CTPLAB_CLIENT_IP_DECLARE_COUNTER(field, name) uint64_t field = 0;
  CTPLAB_CLIENT_IP_STATS(CTPLAB_CLIENT_IP_DECLARE_COUNTER)
#undef CTPLAB_CLIENT_IP_DECLARE_COUNTER

  void increment(ClientIpStat stat) {
    switch (stat) {
#define CTPLAB_CLIENT_IP_INCREMENT_COUNTER(field, name) \
  case ClientIpStat::field:                             \
    ++field;                                            \
    return;
      CTPLAB_CLIENT_IP_STATS(CTPLAB_CLIENT_IP_INCREMENT_COUNTER)
#undef CTPLAB_CLIENT_IP_INCREMENT_COUNTER
    }
  }

  // Calls fn(std::string_view envoy_name, uint64_t value) in list order.
  template <typename Fn>
  void forEach(Fn&& fn) const {
#define CTPLAB_CLIENT_IP_VISIT_COUNTER(field, name) fn(std::string_view(name), field);
    CTPLAB_CLIENT_IP_STATS(CTPLAB_CLIENT_IP_VISIT_COUNTER)
#undef CTPLAB_CLIENT_IP_VISIT_COUNTER
  }
};

// The Envoy name of one counter, for logs and explanations.
constexpr std::string_view statName(ClientIpStat stat) {
  switch (stat) {
#define CTPLAB_CLIENT_IP_STAT_NAME(field, name) \
  case ClientIpStat::field:                     \
    return name;
    CTPLAB_CLIENT_IP_STATS(CTPLAB_CLIENT_IP_STAT_NAME)
#undef CTPLAB_CLIENT_IP_STAT_NAME
  }
  return {};
}

}  // namespace ctplab::proxy::client_ip
