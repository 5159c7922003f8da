// Conformance case files: the scenario part goes through the scenario loader (same rules, same
// messages); the case keys and expectations are read here with the same located reads.
#include "ctplab/conformance/case_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "ctplab/policy/yaml_reader.h"
#include "ctplab/simulator/scenario/scenario_loader.h"
#include "live/real_traffic_support.h"

namespace ctplab::conformance {
namespace {

using policy::Field;

const char* const kCaseKeys[] = {"id", "features", "modes", "skip", "expect"};

class Reader {
 public:
  explicit Reader(policy::ReadContext* ctx) : ctx_(ctx) {}

  Field at(const Field& f, const char* key) const {
    const YAML::Node& node = f.node();
    YAML::Node value = node.IsMap() ? node[key] : YAML::Node(YAML::NodeType::Undefined);
    return Field(value, f.path().empty() ? key : f.path() + "." + key, ctx_);
  }

  std::optional<double> number(const Field& f) const {
    if (!f.present()) return std::nullopt;
    if (!f.node().IsScalar()) {
      f.error("expected a number");
      return std::nullopt;
    }
    const std::string& text = f.node().Scalar();
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      f.error("expected a number, got \"" + text + "\"");
      return std::nullopt;
    }
    return v;
  }

  // `3`, `{min: 1}`, `{max: 5}`, `{min: 1, max: 5}`, `{equals: 3}`.
  std::optional<NumberMatcher> numberMatcher(const Field& f) const {
    NumberMatcher m;
    if (f.node().IsScalar()) {
      m.equals = number(f);
      return m.equals ? std::optional(m) : std::nullopt;
    }
    if (!f.isMap()) {
      f.error("expected a number or {min, max, equals}");
      return std::nullopt;
    }
    f.rejectUnknown({"min", "max", "equals"});
    m.equals = number(at(f, "equals"));
    m.min = number(at(f, "min"));
    m.max = number(at(f, "max"));
    if (!m.equals && !m.min && !m.max) {
      f.error("needs equals, min or max");
      return std::nullopt;
    }
    if (m.equals && (m.min || m.max)) f.error("equals cannot be combined with min or max");
    if (m.min && m.max && *m.min > *m.max) f.error("min is greater than max");
    return m;
  }

  // `value` or `{equals: value}` or `{contains: part}`.
  std::optional<TextMatcher> textMatcher(const Field& f) const {
    if (!f.present()) return std::nullopt;
    if (f.node().IsScalar()) return TextMatcher{f.node().Scalar(), std::nullopt};
    if (!f.isMap()) {
      f.error("expected a string or {equals, contains}");
      return std::nullopt;
    }
    f.rejectUnknown({"equals", "contains"});
    TextMatcher m{text(at(f, "equals")), text(at(f, "contains"))};
    if (!m.equals && !m.contains) f.error("needs equals or contains");
    return m;
  }

  std::optional<std::string> text(const Field& f) const {
    if (!f.present()) return std::nullopt;
    if (!f.node().IsScalar()) {
      f.error("expected a string");
      return std::nullopt;
    }
    return f.node().Scalar();
  }

