// `ctplab serve`: translates the manifests like `simulate` does and runs the live reference proxy
// for one Gateway on real sockets until SIGTERM/SIGINT, then drains and exits 0.
#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "ctplab/live/duration_text.h"
#include "ctplab/live/host_port.h"
#include "ctplab/live/live_gateway.h"
#include "ctplab/policy/engine.h"
#include "ctplab/policy/loader.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

constexpr const char* kServeUsage =
    "usage: ctplab serve FILE... [--gateway NS/NAME] [--port-offset N] [--bind ADDR]\n"
    "                    [--any-port] [--backend echo|HOST:PORT] [--workers N]\n"
    "                    [--admin ADDR:PORT] [--drain-time D] [--now RFC3339]\n"
    "                    [--rate-limit-redis HOST:PORT] [--rate-limit-timeout D]\n"
    "  --gateway NS/NAME   which Gateway, when the resources hold several\n"
    "  --bind ADDR         the address every proxy port listens on (default 127.0.0.1)\n"
    "  --port-offset N     listen on Gateway port + N (default: Envoy Gateway's container port,\n"
    "                      80 -> 10080)\n"
    "  --any-port          listen on ports the kernel picks; the startup lines give the mapping\n"
    "  --backend B         echo (default: the built-in echo backend) or HOST:PORT to forward to\n"
    "  --workers N         worker threads (default 1)\n"
    "  --rate-limit-redis HOST:PORT  Redis holding the global rate-limit counters (fixed windows,\n"
    "                      as Envoy's rate-limit service); without it global checks fail open\n"
    "  --rate-limit-timeout D  how long a request waits for them (default 20ms, as Envoy)\n"
    "  --admin ADDR:PORT   /stats, /stats/prometheus, /ready, /config_dump (port 0: any)\n"
    "  --drain-time D      how long SIGTERM waits for requests in flight (default 5s)\n"
    "  --now RFC3339       the instant certificates are judged at (default: now)\n"
    "Serves HTTP and HTTPS listeners (HTTP/1.1); TLS-passthrough and TCP listeners are reported\n"
    "and skipped. SIGHUP (or POST /reload on the admin endpoint) reads the files again.\n"
    "exit 0: stopped by a signal after draining, 1: could not start (e.g. a port in use),\n"
    "2: usage error or bad resources\n";

struct ServeArgs {
  std::vector<std::string> files;
  std::string gateway;
  live::LiveOptions options;
  TimePoint now = wallClockNow();
  bool now_given = false;
  bool help = false;
};

bool fail(const std::string& message) {
  std::cerr << "ctplab serve: " << message << "\n" << kServeUsage;
  return false;
}

template <typename T>
bool parseInt(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool takesValue(const std::string& option) {
  for (const char* o : {"--gateway", "--port-offset", "--bind", "--backend", "--workers", "--admin",
                        "--drain-time", "--now", "--rate-limit-redis", "--rate-limit-timeout"}) {
    if (option == o) return true;
  }
  return false;
}

bool parseArgs(const std::vector<std::string>& args, ServeArgs& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kServeUsage;
      out.help = true;
      return false;
    } else if (a == "--any-port") {
      out.options.any_port = true;
    } else if (takesValue(a) && i + 1 >= args.size()) {
      return fail("option " + a + " needs a value");
    } else if (a == "--gateway") {
      out.gateway = args[++i];
    } else if (a == "--port-offset") {
      int32_t offset = 0;
      if (!parseInt(args[++i], offset) || offset < -65535 || offset > 65535) {
        return fail("--port-offset wants an integer, got \"" + args[i] + "\"");
      }
      out.options.port_offset = offset;
    } else if (a == "--bind") {
      out.options.bind_address = args[++i];
    } else if (a == "--backend") {
      const std::string& b = args[++i];
      if (b == "echo") {
        out.options.backend.reset();
      } else {
        auto hp = live::parseHostPort(b);
        if (!hp || hp->port == 0)
          return fail("--backend wants echo or HOST:PORT, got \"" + b + "\"");
        out.options.backend = *hp;
      }
    } else if (a == "--rate-limit-redis") {
      auto hp = live::parseHostPort(args[++i]);
      if (!hp || hp->port == 0) {
        return fail("--rate-limit-redis wants HOST:PORT, got \"" + args[i] + "\"");
      }
      out.options.rate_limit_redis = *hp;
    } else if (a == "--rate-limit-timeout") {
      auto d = live::parseDurationText(args[++i]);
      if (!d || *d <= Duration()) {
        return fail("--rate-limit-timeout wants a positive duration, got \"" + args[i] + "\"");
      }
      out.options.rate_limit_timeout = *d;
    } else if (a == "--workers") {
      uint32_t n = 0;
      if (!parseInt(args[++i], n) || n < 1 || n > 256) {
        return fail("--workers wants 1..256, got \"" + args[i] + "\"");
      }
      out.options.workers = n;
    } else if (a == "--admin") {
      auto hp = live::parseHostPort(args[++i]);
      if (!hp) return fail("--admin wants ADDR:PORT, got \"" + args[i] + "\"");
      out.options.admin = *hp;
    } else if (a == "--drain-time") {
      auto d = live::parseDurationText(args[++i]);
      if (!d)
        return fail("--drain-time wants a duration such as 5s or 500ms, got \"" + args[i] + "\"");
      out.options.drain_time = *d;
    } else if (a == "--now") {
      auto t = parseRfc3339(args[++i]);
      if (!t) return fail("--now needs an RFC 3339 time, got \"" + args[i] + "\"");
      out.now = *t;
      out.now_given = true;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return fail("unknown option \"" + a + "\"");
    } else {
      out.files.push_back(a == "-" ? "/dev/stdin" : a);
    }
  }
  if (out.files.empty()) return fail("no resource files");
  if (out.options.any_port && out.options.port_offset) {
    return fail("--any-port and --port-offset exclude each other");
  }
  return true;
}

