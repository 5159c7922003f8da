#include "ctplab/simulator/net/hop_path.h"

#include "ctplab/common/ip_cidr.h"
#include "ctplab/proxy/proxy_protocol/parser.h"
#include "ctplab/proxy/proxy_protocol/writer.h"

namespace ctplab::sim::net {
namespace {

using proxy::http1::HeaderList;
using scenario::Hop;

proxy::proxy_protocol::Version wireVersion(Hop::ProxyProtocol v) {
  return v == Hop::ProxyProtocol::kV2 ? proxy::proxy_protocol::Version::kV2
                                      : proxy::proxy_protocol::Version::kV1;
}

std::string versionName(Hop::ProxyProtocol v) { return v == Hop::ProxyProtocol::kV2 ? "v2" : "v1"; }

// Every field called `name` joined with ", ", as a proxy reading the header sees the list.
std::string joinedValue(const HeaderList& headers, std::string_view name) {
  std::string out;
  for (const auto& h : headers) {
    if (!proxy::http1::equalsIgnoreCase(h.name, name)) continue;
    if (!out.empty()) out += ", ";
    out += h.value;
  }
  return out;
}

void setSingle(HeaderList& headers, std::string_view name, std::string value) {
  std::erase_if(headers,
                [&](const auto& h) { return proxy::http1::equalsIgnoreCase(h.name, name); });
  headers.push_back({std::string(name), std::move(value)});
}

IpAddress egressOf(const Hop& hop, uint64_t index) {
  // Decoded scenarios carry valid CIDRs; a hand-built hop with a bad one keeps the address.
  auto cidr = IpCidr::parse(hop.egress_cidr);
  return cidr ? cidr->addressAt(index) : IpAddress{};
}

// A PROXY header naming `source` and the gateway, both in the source's family.
std::string proxyHeader(Hop::ProxyProtocol version, const proxy::proxy_protocol::Endpoint& source,
                        uint16_t gateway_port) {
  return proxy::proxy_protocol::writeHeader(
      wireVersion(version), source, {gatewayAddress(source.address.family()), gateway_port});
}

}  // namespace

IpAddress gatewayAddress(IpAddress::Family family) {
  return *IpAddress::parse(family == IpAddress::Family::kV6 ? "fd00:10:96::10" : "10.96.0.10");
}

Arrival traverse(const std::vector<const scenario::Hop*>& path, const Origin& origin,
                 uint16_t gateway_port, HeaderList& headers) {
  Arrival a;
  a.peer = origin.address;
  a.peer_port = origin.port;
  const std::string client = origin.address.toString();
  if (const auto& forged = origin.proxy_header) {
    auto claimed = IpAddress::parse(forged->source);
    proxy::proxy_protocol::Endpoint src{claimed.value_or(origin.address), forged->source_port};
    a.preamble = proxyHeader(forged->version, src, gateway_port);
    a.trace.push_back("client " + client + " writes a PROXY " + versionName(forged->version) +
                      " header claiming " + src.address.toString());
  }
  const auto xff = joinedValue(headers, "x-forwarded-for");
  if (!xff.empty()) a.trace.push_back("client " + client + " sends X-Forwarded-For: " + xff);
  for (size_t i = 0; i < path.size(); ++i) {
    const Hop& hop = *path[i];
    // The next device: another hop or the gateway itself (for PROXY destination addresses).
    const IpAddress egress = egressOf(hop, origin.index);
    const std::string from = a.peer.toString();
    switch (hop.kind) {
      case Hop::Kind::kNat:
        a.peer = egress;
        a.trace.push_back("hop " + hop.name + " (NAT): source " + from + " becomes " +
                          egress.toString());
        break;
      case Hop::Kind::kL4LoadBalancer: {
        std::string line = "hop " + hop.name + " (L4)";
        if (hop.proxy_protocol != Hop::ProxyProtocol::kNone) {
          // It describes the connection it accepted; bytes already in front stay payload.
          a.preamble =
              proxyHeader(hop.proxy_protocol, {a.peer, a.peer_port}, gateway_port) + a.preamble;
          line += ": prepends PROXY " + versionName(hop.proxy_protocol) + " source " + from;
        } else {
          line += ": forwards the bytes unchanged";
        }
        if (hop.preserve_source) {
          line += "; keeps source " + from;
        } else {
          a.peer = egress;
          a.peer_port = static_cast<uint16_t>(32768 + origin.index % 28232);
          line += "; connects from " + egress.toString();
        }
        a.trace.push_back(std::move(line));
        break;
      }
      case Hop::Kind::kL7LoadBalancer: {
        std::string line = "hop " + hop.name + " (L7)";
        IpAddress received_from = a.peer;
        if (!a.preamble.empty()) {
          auto parsed = proxy::proxy_protocol::parseHeader(a.preamble);
          const auto* header = std::get_if<proxy::proxy_protocol::ParsedHeader>(&parsed);
          if (!hop.accept_proxy_protocol || header == nullptr) {
            a.refused_by = hop.name;
            a.trace.push_back(line + ": the bytes do not start with an HTTP request: 400, closed");
            return a;
          }
          if (header->source) received_from = header->source->address;
          a.preamble.erase(0, header->length);
          line += ": reads PROXY source " + received_from.toString();
          if (!a.preamble.empty()) {
            a.refused_by = hop.name;
            a.trace.push_back(line + "; the rest is not HTTP: 400, closed");
            return a;
          }
        }
        const std::string seen = received_from.toString();
        switch (hop.xff) {
          case Hop::Xff::kAppend: {
            std::string value = joinedValue(headers, "x-forwarded-for");
            value = value.empty() ? seen : value + ", " + seen;
            setSingle(headers, "X-Forwarded-For", value);
            line += ": X-Forwarded-For: " + value;
            break;
          }
          case Hop::Xff::kReplace:
            setSingle(headers, "X-Forwarded-For", seen);
            line += ": X-Forwarded-For replaced by " + seen;
            break;
          case Hop::Xff::kLeave:
            line += ": X-Forwarded-For untouched";
            break;
        }
        if (!hop.client_header.empty()) {
          setSingle(headers, hop.client_header, seen);
          line += "; " + hop.client_header + ": " + seen;
        }
        a.peer = egress;
        a.peer_port = static_cast<uint16_t>(32768 + origin.index % 28232);
        line += "; connects from " + egress.toString();
        a.trace.push_back(std::move(line));
        break;
      }
    }
  }
  return a;
}

}  // namespace ctplab::sim::net
