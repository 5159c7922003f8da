// `ctplab explain`: one request from a client through its hops into the gateway, step by step:
// what each device did, the PROXY protocol, the client IP the gateway detected, the route and the
// authorization verdict.
#include <charconv>
#include <iostream>
#include <optional>

#include "commands.h"
#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/simulator/identity/decision_output.h"
#include "ctplab/simulator/identity/gateway_from_files.h"
#include "ctplab/simulator/identity/request_decision.h"
#include "ctplab/simulator/identity/topology.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

constexpr const char* kExplainUsage =
    "usage: ctplab explain RESOURCES... --port N [--gateway NS/NAME] [--source IP]\n"
    "                      [--hops FILE --via NAME,...] [--proxy-header v1|v2:IP]\n"
    "                      [--method M] [--path P] [--host H] [--sni S]\n"
    "                      [--header 'Name: value']... [--now RFC3339] [--json]\n"
    "  --port N             the Gateway listener port the request is sent to (required)\n"
    "  --gateway NS/NAME    which Gateway, when the resources hold several\n"
    "  --source IP          the client's own address (default 203.0.113.7)\n"
    "  --hops FILE          a topology file; its `hops:` are the devices --via names\n"
    "  --via A,B            the hops the request crosses, client side first\n"
    "  --proxy-header v2:IP the client itself writes a PROXY header claiming IP\n"
    "  --method, --path     the request line (default GET /)\n"
    "  --host, --sni        Host header and TLS SNI (default: the listener's first hostname,\n"
    "                       else example.com; SNI defaults to the host)\n"
    "  --header 'N: v'      a request header the client sends (repeatable)\n"
    "  --json               the same steps and outcome as JSON\n"
    "exit 0: the request was traced (whatever its outcome), 2: usage or input error\n";

struct ExplainArgs {
  std::vector<std::string> files;
  std::string gateway, hops_file, source = "203.0.113.7";
  std::optional<uint32_t> port;
  std::vector<std::string> via;
  std::optional<std::string> proxy_header;
  sim::identity::RequestDescription request;
  TimePoint now = wallClockNow();
  bool json = false;
  bool help = false;
};

bool fail(const std::string& message) {
  std::cerr << "ctplab explain: " << message << "\n" << kExplainUsage;
  return false;
}

std::vector<std::string> splitComma(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool parseHeader(const std::string& text, ExplainArgs& out) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return fail("--header wants 'Name: value', got \"" + text + "\"");
  const std::string name = text.substr(0, colon);
  std::string value = text.substr(colon + 1);
  const size_t first = value.find_first_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  if (!proxy::http1::isValidFieldName(name)) {
    return fail("--header: \"" + name + "\" is not a valid header name");
  }
  if (!proxy::http1::isValidFieldValue(value)) {
    return fail("--header: the value of " + name + " holds a line break or NUL");
  }
  // Host is the request's authority: one place for it.
  if (proxy::http1::equalsIgnoreCase(name, "host")) {
    out.request.host = value;
  } else {
    out.request.headers.push_back({name, value});
  }
  return true;
}

bool parseProxyHeader(const std::string& text, ExplainArgs& out) {
  const size_t colon = text.find(':');
  const std::string version = colon == std::string::npos ? text : text.substr(0, colon);
  const std::string address = colon == std::string::npos ? "" : text.substr(colon + 1);
  sim::scenario::ClientProxyHeader header;
  if (version == "v1") {
    header.version = sim::scenario::Hop::ProxyProtocol::kV1;
  } else if (version == "v2") {
    header.version = sim::scenario::Hop::ProxyProtocol::kV2;
  } else {
    return fail("--proxy-header wants v1:IP or v2:IP, got \"" + text + "\"");
  }
  if (!IpAddress::parse(address)) {
    return fail("--proxy-header: \"" + address + "\" is not an IP address");
  }
  header.source = address;
  out.request.proxy_header = header;
  return true;
}

bool takesValue(const std::string& option) {
  for (const char* o : {"--port", "--gateway", "--source", "--hops", "--via", "--proxy-header",
                        "--method", "--path", "--host", "--sni", "--header", "--now"}) {
    if (option == o) return true;
  }
  return false;
}