 private:
  policy::ReadContext* ctx_;
};

void readConditions(const Reader& r, const Field& list, PolicyExpectation& p) {
  if (!list.present()) return;
  for (const Field& item : list.items()) {
    if (!item.expectMap()) continue;
    item.rejectUnknown({"type", "status", "reason", "message", "messageContains"});
    ConditionExpectation c;
    c.location = item.location();
    if (auto t = r.text(r.at(item, "type"))) {
      c.type = *t;
    } else {
      r.at(item, "type").error("missing required field");
    }
    c.status = r.text(r.at(item, "status"));
    if (c.status && *c.status != "True" && *c.status != "False" && *c.status != "Unknown") {
      r.at(item, "status").error("must be \"True\", \"False\" or \"Unknown\" (quoted in YAML)");
    }
    c.reason = r.text(r.at(item, "reason"));
    auto message = r.text(r.at(item, "message"));
    auto contains = r.text(r.at(item, "messageContains"));
    if (message && contains) item.error("give message or messageContains, not both");
    if (message || contains) c.message = TextMatcher{message, contains};
    p.conditions.push_back(std::move(c));
  }
}

void readPolicies(const Reader& r, const Field& list, ConformanceCase& out) {
  if (!list.present()) return;
  for (const Field& item : list.items()) {
    if (!item.expectMap()) continue;
    item.rejectUnknown({"policy", "kind", "ancestor", "ancestors", "conditions", "absent"});
    PolicyExpectation p;
    p.location = item.location();
    const Field ref = r.at(item, "policy");
    if (auto name = r.text(ref)) {
      const size_t slash = name->find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == name->size()) {
        ref.error("expected <namespace>/<name>, got \"" + *name + "\"");
      } else {
        p.ns = name->substr(0, slash);
        p.name = name->substr(slash + 1);
      }
    } else {
      ref.error("missing required field");
    }
    if (auto kind = r.text(r.at(item, "kind"))) {
      if (*kind != "ClientTrafficPolicy" && *kind != "SecurityPolicy" &&
          *kind != "BackendTrafficPolicy") {
        r.at(item, "kind")
            .error("expected ClientTrafficPolicy, SecurityPolicy or BackendTrafficPolicy");
      }
      p.kind = *kind;
    }
    const Field ancestor = r.at(item, "ancestor");
    if (ancestor.present() && ancestor.expectMap()) {
      ancestor.rejectUnknown({"kind", "name", "namespace", "sectionName"});
      p.ancestor_kind = r.text(r.at(ancestor, "kind"));
      p.ancestor_name = r.text(r.at(ancestor, "name"));
      p.ancestor_namespace = r.text(r.at(ancestor, "namespace"));
      p.section_name = r.text(r.at(ancestor, "sectionName"));
    }
    const Field count = r.at(item, "ancestors");
    if (count.present()) p.ancestor_count = r.numberMatcher(count);
    readConditions(r, r.at(item, "conditions"), p);
    p.absent_conditions = r.at(item, "absent").strings();
    if (p.conditions.empty() && p.absent_conditions.empty() && !p.ancestor_count) {
      item.error("expects nothing: give conditions, absent or ancestors");
    }
    out.policies.push_back(std::move(p));
  }
}

void readPopulations(const Reader& r, const Field& map, ConformanceCase& out) {
  if (!map.present() || !map.expectMap()) return;
  std::set<std::string> declared;
  for (const auto& p : out.scenario.populations) declared.insert(p.name);
  for (const auto& kv : map.node()) {
    const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
    Field located = r.at(map, name.c_str());
    if (!declared.count(name)) {
      // Reported at the key: the value may start on a later line.
      Field(kv.first, located.path(), located.context())
          .error("the scenario has no population \"" + name + "\"");
      continue;
    }
    if (!located.expectMap()) continue;
    PopulationExpectation pe;
    pe.population = name;
    pe.location = located.location();
    for (const auto& entry : located.node()) {
      const std::string path = entry.first.IsScalar() ? entry.first.Scalar() : "";
      Field value = r.at(located, path.c_str());
      if (!isObservationPath(path)) {
        Field(entry.first, value.path(), value.context())
            .error("unknown observation \"" + path +
                   "\" (see conformance/README.md for the observation paths)");
        continue;
      }
      if (auto m = r.numberMatcher(value)) {
        pe.observations.push_back({path, *m, value.location()});
      }
    }
    out.populations.push_back(std::move(pe));
  }
}

void readStats(const Reader& r, const Field& map, ConformanceCase& out) {
  if (!map.present() || !map.expectMap()) return;
  static const std::regex kStatName(R"([A-Za-z0-9_][A-Za-z0-9_.\-]*)");
  for (const auto& kv : map.node()) {
    const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
    Field value = r.at(map, name.c_str());
    if (!std::regex_match(name, kStatName) || name.find('.') == std::string::npos) {
      value.error("expected a full stat name such as http.http-10080.downstream_rq_2xx");
      continue;
    }
    if (auto m = r.numberMatcher(value)) out.stats.push_back({name, *m, value.location()});
  }
}