std::string refText(const policy::AncestorRef& ref) {
  std::string out = ref.kind + " " + ref.ns + "/" + ref.name;
  if (ref.section_name) out += " section " + *ref.section_name;
  return out;
}

// Policies that will not apply as written: rejected by admission, or not accepted on an ancestor.
void printPolicyNotes(const policy::TranslationResult& result) {
  auto report = [](const std::string& kind, const policy::ObjectMeta& meta, bool rejected,
                   const std::vector<std::string>& admission_errors,
                   const policy::PolicyStatus& status) {
    const std::string name = kind + " " + meta.ns + "/" + meta.name;
    if (rejected) {
      std::cerr << "note: " << name << " is rejected by admission and not applied";
      for (const auto& e : admission_errors) std::cerr << "\n  " << e;
      std::cerr << "\n";
      return;
    }
    for (const auto& a : status.ancestors()) {
      const auto* accepted = a.find("Accepted");
      if (accepted == nullptr || accepted->status != "False") continue;
      std::cerr << "note: " << name << " on " << refText(a.ref) << ": Accepted=False ("
                << accepted->reason << "): " << accepted->message << "\n";
    }
  };
  for (const auto& p : result.policies) {
    report("ClientTrafficPolicy", p.policy->meta, p.rejected, p.admission_errors, p.status);
  }
  for (const auto& p : result.security_policies) {
    report("SecurityPolicy", p.policy->meta, p.rejected, p.admission_errors, p.status);
  }
}

// The gateway to serve, or why not.
proxy::Result<const policy::ir::Gateway*> chooseGateway(const policy::TranslationResult& result,
                                                        const std::string& wanted) {
  if (!wanted.empty()) {
    for (const auto& g : result.gateways) {
      if (g.gateway && g.gateway->meta.ns + "/" + g.gateway->meta.name == wanted) {
        if (const auto* ir = result.findIR(g.ir_key)) return ir;
      }
    }
    return proxy::Error{"no accepted Gateway " + wanted + " in the resources"};
  }
  if (result.irs.size() == 1) return &result.irs.front();
  return proxy::Error{result.irs.empty()
                          ? std::string("the resources hold no accepted Gateway")
                          : "the resources hold " + std::to_string(result.irs.size()) +
                                " gateways; name one with --gateway NS/NAME"};
}

// Reads and translates the files as the cluster would (admission enforced), printing what does not
// apply; the IR shares the translation's lifetime. `now`: the time certificates are judged at.
proxy::Result<std::shared_ptr<const policy::ir::Gateway>> loadGateway(const ServeArgs& a,
                                                                      TimePoint now) {
  policy::LoadResult loaded = policy::loadFiles(a.files);
  for (const auto& d : loaded.diagnostics.all()) std::cerr << policy::formatDiagnostic(d) << "\n";
  if (loaded.unreadable || loaded.diagnostics.hasErrors()) {
    return proxy::Error{"the resources have errors (see above)"};
  }
  policy::TranslateOptions options;
  options.now = now;
  // What a cluster would run: policies the API server rejects never apply.
  options.enforce_admission = true;
  auto result = std::make_shared<const policy::TranslationResult>(
      policy::translate(loaded.resources, options));
  printPolicyNotes(*result);
  auto gateway = chooseGateway(*result, a.gateway);
  if (!gateway) return gateway.error();
  return std::shared_ptr<const policy::ir::Gateway>(result, gateway.value());
}

}  // namespace

int runServe(const std::vector<std::string>& args) {
  ServeArgs a;
  if (!parseArgs(args, a)) return a.help ? 0 : 2;

  auto gateway = loadGateway(a, a.now);
  if (!gateway) {
    std::cerr << "ctplab serve: " << gateway.error().message << "\n";
    return 2;
  }
  // SIGHUP and POST /reload read the files again; without --now, certificates are judged at the
  // time of the reload.
  a.options.reload = [a]() { return loadGateway(a, a.now_given ? a.now : wallClockNow()); };
  auto started = live::LiveGateway::start(*gateway.value(), a.options);
  if (!started) {
    std::cerr << "ctplab serve: " << started.error().message << "\n";
    return 1;
  }
  live::LiveGateway& proxy = *started.value();
  bool serving = false;
  for (const auto& l : proxy.listeners()) {
    if (l.bound) {
      serving = true;
      std::cout << "listening " << l.protocol << " gateway port " << l.gateway_port << " -> "
                << live::formatHostPort(l.bound->host, l.bound->port) << " (listener " << l.listener
                << ")\n";
    } else {
      std::cout << "not serving " << l.protocol << " gateway port " << l.gateway_port
                << " (listener " << l.listener << "): " << l.reason.value_or("unsupported") << "\n";
    }
  }
  if (auto admin = proxy.adminAddress()) {
    std::cout << "admin listening on " << live::formatHostPort(admin->host, admin->port) << "\n";
  }
  std::cout << "backend: "
            << (a.options.backend
                    ? live::formatHostPort(a.options.backend->host, a.options.backend->port) +
                          " (HTTP/1.1, kept-alive connections pooled per worker)"
                    : std::string("echo (built in)"))
            << "; workers: " << a.options.workers << std::endl;
  if (!serving) {
    std::cerr << "ctplab serve: gateway " << gateway.value()->key
              << " has no listener this proxy serves\n";
    return 2;
  }
  return proxy.run();
}

}  // namespace ctplab::cli
