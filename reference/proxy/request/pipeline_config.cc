// ir::Listener → RequestPipelineConfig: the request-stage settings a ClientTrafficPolicy produced.
#include "ctplab/proxy/request/pipeline_config.h"

#include <utility>

namespace ctplab::proxy::request {
namespace {

namespace ir = policy::ir;

Result<RequestIdMode> requestIdMode(const std::optional<std::string>& text) {
  if (!text || *text == "Generate") return RequestIdMode::kGenerate;
  if (*text == "PreserveOrGenerate") return RequestIdMode::kPreserveOrGenerate;
  if (*text == "Preserve") return RequestIdMode::kPreserve;
  if (*text == "Disable") return RequestIdMode::kDisable;
  return Error{"unknown requestID \"" + *text + "\""};
}

Result<EscapedSlashesAction> escapedSlashesAction(const std::string& text) {
  if (text.empty() || text == "UnescapeAndRedirect") {
    return EscapedSlashesAction::kUnescapeAndRedirect;
  }
  if (text == "KeepUnchanged") return EscapedSlashesAction::kKeepUnchanged;
  if (text == "RejectRequest") return EscapedSlashesAction::kRejectRequest;
  if (text == "UnescapeAndForward") return EscapedSlashesAction::kUnescapeAndForward;
  return Error{"unknown escapedSlashesAction \"" + text + "\""};
}

HeaderValueRule valueRule(const ir::AddHeader& h) {
  HeaderValueRule rule{h.name, h.value, HeaderValueRule::Action::kOverwrite};
  // The translator never sets both; addIfAbsent is the narrower promise, so it wins.
  if (h.add_if_absent) {
    rule.action = HeaderValueRule::Action::kAddIfAbsent;
  } else if (h.append) {
    rule.action = HeaderValueRule::Action::kAppend;
  }
  return rule;
}

Result<NameMatch> nameMatch(const ir::StringMatch& m) {
  if (m.exact) return NameMatch{NameMatch::Kind::kExact, *m.exact};
  if (m.prefix) return NameMatch{NameMatch::Kind::kPrefix, *m.prefix};
  if (m.suffix) return NameMatch{NameMatch::Kind::kSuffix, *m.suffix};
  if (m.safe_regex) return NameMatch{NameMatch::Kind::kRegex, *m.safe_regex};
  return Error{"removeOnMatch entry sets no exact, prefix, suffix or regex"};
}

Result<HeaderRules> headerRules(const std::string& direction,
                                const std::vector<ir::AddHeader>& adds,
                                const std::vector<std::string>& removes,
                                const std::vector<ir::StringMatch>& on_match) {
  HeaderRulesOptions o;
  for (const ir::AddHeader& h : adds) o.values.push_back(valueRule(h));
  o.remove = removes;
  for (const ir::StringMatch& m : on_match) {
    auto match = nameMatch(m);
    if (!match.ok()) return Error{direction + ": " + match.error().message};
    o.remove_on_match.push_back(match.value());
  }
  auto rules = HeaderRules::compile(o);
  if (!rules.ok()) return Error{direction + ": " + rules.error().message};
  return rules;
}

}  // namespace

Result<RequestPipelineConfig> RequestPipelineConfig::fromListener(const ir::Listener& listener) {
  if (!listener.isHTTP()) {
    return Error{"listener " + listener.name + " has protocol " + listener.protocol +
                 "; only HTTP and HTTPS listeners have a request stage"};
  }
  RequestPipelineConfig c;
  c.path.merge_slashes = listener.merge_slashes;
  auto action = escapedSlashesAction(listener.escaped_slashes_action);
  if (!action.ok()) return action.error();
  c.path.escaped_slashes = action.value();
  c.strip_trailing_host_dot = listener.strip_trailing_host_dot.value_or(false);
  if (listener.health_check_path) {
    if (listener.health_check_path->empty()) return Error{"healthCheck path is empty"};
    c.health_check_path = listener.health_check_path;
  }
  if (listener.http1 && listener.http1->has_http10) {
    c.http10_default_host = listener.http1->http10_default_host;
  }
  if (!listener.headers) return c;

  const ir::HeaderSettings& h = *listener.headers;
  auto mode = requestIdMode(h.request_id);
  if (!mode.ok()) return mode.error();
  c.request_id = mode.value();
  c.enable_envoy_headers = h.enable_envoy_headers;
  auto early = headerRules("earlyRequestHeaders", h.early_add_request_headers,
                           h.early_remove_request_headers, h.early_remove_on_match);
  if (!early.ok()) return early.error();
  c.early_request_headers = std::move(early).value();
  auto late = headerRules("lateResponseHeaders", h.late_add_response_headers,
                          h.late_remove_response_headers, h.late_remove_on_match);
  if (!late.ok()) return late.error();
  c.late_response_headers = std::move(late).value();
  return c;
}

}  // namespace ctplab::proxy::request
