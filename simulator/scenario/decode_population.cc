// Decoder for one client population: who the clients are, where they connect from and to, when
// they arrive and what they do; plus warnings for arrivals the scenario's duration cuts off.
#include <cmath>
#include <cstdint>
#include <string>

#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

Target decodeTarget(const Keys& keys, const Field& f) {
  Target t;
  if (!keys.open(f, {"port", "host", "sni"})) return t;
  if (auto n = readCount(keys.get(f, "port"), 1, 65535)) t.port = static_cast<uint32_t>(*n);
  for (auto [key, out] : {std::pair{"host", &t.host}, std::pair{"sni", &t.sni}}) {
    const Field field = keys.get(f, key);
    auto s = field.str();
    if (!s) continue;
    if (s->empty() || s->find_first_of(" \t\r\n") != std::string::npos) {
      field.error("must be a non-empty name without spaces");
      continue;
    }
    *out = *s;
  }
  return t;
}

AddressPool decodeSource(const Keys& keys, const Field& f) {
  AddressPool pool;
  if (!keys.open(f, {"cidr", "assign"})) return pool;
  if (auto c = readCidr(keys.get(f, "cidr"))) pool.cidr = *c;
  const Field assign = keys.get(f, "assign");
  if (auto a = assign.str()) {
    if (*a == "sequential" || *a == "random") {
      pool.random = *a == "random";
    } else {
      assign.error("unknown assignment \"" + *a + "\"; expected sequential or random");
    }
  }
  return pool;
}

bool hasControl(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Arrivals past the end of the run are legal (the run just stops) but rarely intended.
void checkArrivalsFit(const Keys& keys, const Field& f, const Population& p, Duration duration) {
  const ArrivalProcess& a = p.arrival;
  const Duration start = a.start - TimePoint();
  if (a.kind != ArrivalProcess::Kind::kTrace && start >= duration) {
    const Field at = keys.get(f, "at");
    (at.present() ? at : keys.get(f, "start"))
        .warning("no client arrives before the scenario ends (duration " + showDuration(duration) +
                 ")");
    return;
  }
  if ((a.kind == ArrivalProcess::Kind::kPoisson || a.kind == ArrivalProcess::Kind::kConstant) &&
      a.rate_per_s > 0) {
    const double window_s = static_cast<double>((duration - start).ns()) / 1e9;
    const double arriving = std::floor(a.rate_per_s * window_s);
    if (arriving < static_cast<double>(p.clients)) {
      keys.get(f, "rate").warning("at " + showNumber(a.rate_per_s) + "/s about " +
                                  showNumber(arriving) + " of the " + std::to_string(p.clients) +
                                  " clients arrive before the scenario ends (duration " +
                                  showDuration(duration) + ")");
    }
  }
  if (a.kind == ArrivalProcess::Kind::kRamp && a.ramp_to_per_s == 0 && a.ramp_from_per_s > 0) {
    const double during_ramp =
        std::floor(a.ramp_from_per_s * static_cast<double>(a.ramp_over.ns()) / 1e9 / 2);
    if (during_ramp < static_cast<double>(p.clients)) {
      keys.get(f, "to").warning("the ramp ends at 0/s after about " + showNumber(during_ramp) +
                                " of the " + std::to_string(p.clients) +
                                " clients; the rest have no arrival rate left");
    }
  }
  if (a.kind == ArrivalProcess::Kind::kTrace && !a.trace.empty() && a.trace.back() >= duration) {
    size_t late = 0;
    for (Duration t : a.trace) late += t >= duration ? 1 : 0;
    keys.get(f, "times")
        .warning(std::to_string(late) + " of " + std::to_string(a.trace.size()) +
                 " arrival times are at or after the scenario's end (" + showDuration(duration) +
                 ")");
  }
}

}  // namespace

Population decodePopulation(const Keys& keys, const Field& f, const ScenarioFrame& frame) {
  Population p;
  p.location = f.location();
  if (!keys.open(f, {"name", "clients", "arrival", "target", "source", "network", "behavior",
                     "retry", "via", "proxyHeader", "tls", "http3"})) {
    if (!f.present()) f.error("expected a population (a mapping), found null");
    return p;
  }
  const Field name = keys.get(f, "name");
  if (!name.present()) {
    keys.missing(f, "name");
  } else if (auto n = name.str()) {
    if (n->empty() || hasControl(*n)) {
      name.error("must be a non-empty name without control characters");
    } else {
      p.name = *n;
    }
  }
  std::optional<uint64_t> clients = readCount(keys.get(f, "clients"), 1, INT64_MAX);
  const Field arrival = keys.get(f, "arrival");
  p.arrival = decodeArrival(keys, arrival, clients);
  p.clients = clients.value_or(1);
  p.target = decodeTarget(keys, keys.get(f, "target"));
  p.source = decodeSource(keys, keys.get(f, "source"));
  const Field network = keys.get(f, "network");
  if (network.present()) p.link = decodeLink(keys, network, frame.network);
  p.behavior = decodeBehavior(keys, keys.get(f, "behavior"));
  p.retry = decodeRetry(keys, keys.get(f, "retry"));
  static const std::vector<Hop> kNoHops;
  p.via = decodeVia(keys.get(f, "via"), frame.hops != nullptr ? *frame.hops : kNoHops);
  p.proxy_header = decodeClientProxyHeader(keys, keys.get(f, "proxyHeader"));
  p.tls = decodeTlsClient(keys, keys.get(f, "tls"), frame);
  const Field http3 = keys.get(f, "http3");
  p.http3 = decodeHttp3Client(keys, http3);
  using Kind = Behavior::Kind;
  if (p.http3 && p.behavior.kind != Kind::kRequests && p.behavior.kind != Kind::kHold) {
    http3.error("HTTP/3 clients are modelled for the requests and hold behaviours only");
  }
  if (p.http3 && (!p.via.empty() || p.proxy_header)) {
    http3.error("HTTP/3 clients are modelled on a direct path only (no via hops, no proxyHeader)");
  }
  if (arrival.isMap()) checkArrivalsFit(keys, arrival, p, frame.duration);
  return p;
}

}  // namespace ctplab::sim::scenario::loader
