// Candidate settings for the audit's fix search, each with the sentence that proposes it.
#include "fix_candidates.h"

#include <algorithm>
#include <utility>

#include "ctplab/common/ip_cidr.h"
#include "ctplab/policy/port_plan.h"

namespace ctplab::sim::identity::audit {
namespace {

namespace ir = policy::ir;

enum class Mode { kNone, kDirect, kHops, kCidrs, kHeader };

Mode modeOf(const Detection& d) {
  if (!d) return Mode::kNone;
  if (d->custom_header) return Mode::kHeader;
  if (d->xff && d->xff->trusted_cidrs) return Mode::kCidrs;
  if (d->xff && d->xff->num_trusted_hops) return Mode::kHops;
  if (d->direct_source_ip) return Mode::kDirect;
  return Mode::kNone;
}

std::string detectionText(const Detection& d) {
  switch (modeOf(d)) {
    case Mode::kNone:
      return "no clientIPDetection";
    case Mode::kDirect:
      return "directSourceIP";
    case Mode::kHops:
      return "numTrustedHops " + std::to_string(*d->xff->num_trusted_hops);
    case Mode::kCidrs:
      return "trustedCIDRs " + listText(*d->xff->trusted_cidrs);
    case Mode::kHeader:
      return "customHeader " + d->custom_header->name;
  }
  return "";
}

std::string proxyText(const ProxyProtocol& p) {
  if (!p) return "off";
  return p->optional ? "optional" : "on";
}
// The hops' egress ranges on the port's paths, in path order: the proxies detection may trust.
std::vector<std::pair<std::string, std::string>> egressRanges(const std::vector<PathPlan>& paths) {
  std::vector<std::pair<std::string, std::string>> out;  // (cidr, hop name)
  for (const auto& p : paths) {
    for (const auto* h : p.hops) {
      auto cidr = IpCidr::parse(h->egress_cidr);
      if (!cidr) continue;
      const std::string text = cidr->toString();
      bool seen = false;
      for (const auto& [c, n] : out) seen = seen || c == text;
      if (!seen) out.emplace_back(text, h->name);
    }
  }
  return out;
}

ir::ClientIPDetection hopsDetection(uint32_t n, const Detection& current) {
  ir::ClientIPDetection d;
  d.xff.emplace();
  d.xff->num_trusted_hops = n;
  if (current && current->xff) d.xff->disable_append = current->xff->disable_append;
  return d;
}

ir::ClientIPDetection cidrsDetection(std::vector<std::string> cidrs, const Detection& current) {
  ir::ClientIPDetection d;
  d.xff.emplace();
  d.xff->trusted_cidrs = std::move(cidrs);
  if (current && current->xff) d.xff->disable_append = current->xff->disable_append;
  return d;
}

// Detection candidates, the current mode's own parameter first.
std::vector<Setting> detectionCandidates(const Current& cur, const std::vector<PathPlan>& paths) {
  const Mode mode = modeOf(cur.detection);
  const std::string is = " (is " + detectionText(cur.detection) + ")";
  size_t longest = 0;
  for (const auto& p : paths) longest = std::max(longest, p.hops.size());
  std::vector<Setting> hops, cidrs, header, none;
  // 0 is never proposed: Envoy Gateway maps it to the same setting as 1.
  for (uint32_t n = 1; n <= longest + 2; ++n) {
    if (mode == Mode::kHops && *cur.detection->xff->num_trusted_hops == n) continue;
    Setting s{true, hopsDetection(n, cur.detection), false, {}, false, ""};
    s.text =
        mode == Mode::kHops
            ? "numTrustedHops should be " + std::to_string(n) + " (is " +
                  std::to_string(*cur.detection->xff->num_trusted_hops) + ")"
            : "clientIPDetection should be xForwardedFor.numTrustedHops: " + std::to_string(n) + is;
    hops.push_back(std::move(s));
  }
  const auto ranges = egressRanges(paths);
  std::vector<std::string> exact;
  for (const auto& [c, n] : ranges) exact.push_back(c);
  if (mode == Mode::kCidrs) {
    std::vector<std::string> merged = *cur.detection->xff->trusted_cidrs;
    std::vector<std::string> added;
    for (const auto& [c, n] : ranges) {
      bool covered = false;
      const auto range = IpCidr::parse(c);
      for (const auto& t : merged) {
        const auto tc = IpCidr::parse(t);
        covered = covered ||
                  (tc && range && tc->family() == range->family() &&
                   tc->prefixLength() <= range->prefixLength() && tc->contains(range->network()));
      }
      if (!covered) {
        merged.push_back(c);
        added.push_back(c + " (hop " + n + "'s egress)");
      }
    }
    if (!added.empty()) {
      std::string text = "trustedCIDRs should also hold ";
      for (size_t i = 0; i < added.size(); ++i) text += (i ? ", " : "") + added[i];
      cidrs.push_back({true,
                       cidrsDetection(merged, cur.detection),
                       false,
                       {},
                       false,
                       text + ": " + listText(merged)});
    }
    if (exact != *cur.detection->xff->trusted_cidrs && !exact.empty()) {
      cidrs.push_back(
          {true,
           cidrsDetection(exact, cur.detection),
           false,
           {},
           false,
           "trustedCIDRs should be exactly the hops' egress ranges " + listText(exact) + is});
    }
  } else if (!exact.empty()) {
    cidrs.push_back({true,
                     cidrsDetection(exact, cur.detection),
                     false,
                     {},
                     false,
                     "clientIPDetection should be xForwardedFor.trustedCIDRs: " + listText(exact) +
                         " (the hops' egress ranges)" + is});
  }
  std::vector<std::string> names;
  for (const auto& p : paths) {
    for (const auto* h : p.hops) {
      if (h->client_header.empty()) continue;
      bool seen = false;
      for (const auto& n : names) seen = seen || n == h->client_header;
      if (seen) continue;
      names.push_back(h->client_header);
      ir::ClientIPDetection d;
      d.custom_header = ir::ClientIPDetection::CustomHeader{h->client_header, true};
      header.push_back({true,
                        d,
                        false,
                        {},
                        false,
                        "clientIPDetection should be customHeader {name: " + h->client_header +
                            ", failClosed: true}, the header hop " + h->name + " sets" + is});
    }
  }
  if (mode != Mode::kNone && mode != Mode::kDirect) {
    none.push_back({true,
                    std::nullopt,
                    false,
                    {},
                    false,
                    "clientIPDetection should be removed: the peer is the client" + is});
  }
  std::vector<std::vector<Setting>*> order = {&hops, &cidrs, &header, &none};
  if (mode == Mode::kCidrs) order = {&cidrs, &hops, &header, &none};
  if (mode == Mode::kHeader) order = {&header, &hops, &cidrs, &none};
  std::vector<Setting> out;
  for (auto* group : order) {
    for (auto& s : *group) out.push_back(std::move(s));
  }
  return out;
}

std::vector<Setting> proxyCandidates(const Current& cur) {
  std::vector<Setting> out;
  const std::string is = " (is " + proxyText(cur.proxy_protocol) + ")";
  if (!cur.proxy_protocol || cur.proxy_protocol->optional) {
    out.push_back({false,
                   {},
                   true,
                   ir::ProxyProtocol{false},
                   false,
                   "proxyProtocol should be enabled without optional" + is});
  }
  if (cur.proxy_protocol) {
    out.push_back({false, {}, true, std::nullopt, false, "proxyProtocol should be off" + is});
  }
  return out;
}

Setting combine(const Setting& a, const Setting& b) {
  Setting s = a;
  if (b.change_detection) {
    s.change_detection = true;
    s.detection = b.detection;
  }
  if (b.change_proxy) {
    s.change_proxy = true;
    s.proxy_protocol = b.proxy_protocol;
  }
  s.hops_send_proxy = a.hops_send_proxy || b.hops_send_proxy;
  s.text = a.text.empty() ? b.text : b.text.empty() ? a.text : a.text + "; " + b.text;
  return s;
}

}  // namespace

std::string listText(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

Current currentOf(const ir::Gateway& g, uint32_t port) {
  Current c;
  for (const auto& planned : policy::planPorts(g)) {
    for (const auto& l : g.listeners) {
      if (l.name != planned.settings_owner || l.external_port != port) continue;
      c.detection = l.client_ip_detection;
      c.listener = l.name;
      c.policy = l.policy;
      if (planned.proxy_protocol) {
        c.proxy_protocol = ir::ProxyProtocol{planned.proxy_protocol_optional};
      }
      return c;
    }
  }
  return c;
}

ir::Gateway applied(const ir::Gateway& g, uint32_t port, const Setting& s) {
  ir::Gateway out = g;
  for (auto& l : out.listeners) {
    if (l.external_port != port) continue;
    // PROXY protocol is a port-level OR: every listener on the port gets the same setting.
    if (s.change_proxy) l.proxy_protocol = s.proxy_protocol;
    if (s.change_detection && l.isHTTP()) l.client_ip_detection = s.detection;
  }
  return out;
}

bool hidesSource(const PathPlan& p) {
  if (p.hops.empty()) return false;
  const auto* last = p.hops.back();
  return last->kind == scenario::Hop::Kind::kL4LoadBalancer &&
         last->proxy_protocol == scenario::Hop::ProxyProtocol::kNone && !last->preserve_source;
}

std::vector<Setting> allCandidates(const Current& cur, const std::vector<PathPlan>& paths) {
  const auto detections = detectionCandidates(cur, paths);
  const auto proxies = proxyCandidates(cur);
  std::vector<Setting> out;
  out.push_back(Setting{});  // the current settings: a port may only need direct access closed
  for (const auto& d : detections) out.push_back(d);
  for (const auto& p : proxies) out.push_back(p);
  for (const auto& p : proxies) {
    for (const auto& d : detections) out.push_back(combine(d, p));
  }
  std::string hop_names;
  for (const auto& p : paths) {
    if (hidesSource(p) && hop_names.find(p.hops.back()->name) == std::string::npos) {
      hop_names += (hop_names.empty() ? "" : ", ") + p.hops.back()->name;
    }
  }
  if (!hop_names.empty()) {
    Setting hop;
    hop.hops_send_proxy = true;
    const bool required = cur.proxy_protocol && !cur.proxy_protocol->optional;
    hop.change_proxy = !required;
    hop.proxy_protocol = ir::ProxyProtocol{false};
    hop.text = "hop " + hop_names + " should send PROXY protocol v2" +
               (required ? " (the port already requires it)"
                         : "; proxyProtocol should be enabled without optional (is " +
                               proxyText(cur.proxy_protocol) + ")");
    out.push_back(hop);
    for (const auto& d : detections) out.push_back(combine(hop, d));
  }
  return out;
}

std::string fixText(const Setting& s, const Current& cur) {
  if (s.text.empty()) return "";
  if (!s.change_detection && !s.change_proxy) return s.text;
  if (!cur.policy.empty()) return s.text + " [ClientTrafficPolicy " + cur.policy + "]";
  return s.text + " [no ClientTrafficPolicy sets listener " + cur.listener + " yet]";
}

}  // namespace ctplab::sim::identity::audit