void readBackend(const Reader& r, const Field& list, ConformanceCase& out) {
  if (!list.present()) return;
  std::set<std::string> declared;
  for (const auto& p : out.scenario.populations) declared.insert(p.name);
  for (const Field& item : list.items()) {
    if (!item.expectMap()) continue;
    item.rejectUnknown(
        {"population", "received", "request", "method", "path", "clientIp", "headers"});
    BackendExpectation b;
    b.location = item.location();
    const Field pop = r.at(item, "population");
    if (auto name = r.text(pop)) {
      if (!declared.count(*name)) pop.error("the scenario has no population \"" + *name + "\"");
      b.population = *name;
    } else {
      pop.error("missing required field");
    }
    const Field received = r.at(item, "received");
    if (received.present()) b.received = r.numberMatcher(received);
    const Field request = r.at(item, "request");
    if (auto n = request.integer()) {
      if (*n < 0) request.error("must be 0 or more");
      b.request = static_cast<size_t>(std::max<int64_t>(0, *n));
    }
    b.method = r.textMatcher(r.at(item, "method"));
    b.path = r.textMatcher(r.at(item, "path"));
    b.client_ip = r.textMatcher(r.at(item, "clientIp"));
    const Field headers = r.at(item, "headers");
    if (headers.present() && headers.expectMap()) {
      for (const auto& kv : headers.node()) {
        const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : "";
        const Field value = r.at(headers, name.c_str());
        HeaderExpectation h;
        h.name = name;
        h.location = value.location();
        if (kv.second.IsNull()) {
          h.absent = true;  // `name: null` (or `name:`): the header must not be there
        } else {
          h.value = r.textMatcher(value);
        }
        b.headers.push_back(std::move(h));
      }
    }
    if (!b.received && !b.method && !b.path && !b.client_ip && b.headers.empty()) {
      item.error("expects nothing: give received, method, path, clientIp or headers");
    }
    out.backend.push_back(std::move(b));
  }
}

void readCase(const YAML::Node& doc, const std::string& label, LoadedCase& loaded,
              ConformanceCase& out) {
  policy::ReadContext ctx{label, "", &loaded.diagnostics};
  const Reader r(&ctx);
  const Field root(doc, "", &ctx);
  out.id = r.text(r.at(root, "id")).value_or("");
  const Field features = r.at(root, "features");
  if (!features.present()) {
    features.error("missing required field");
  } else {
    for (const Field& f : features.items()) {
      auto tag = r.text(f);
      if (!tag) continue;
      const auto& known = knownFeatures();
      if (std::find(known.begin(), known.end(), *tag) == known.end()) {
        f.error("unknown feature \"" + *tag + "\" (conformance/README.md lists the tags)");
        continue;
      }
      out.features.push_back(*tag);
    }
    if (features.isList() && out.features.empty()) features.error("must list at least one");
  }
  const Field modes = r.at(root, "modes");
  if (modes.present()) {
    out.modes.clear();
    for (const Field& f : modes.items()) {
      auto m = r.text(f);
      if (!m) continue;
      if (*m == "sim") {
        out.modes.push_back(Mode::kSim);
      } else if (*m == "live") {
        out.modes.push_back(Mode::kLive);
      } else if (*m == "target") {
        out.modes.push_back(Mode::kTarget);
      } else {
        f.error("unknown mode \"" + *m + "\"; expected sim, live or target");
      }
    }
  }
  const Field skip = r.at(root, "skip");
  if (skip.present()) {
    out.skip = r.text(skip);
    // A folded or literal YAML block ends in a newline that is not part of the reason.
    while (out.skip && !out.skip->empty() &&
           std::isspace(static_cast<unsigned char>(out.skip->back()))) {
      out.skip->pop_back();
    }
    if (out.skip && out.skip->empty()) skip.error("give the reason the case is skipped");
  }
  const Field expect = r.at(root, "expect");
  const bool real =
      std::any_of(out.modes.begin(), out.modes.end(), [](Mode m) { return m != Mode::kSim; });
  if (real) {
    for (const auto& problem : live::realTrafficProblems(out.scenario)) {
      modes.error("cannot run outside simulation: " + problem);
    }
  }
  if (!expect.present()) {
    expect.error("missing required field");
    return;
  }
  if (!expect.expectMap()) return;
  expect.rejectUnknown({"policies", "populations", "stats", "backend"});
  readPolicies(r, r.at(expect, "policies"), out);
  readPopulations(r, r.at(expect, "populations"), out);
  readStats(r, r.at(expect, "stats"), out);
  readBackend(r, r.at(expect, "backend"), out);
  if (out.policies.empty() && out.populations.empty() && out.stats.empty() && out.backend.empty()) {
    expect.error("expects nothing: give policies, populations, stats or backend");
  }
}

