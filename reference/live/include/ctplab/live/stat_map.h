// Every stat of a running gateway under its full Envoy name, and the two ways the admin endpoint
// prints them: Envoy's plain `/stats` text and the Prometheus exposition with Envoy's tags.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctplab::live {

struct StatValue {
  uint64_t value = 0;
  bool gauge = false;
};

// Sorted by name, so every rendering is stable.
using StatMap = std::map<std::string, StatValue>;

// Adds `value` to the stat (several workers and chains with one prefix aggregate by name).
void addStat(StatMap& stats, const std::string& name, uint64_t value, bool gauge = false);

// `name: value`, one per line, in name order: Envoy's `/stats` text format.
std::string formatEnvoyText(const StatMap& stats);

// A stat name as Envoy's Prometheus output spells it: the tag-extracted name with `envoy_` in
// front and every character outside [A-Za-z0-9_] as `_`, and the extracted tags in order.
struct PrometheusName {
  std::string metric;
  std::vector<std::pair<std::string, std::string>> tags;
};

// Extracts the tags of the stat families the live proxy exports (Envoy's default tag rules):
// `http.<prefix>.` (envoy_http_conn_manager_prefix), `listener.<address>.`
// (envoy_listener_address), `connection_limit.<prefix>.` (envoy_connection_limit_prefix),
// `tcp.<prefix>.` (envoy_tcp_prefix) and the `_rq_<d>xx` class (envoy_response_code_class).
// Anything else, e.g. `proxy_proto.versions.v1.found`, keeps its whole name.
PrometheusName prometheusName(std::string_view envoy_name);

// `# TYPE` once per metric, then `metric{tag="value",...} value` lines, metrics in name order.
std::string formatPrometheus(const StatMap& stats);

}  // namespace ctplab::live
