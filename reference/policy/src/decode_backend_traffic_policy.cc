// Decoding of BackendTrafficPolicy.spec: targets and `rateLimit` strictly, the other features
// accepted as written (they are echoed, not modelled).
#include "decode.h"

namespace ctplab::policy {
namespace {

RateLimitValueMatchSpec decodeValueMatch(const Field& f) {
  f.rejectUnknown({"type", "name", "value", "invert"});
  return {f["type"].str(), f["name"].required("name"), f["value"].str(), f["invert"].boolean()};
}

std::optional<std::vector<RateLimitValueMatchSpec>> decodeValueMatches(const Field& f) {
  if (!f.present()) return std::nullopt;
  std::vector<RateLimitValueMatchSpec> out;
  for (const auto& item : f.items()) {
    if (item.expectMap()) out.push_back(decodeValueMatch(item));
  }
  return out;
}

RateLimitSelectConditionSpec decodeSelector(const Field& f) {
  f.rejectUnknown({"headers", "methods", "path", "sourceCIDR", "queryParams"});
  RateLimitSelectConditionSpec s;
  s.headers = decodeValueMatches(f["headers"]);
  s.query_params = decodeValueMatches(f["queryParams"]);
  if (f["methods"].present()) {
    std::vector<RateLimitMethodMatchSpec> methods;
    for (const auto& m : f["methods"].items()) {
      if (!m.expectMap()) continue;
      m.rejectUnknown({"value", "invert", "type"});
      // Not in the CRD: the API server prunes it (kubectl's strict validation rejects it).
      if (m["type"].present()) {
        m["type"].warning("not a field of the API (MethodMatch has value and invert); ignored");
      }
      methods.push_back({m["value"].required("value"), m["invert"].boolean()});
    }
    s.methods = std::move(methods);
  }
  Field path = f["path"];
  if (path.expectMap()) {
    path.rejectUnknown({"type", "value", "invert"});
    // The API server defaults an absent value to "/".
    s.path = RateLimitPathMatchSpec{path["type"].str(), path["value"].str().value_or("/"),
                                    path["invert"].boolean()};
  }
  Field cidr = f["sourceCIDR"];
  if (cidr.expectMap()) {
    cidr.rejectUnknown({"type", "value", "invert"});
    s.source_cidr = RateLimitSourceMatchSpec{cidr["type"].str(), cidr["value"].required("value"),
                                             cidr["invert"].boolean()};
  }
  return s;
}

std::optional<RateLimitCostSpecifierSpec> decodeCostSpecifier(const Field& f) {
  if (!f.expectMap()) return std::nullopt;
  f.rejectUnknown({"from", "number", "metadata"});
  RateLimitCostSpecifierSpec c;
  c.from = f["from"].required("from");
  c.number = f["number"].integer();
  Field md = f["metadata"];
  if (md.expectMap()) {
    md.rejectUnknown({"namespace", "key"});
    c.metadata = RateLimitCostSpecifierSpec::Metadata{md["namespace"].required("namespace"),
                                                      md["key"].required("key")};
  }
  return c;
}

RateLimitRuleSpec decodeRule(const Field& f) {
  f.rejectUnknown(
      {"clientSelectors", "limit", "cost", "shared", "shadowMode", "xRateLimitHeaders"});
  RateLimitRuleSpec r;
  r.has_client_selectors = f["clientSelectors"].present();
  for (const auto& s : f["clientSelectors"].items()) {
    if (s.expectMap()) r.client_selectors.push_back(decodeSelector(s));
  }
  Field limit = f["limit"];
  if (limit.expectMap()) {
    limit.rejectUnknown({"requests", "unit", "fromMetadata"});
    r.has_limit = true;
    if (auto n = limit["requests"].integer()) {
      r.requests = *n;
    } else if (!limit["requests"].present()) {
      limit["requests"].error("missing required field (requests)");
    }
    r.unit = limit["unit"].required("unit");
    Field md = limit["fromMetadata"];
    if (md.expectMap()) {
      md.rejectUnknown({"namespace", "key"});
      r.from_metadata = RateLimitRuleSpec::FromMetadata{md["namespace"].str().value_or(""),
                                                        md["key"].str().value_or("")};
    }
  } else if (!limit.present()) {
    limit.error("missing required field (limit)");
  }
  Field cost = f["cost"];
  if (cost.expectMap()) {
    cost.rejectUnknown({"request", "response"});
    r.cost = RateLimitCostSpec{decodeCostSpecifier(cost["request"]),
                               decodeCostSpecifier(cost["response"])};
  }
  r.shared = f["shared"].boolean();
  r.shadow_mode = f["shadowMode"].boolean();
  r.x_rate_limit_headers = f["xRateLimitHeaders"].str();
  return r;
}

std::optional<std::vector<RateLimitRuleSpec>> decodeRules(const Field& f) {
  if (!f.present()) return std::nullopt;
  std::vector<RateLimitRuleSpec> rules;
  for (const auto& rule : f.items()) {
    if (rule.expectMap()) rules.push_back(decodeRule(rule));
  }
  return rules;
}

RateLimitSpec decodeRateLimit(const Field& f) {
  f.rejectUnknown({"type", "local", "global"});
  RateLimitSpec rl;
  rl.type = f["type"].str();
  Field local = f["local"];
  if (local.expectMap()) {
    local.rejectUnknown({"rules"});
    rl.has_local = true;
    rl.local_rules = decodeRules(local["rules"]);
  }
  Field global = f["global"];
  if (global.expectMap()) {
    global.rejectUnknown({"rules"});
    rl.has_global = true;
    rl.global_rules = decodeRules(global["rules"]);
    if (!rl.global_rules) global.error("missing required field (rules)");
  }
  return rl;
}

}  // namespace

void decodeBackendTrafficPolicySpec(const Field& spec, BackendTrafficPolicySpec& out) {
  spec.rejectUnknown({"targetRef",
                      "targetRefs",
                      "targetSelectors",
                      "mergeType",
                      "rateLimit",
                      "loadBalancer",
                      "retry",
                      "proxyProtocol",
                      "tcpKeepalive",
                      "healthCheck",
                      "circuitBreaker",
                      "timeout",
                      "connection",
                      "dns",
                      "http2",
                      "bandwidthLimit",
                      "faultInjection",
                      "admissionControl",
                      "useClientProtocol",
                      "compression",
                      "compressor",
                      "responseOverride",
                      "httpUpgrade",
                      "requestBuffer",
                      "telemetry",
                      "routingType"});
  if (spec["targetRef"].present()) out.target_ref = decodeTargetRef(spec["targetRef"]);
  for (const auto& r : spec["targetRefs"].items()) out.target_refs.push_back(decodeTargetRef(r));
  for (const auto& s : spec["targetSelectors"].items()) {
    out.target_selectors.push_back(decodeTargetSelector(s));
  }
  out.merge_type = spec["mergeType"].str();
  if (spec["rateLimit"].expectMap()) out.rate_limit = decodeRateLimit(spec["rateLimit"]);
  out.has_compression = spec["compression"].present();
  out.has_compressor = spec["compressor"].present();
  out.has_request_buffer = spec["requestBuffer"].present();
  if (spec["httpUpgrade"].isList()) out.http_upgrade_count = spec["httpUpgrade"].node().size();
  out.has_admission_control = spec["admissionControl"].present();
  out.has_use_client_protocol = spec["useClientProtocol"].present();
}

}  // namespace ctplab::policy
