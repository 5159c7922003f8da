#include "ctplab/live/stat_map.h"

#include <algorithm>

namespace ctplab::live {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// `<root>.<value>.<rest>` where the value is everything up to the next dot (Envoy's lazy
// `(.*?)\.`): the tag value and the rest, or nothing when the name does not have that shape.
bool splitPrefixTag(std::string_view name, std::string_view root, std::string_view& value,
                    std::string_view& rest) {
  if (name.size() <= root.size() + 1 || name.substr(0, root.size()) != root ||
      name[root.size()] != '.') {
    return false;
  }
  const std::string_view tail = name.substr(root.size() + 1);
  const size_t dot = tail.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= tail.size()) return false;
  value = tail.substr(0, dot);
  rest = tail.substr(dot + 1);
  return true;
}

// Envoy's listener address: the longest run of digits, dots and `_` (IPv4 `0.0.0.0_10080`) or
// of hex digits, brackets and `_` (IPv6 `[__1]_10080`) that is followed by a dot.
bool splitListenerAddress(std::string_view name, std::string_view& address,
                          std::string_view& rest) {
  constexpr std::string_view kRoot = "listener.";
  if (name.substr(0, kRoot.size()) != kRoot) return false;
  const std::string_view tail = name.substr(kRoot.size());
  if (tail.size() < 3) return false;
  // Envoy's greedy `(run*)\.`: the last dot at or before the end of the run.
  auto addressEnd = [&](auto allowed) -> size_t {
    size_t run = 0;
    while (run < tail.size() && allowed(tail[run])) ++run;
    for (size_t k = std::min(run, tail.size() - 1); k > 0; --k) {
      if (tail[k] == '.') return k;
    }
    return 0;
  };
  size_t end = addressEnd([](char c) { return isDigit(c) || c == '.' || c == '_'; });
  if (end == 0) {
    end = addressEnd([](char c) { return isHex(c) || c == '[' || c == ']' || c == '_'; });
  }
  if (end == 0 || end + 1 >= tail.size()) return false;
  address = tail.substr(0, end);
  rest = tail.substr(end + 1);
  return true;
}

std::string sanitize(std::string_view name) {
  std::string out = "envoy_";
  for (char c : name) {
    const bool ok = isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out;
}

std::string escapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

void addStat(StatMap& stats, const std::string& name, uint64_t value, bool gauge) {
  StatValue& v = stats[name];
  v.value += value;
  v.gauge = v.gauge || gauge;
}

std::string formatEnvoyText(const StatMap& stats) {
  std::string out;
  for (const auto& [name, v] : stats) {
    out += name;
    out += ": ";
    out += std::to_string(v.value);
    out += '\n';
  }
  return out;
}

PrometheusName prometheusName(std::string_view envoy_name) {
  PrometheusName out;
  std::string name(envoy_name);
  std::string_view value, rest;
  struct Root {
    std::string_view root;
    std::string_view tag;
  };
  constexpr Root kPrefixRoots[] = {{"http", "envoy_http_conn_manager_prefix"},
                                   {"connection_limit", "envoy_connection_limit_prefix"},
                                   {"tcp", "envoy_tcp_prefix"}};
  for (const Root& r : kPrefixRoots) {
    if (splitPrefixTag(envoy_name, r.root, value, rest)) {
      out.tags.emplace_back(std::string(r.tag), std::string(value));
      name = std::string(r.root) + "." + std::string(rest);
      break;
    }
  }
  if (out.tags.empty() && splitListenerAddress(envoy_name, value, rest)) {
    out.tags.emplace_back("envoy_listener_address", std::string(value));
    name = "listener." + std::string(rest);
  }
  // `downstream_rq_2xx` → `downstream_rq_xx` with the class as a tag. Envoy's rules run the
  // response-code rule first, so its tag leads.
  if (name.size() >= 7 && name.ends_with("xx") && isDigit(name[name.size() - 3]) &&
      std::string_view(name).substr(name.size() - 7, 4) == "_rq_") {
    out.tags.emplace(out.tags.begin(), "envoy_response_code_class",
                     std::string(1, name[name.size() - 3]));
    name.erase(name.size() - 3, 1);
  }
  out.metric = sanitize(name);
  return out;
}

std::string formatPrometheus(const StatMap& stats) {
  struct Sample {
    std::vector<std::pair<std::string, std::string>> tags;
    uint64_t value = 0;
  };
  struct Metric {
    bool gauge = false;
    std::vector<Sample> samples;
  };
  std::map<std::string, Metric> metrics;
  for (const auto& [name, v] : stats) {
    PrometheusName p = prometheusName(name);
    Metric& m = metrics[p.metric];
    m.gauge = m.gauge || v.gauge;
    // Names that differ only in characters Prometheus cannot spell land on one sample: add up.
    auto same = std::find_if(m.samples.begin(), m.samples.end(),
                             [&](const Sample& s) { return s.tags == p.tags; });
    if (same != m.samples.end()) {
      same->value += v.value;
    } else {
      m.samples.push_back({std::move(p.tags), v.value});
    }
  }
  std::string out;
  for (auto& [metric, m] : metrics) {
    std::sort(m.samples.begin(), m.samples.end(),
              [](const Sample& a, const Sample& b) { return a.tags < b.tags; });
    out += "# TYPE " + metric + (m.gauge ? " gauge\n" : " counter\n");
    for (const Sample& s : m.samples) {
      out += metric;
      if (!s.tags.empty()) {
        out += '{';
        for (size_t i = 0; i < s.tags.size(); ++i) {
          if (i > 0) out += ',';
          out += s.tags[i].first + "=\"" + escapeLabel(s.tags[i].second) + "\"";
        }
        out += '}';
      }
      out += ' ' + std::to_string(s.value) + '\n';
    }
  }
  return out;
}

}  // namespace ctplab::live
