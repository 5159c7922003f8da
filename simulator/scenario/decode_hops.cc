// Decoders for the devices between clients and the gateway (`hops`), a population's path through
// them (`via`) and a PROXY header a client writes itself (`proxyHeader`).
#include <map>
#include <string>

#include "ctplab/common/ip_address.h"
#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

std::optional<Hop::ProxyProtocol> readProxyVersion(const Field& f, bool allow_none) {
  auto s = f.str();
  if (!s) return std::nullopt;
  if (*s == "V1") return Hop::ProxyProtocol::kV1;
  if (*s == "V2") return Hop::ProxyProtocol::kV2;
  if (allow_none && *s == "None") return Hop::ProxyProtocol::kNone;
  f.error("unknown PROXY protocol version \"" + *s + "\"; expected " +
          (allow_none ? "None, V1 or V2" : "V1 or V2"));
  return std::nullopt;
}

// Header names go on the wire as written: an RFC 9110 token.
bool validHeaderName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

Hop decodeHop(const Keys& keys, const Field& f) {
  Hop hop;
  hop.location = f.location();
  if (!keys.open(f, {"name", "kind", "egress", "proxyProtocol", "preserveSource", "xff",
                     "clientHeader", "acceptProxyProtocol"})) {
    if (!f.present()) f.error("expected a hop (a mapping), found null");
    return hop;
  }
  const Field name = keys.get(f, "name");
  if (!name.present()) {
    keys.missing(f, "name");
  } else if (auto n = name.str()) {
    if (n->empty() || n->find_first_of(" \t\r\n,") != std::string::npos) {
      name.error("must be a non-empty name without spaces or commas");
    } else {
      hop.name = *n;
    }
  }
  const Field kind = keys.get(f, "kind");
  if (!kind.present()) {
    keys.missing(f, "kind");
  } else if (auto k = kind.str()) {
    if (*k == "L4LoadBalancer") {
      hop.kind = Hop::Kind::kL4LoadBalancer;
    } else if (*k == "L7LoadBalancer") {
      hop.kind = Hop::Kind::kL7LoadBalancer;
    } else if (*k == "NAT") {
      hop.kind = Hop::Kind::kNat;
    } else {
      kind.error("unknown hop kind \"" + *k + "\"; expected L4LoadBalancer, L7LoadBalancer or NAT");
    }
  }
  if (auto c = readCidr(keys.get(f, "egress"))) hop.egress_cidr = *c;
  // Settings of one kind written on another are mistakes a user wants to hear about.
  auto onlyFor = [&](const char* key, Hop::Kind k, const char* kind_name) {
    const Field field = keys.get(f, key);
    if (field.present() && hop.kind != k) {
      field.error(std::string("only applies to kind ") + kind_name);
      return Field(field);
    }
    return field;
  };
  const Field pp = onlyFor("proxyProtocol", Hop::Kind::kL4LoadBalancer, "L4LoadBalancer");
  if (pp.present() && hop.kind == Hop::Kind::kL4LoadBalancer) {
    if (auto v = readProxyVersion(pp, true)) hop.proxy_protocol = *v;
  }
  const Field preserve = onlyFor("preserveSource", Hop::Kind::kL4LoadBalancer, "L4LoadBalancer");
  if (preserve.present() && hop.kind == Hop::Kind::kL4LoadBalancer) {
    if (auto v = preserve.boolean()) hop.preserve_source = *v;
  }
  const Field xff = onlyFor("xff", Hop::Kind::kL7LoadBalancer, "L7LoadBalancer");
  if (xff.present() && hop.kind == Hop::Kind::kL7LoadBalancer) {
    if (auto x = xff.str()) {
      if (*x == "Append") {
        hop.xff = Hop::Xff::kAppend;
      } else if (*x == "Replace") {
        hop.xff = Hop::Xff::kReplace;
      } else if (*x == "Leave") {
        hop.xff = Hop::Xff::kLeave;
      } else {
        xff.error("unknown X-Forwarded-For handling \"" + *x +
                  "\"; expected Append, Replace or Leave");
      }
    }
  }
  const Field header = onlyFor("clientHeader", Hop::Kind::kL7LoadBalancer, "L7LoadBalancer");
  if (header.present() && hop.kind == Hop::Kind::kL7LoadBalancer) {
    if (auto h = header.str()) {
      if (validHeaderName(*h)) {
        hop.client_header = *h;
      } else {
        header.error("\"" + *h + "\" is not a valid header name");
      }
    }
  }
  const Field accept = onlyFor("acceptProxyProtocol", Hop::Kind::kL7LoadBalancer, "L7LoadBalancer");
  if (accept.present() && hop.kind == Hop::Kind::kL7LoadBalancer) {
    if (auto v = accept.boolean()) hop.accept_proxy_protocol = *v;
  }
  return hop;
}

}  // namespace

std::vector<Hop> decodeHops(const Keys& keys, const Field& f) {
  std::vector<Hop> hops;
  if (!f.present()) return hops;
  std::map<std::string, int> first_line;
  for (const auto& item : f.items()) {
    Hop hop = decodeHop(keys, item);
    if (!hop.name.empty()) {
      auto [it, inserted] = first_line.emplace(hop.name, hop.location.line);
      if (!inserted) {
        keys.get(item, "name")
            .error("duplicate hop name \"" + hop.name + "\" (first declared at line " +
                   std::to_string(it->second) + ")");
      }
    }
    hops.push_back(std::move(hop));
  }
  return hops;
}

std::vector<std::string> decodeVia(const Field& f, const std::vector<Hop>& hops) {
  std::vector<std::string> via;
  if (!f.present()) return via;
  for (const auto& item : f.items()) {
    auto name = item.str();
    if (!name) continue;
    bool known = false;
    for (const auto& h : hops) known = known || h.name == *name;
    if (!known) {
      item.error("no hop named \"" + *name + "\" in the scenario's hops");
      continue;
    }
    via.push_back(*name);
  }
  return via;
}

std::optional<ClientProxyHeader> decodeClientProxyHeader(const Keys& keys, const Field& f) {
  if (!f.present()) return std::nullopt;
  if (!keys.open(f, {"version", "source", "sourcePort"})) return std::nullopt;
  ClientProxyHeader header;
  const Field version = keys.get(f, "version");
  if (!version.present()) {
    keys.missing(f, "version");
  } else if (auto v = readProxyVersion(version, false)) {
    header.version = *v;
  }
  const Field source = keys.get(f, "source");
  if (!source.present()) {
    keys.missing(f, "source");
  } else if (auto s = source.str()) {
    if (IpAddress::parse(*s)) {
      header.source = *s;
    } else {
      source.error("\"" + *s + "\" is not an IP address");
    }
  }
  if (auto p = readCount(keys.get(f, "sourcePort"), 1, 65535)) {
    header.source_port = static_cast<uint16_t>(*p);
  }
  return header;
}

}  // namespace ctplab::sim::scenario::loader