policy::SourceLocation markAt(const std::string& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

}  // namespace

bool isObservationPath(const std::string& path) {
  static const std::set<std::string> kFixed = {
      "clients",
      "hold_completed",
      "connections.attempted",
      "connections.connect_failed",
      "connections.established",
      "connections.admitted",
      "connections.limited",
      "connections.no_filter_chain",
      "connections.closed_by_server",
      "connections.reset_by_server",
      "connections.closed_by_client",
      "connections.vanished",
      "connections.retries",
      "requests.sent",
      "requests.responses",
      "requests.reset",
      "requests.closed",
      "requests.timeout",
      "requests.connect_failed",
      "requests.unfinished",
      "latency_ms.count",
      "latency_ms.mean",
      "latency_ms.p50",
      "latency_ms.p90",
      "latency_ms.p99",
      "latency_ms.p99.9",
      "latency_ms.max",
      "http3.responses",
      "http3.quic_attempted",
      "http3.quic_established",
      "http3.zero_rtt",
      "http3.handshake_timeout",
      "http3.refused",
      "http3.limited",
      "http3.fallbacks",
  };
  static const std::regex kStatus(R"(requests\.by_status\.[1-5][0-9][0-9])");
  // TLS outcomes carry the listener's ssl counter names (handshake, fail_verify_error,
  // versions.TLSv1.2, ciphers.<suite>, curves.<group>), plus alpn.<protocol> and session_tickets.
  static const std::regex kTls(
      R"(tls\.(handshake|no_certificate|connection_error|fail_verify_(error|no_cert|san|cert_hash)|)"
      R"(session_reused|session_tickets|(versions|ciphers|curves|alpn)\.[A-Za-z0-9_./-]+))");
  return kFixed.count(path) > 0 || std::regex_match(path, kStatus) || std::regex_match(path, kTls);
}

LoadedCase loadCaseText(std::string_view text, const std::string& file_label,
                        const std::string& base_dir) {
  LoadedCase loaded;
  sim::scenario::ScenarioLoadOptions options;
  options.extra_keys.assign(std::begin(kCaseKeys), std::end(kCaseKeys));
  options.require_populations = false;
  auto scenario = sim::scenario::loadScenarioText(text, file_label, base_dir, options);
  loaded.diagnostics = std::move(scenario.diagnostics);
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // The scenario loader has reported the malformed YAML already.
    if (!loaded.diagnostics.hasErrors()) {
      loaded.diagnostics.error(markAt(file_label, e.mark), "", "malformed YAML: " + e.msg);
    }
    return loaded;
  }
  if (!doc.IsMap()) return loaded;
  ConformanceCase c;
  c.file = file_label;
  c.scenario = std::move(scenario.scenario);
  c.name = c.scenario.name;
  c.description = c.scenario.description;
  try {
    readCase(doc, file_label, loaded, c);
  } catch (const YAML::Exception& e) {
    loaded.diagnostics.error(markAt(file_label, e.mark), "", "unreadable YAML structure: " + e.msg);
  }
  if (!loaded.diagnostics.hasErrors()) loaded.value = std::move(c);
  return loaded;
}

LoadedCase loadCaseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    LoadedCase loaded;
    loaded.diagnostics.error({path, 0, 0}, "", "cannot open file");
    return loaded;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return loadCaseText(text, path, std::filesystem::path(path).parent_path().string());
}

std::vector<std::string> caseFilesIn(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace ctplab::conformance
