#include "ctplab/simulator/identity/decision_output.h"

#include "ctplab/simulator/results/json_writer.h"

namespace ctplab::sim::identity {
namespace {

std::string_view sourceName(proxy::client_ip::Source s) {
  switch (s) {
    case proxy::client_ip::Source::kPeer:
      return "peer";
    case proxy::client_ip::Source::kXff:
      return "x-forwarded-for";
    case proxy::client_ip::Source::kCustomHeader:
      return "custom_header";
  }
  return "";
}

}  // namespace

std::string describeClientIpMode(const proxy::client_ip::ClientIpConfig& c) {
  namespace cip = proxy::client_ip;
  switch (c.mode) {
    case cip::Mode::kNone:
      return "no clientIPDetection";
    case cip::Mode::kDirectSourceIp:
      return "directSourceIP";
    case cip::Mode::kNumTrustedHops:
      return "numTrustedHops " + std::to_string(c.num_trusted_hops) + " (skips " +
             std::to_string(c.hops_to_skip) + " from the right)";
    case cip::Mode::kTrustedCidrs: {
      std::string out = "trustedCIDRs [";
      for (size_t i = 0; i < c.trusted_cidrs.size(); ++i) {
        out += (i ? ", " : "") + c.trusted_cidrs[i].toString();
      }
      return out + "]";
    }
    case cip::Mode::kCustomHeader:
      return "customHeader " + c.custom_header + (c.fail_closed ? " (failClosed)" : "");
  }
  return "";
}

std::string_view authorizationName(RequestDecision::Authorization a) {
  switch (a) {
    case RequestDecision::Authorization::kNotReached:
      return "not_reached";
    case RequestDecision::Authorization::kNoPolicy:
      return "no_policy";
    case RequestDecision::Authorization::kAllowed:
      return "allowed";
    case RequestDecision::Authorization::kDenied:
      return "denied";
  }
  return "";
}

std::string outcomeSummary(const Outcome& o) {
  switch (o.kind) {
    case Outcome::Kind::kForwarded:
      return o.status == 0 ? "proxied (TCP)" : "forwarded (" + std::to_string(o.status) + ")";
    case Outcome::Kind::kLocalReply:
      return std::to_string(o.status) + (o.body.empty() ? "" : " " + o.body);
    case Outcome::Kind::kClosed:
      return "connection closed";
  }
  return "";
}

std::string decisionToText(const RequestDecision& d) {
  std::string out;
  for (size_t i = 0; i < d.steps.size(); ++i) {
    out += std::to_string(i + 1) + ". " + d.steps[i].text + "\n";
    for (const auto& line : d.steps[i].details) out += "     " + line + "\n";
  }
  const Outcome& o = d.outcome;
  const std::string by(decidedByName(o.decided_by));
  switch (o.kind) {
    case Outcome::Kind::kForwarded:
      out += "=> " +
             std::string(o.status == 0 ? "proxied to the backend" : "forwarded to the backend") +
             " (" + o.detail + ")";
      break;
    case Outcome::Kind::kLocalReply:
      out += "=> " + outcomeSummary(o) + ", answered by " + by +
             (o.detail.empty() ? "" : " (" + o.detail + ")");
      break;
    case Outcome::Kind::kClosed:
      out += "=> connection closed by " + by + (o.detail.empty() ? "" : " (" + o.detail + ")");
      break;
  }
  if (d.client_ip) out += "; client IP " + d.client_ip->toString();
  out += "\n";
  return out;
}

std::string decisionToJson(const RequestDecision& d) {
  std::string out;
  results::JsonWriter w(&out);
  w.beginObject();
  w.key("steps").beginArray();
  for (const auto& s : d.steps) {
    w.beginObject().key("kind").string(stepKindName(s.kind)).key("text").string(s.text);
    if (!s.details.empty()) {
      w.key("details").beginArray();
      for (const auto& line : s.details) w.string(line);
      w.endArray();
    }
    w.endObject();
  }
  w.endArray();
  w.key("outcome").beginObject();
  w.key("kind").string(outcomeKindName(d.outcome.kind));
  w.key("status").number(d.outcome.status);
  w.key("body").string(d.outcome.body);
  w.key("detail").string(d.outcome.detail);
  w.key("decided_by").string(decidedByName(d.outcome.decided_by));
  w.endObject();
  w.key("peer");
  d.peer ? w.string(d.peer->toString()) : w.null();
  w.key("client_ip");
  d.client_ip ? w.string(d.client_ip->toString()) : w.null();
  w.key("client_ip_source");
  d.client_ip_source ? w.string(sourceName(*d.client_ip_source)) : w.null();
  w.key("listener").string(d.listener);
  w.key("route").string(d.route);
  w.key("authorization").string(authorizationName(d.authorization));
  w.key("forwarded_headers").beginArray();
  for (const auto& h : d.forwarded_headers) {
    w.beginObject().key("name").string(h.name).key("value").string(h.value).endObject();
  }
  w.endArray();
  w.endObject();
  out += "\n";
  return out;
}

}  // namespace ctplab::sim::identity