bool parseArgs(const std::vector<std::string>& args, ExplainArgs& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "-h" || a == "--help") {
      std::cout << kExplainUsage;
      out.help = true;
      return false;
    } else if (a == "--json") {
      out.json = true;
    } else if (!has_value && takesValue(a)) {
      return fail("option " + a + " needs a value");
    } else if (a == "--port") {
      const std::string& v = args[++i];
      uint32_t port = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
      if (ec != std::errc() || end != v.data() + v.size() || port == 0 || port > 65535) {
        return fail("--port wants a port number, got \"" + v + "\"");
      }
      out.port = port;
    } else if (a == "--gateway") {
      out.gateway = args[++i];
    } else if (a == "--source") {
      out.source = args[++i];
    } else if (a == "--hops") {
      out.hops_file = args[++i];
    } else if (a == "--via") {
      out.via = splitComma(args[++i]);
    } else if (a == "--proxy-header") {
      if (!parseProxyHeader(args[++i], out)) return false;
    } else if (a == "--method") {
      out.request.method = args[++i];
      if (!proxy::http1::isValidFieldName(out.request.method)) {
        return fail("--method: \"" + out.request.method + "\" is not a method token");
      }
    } else if (a == "--path") {
      out.request.path = args[++i];
      if (out.request.path.empty() ||
          out.request.path.find_first_of(" \t\r\n") != std::string::npos ||
          !proxy::http1::isValidFieldValue(out.request.path)) {
        return fail("--path: \"" + out.request.path + "\" cannot be a request target");
      }
    } else if (a == "--host") {
      out.request.host = args[++i];
    } else if (a == "--sni") {
      out.request.sni = args[++i];
    } else if (a == "--header") {
      if (!parseHeader(args[++i], out)) return false;
    } else if (a == "--now") {
      auto t = parseRfc3339(args[++i]);
      if (!t) return fail("--now needs an RFC 3339 time, got \"" + args[i] + "\"");
      out.now = *t;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return fail("unknown option \"" + a + "\"");
    } else {
      out.files.push_back(a == "-" ? "/dev/stdin" : a);
    }
  }
  if (out.files.empty()) return fail("no resource files");
  if (!out.port) return fail("--port is required");
  if (!out.via.empty() && out.hops_file.empty()) return fail("--via needs --hops FILE");
  if (!proxy::http1::isValidFieldValue(out.request.host) ||
      out.request.host.find_first_of(" \t") != std::string::npos) {
    return fail("--host: \"" + out.request.host + "\" cannot be a Host header");
  }
  auto source = IpAddress::parse(out.source);
  if (!source) return fail("--source: \"" + out.source + "\" is not an IP address");
  out.request.source = *source;
  out.request.port = *out.port;
  return true;
}

}  // namespace

int runExplain(const std::vector<std::string>& args) {
  ExplainArgs a;
  if (!parseArgs(args, a)) return a.help ? 0 : 2;

  // Hops come from a topology (or scenario-style hop list) file; --via picks the path.
  sim::identity::LoadedTopology hops;
  if (!a.hops_file.empty()) {
    hops = sim::identity::loadTopologyFile(a.hops_file, {.require_paths = false});
    for (const auto& d : hops.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
    if (!hops.ok()) return 2;
  }
  for (const auto& name : a.via) {
    const auto* hop = hops.topology.hop(name);
    if (hop == nullptr) {
      std::cerr << "ctplab explain: --via: no hop named \"" << name << "\" in " << a.hops_file
                << "\n";
      return 2;
    }
    a.request.hops.push_back(hop);
  }

  policy::Diagnostics diagnostics;
  std::vector<std::string> notes;
  auto ir = sim::identity::gatewayFromFiles(a.files, a.gateway, a.now, diagnostics, notes);
  for (const auto& d : diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  for (const auto& n : notes) std::cerr << "note: " << n << "\n";
  if (!ir) return 2;
  auto gateway = sim::identity::DecisionGateway::build(*ir);
  if (!gateway) {
    std::cerr << "ctplab explain: " << gateway.error().message << "\n";
    return 2;
  }
  const auto decision = sim::identity::decideRequest(gateway.value(), a.request);
  std::cout << (a.json ? sim::identity::decisionToJson(decision)
                       : sim::identity::decisionToText(decision));
  return 0;
}

}  // namespace ctplab::cli
