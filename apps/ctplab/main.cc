// ctplab command line: one executable, one subcommand per job.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: ctplab <command> [options]\n"
    "\n"
    "commands:\n"
    "  translate [--now RFC3339] [--enforce-admission] FILE...\n"
    "      translate the manifests and print Envoy Gateway's translator output (YAML)\n"
    "  validate [--now RFC3339] FILE...\n"
    "      print, for people, each policy's verdict and each listener's effective settings\n"
    "      (exit 0: every policy accepted, 1: one is not, 2: unreadable input)\n"
    "  simulate SCENARIO.yaml [--seed N] [--json FILE] [--records] [--scheduler K] [--quiet]\n"
    "      replay the scenario's client populations against its gateway in virtual time\n"
    "      (exit 0: ran, 2: bad scenario or resources)\n"
    "  conformance [CASE.yaml|DIR ...] [--mode sim|live|target] [--features +A,-B]\n"
    "      run the conformance cases in simulation, live on loopback or against a target\n"
    "      gateway (exit 0: none failed, 1: one failed; --help for every option)\n"
    "  explain FILE... --port N [--source IP] [--hops FILE --via A,B] [--header 'N: v']...\n"
    "      trace one request through its hops and the gateway: PROXY protocol, client IP,\n"
    "      route, authorization (exit 0: traced, 2: bad input; --help for every option)\n"
    "  audit-xff FILE... --topology FILE [--gateway NS/NAME] [--json]\n"
    "      run honest and forged requests along the topology's paths against the gateway's\n"
    "      client-IP detection and propose fixes (exit 0: no findings, 1: findings)\n"
    "  serve FILE... [--gateway NS/NAME] [--any-port] [--backend echo|HOST:PORT] [--admin A:P]\n"
    "      run the gateway's HTTP and HTTPS listeners on real sockets with the reference data\n"
    "      plane until SIGTERM (exit 0 after draining; --help for every option)\n"
    "  certs --out DIR [--seed N] [--now RFC3339|UNIX-SECONDS] [--host NAME]... [--namespace NS]\n"
    "      write deterministic test certificates (CAs, servers, valid and broken clients, CRLs)\n"
    "      and Kubernetes Secrets for them (exit 0: written, 2: bad input)\n"
    "  jwt keygen --alg ALG --key-out KEY.pem | jwt sign --key KEY.pem --alg ALG --claims JSON\n"
    "      make a JWT signing key and its JWKS (for localJWKS), or sign a token with it\n"
    "exit code 3 means an internal error (please report it with the input)\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string cmd = args[0];
  args.erase(args.begin());
  try {
    if (cmd == "translate") return ctplab::cli::runTranslate(args);
    if (cmd == "validate") return ctplab::cli::runValidate(args);
    if (cmd == "simulate") return ctplab::cli::runSimulate(args);
    if (cmd == "conformance") return ctplab::cli::runConformance(args);
    if (cmd == "explain") return ctplab::cli::runExplain(args);
    if (cmd == "audit-xff") return ctplab::cli::runAuditXff(args);
    if (cmd == "serve") return ctplab::cli::runServe(args);
    if (cmd == "certs") return ctplab::cli::runCerts(args);
    if (cmd == "report") return ctplab::cli::runReport(args);
    if (cmd == "jwt") return ctplab::cli::runJwt(args);
    if (cmd == "calibrate") return ctplab::cli::runCalibrate(args);
  } catch (const std::exception& e) {
    // The engine reports bad input as diagnostics; reaching here is a bug, reported as such.
    std::cerr << "ctplab: internal error: " << e.what() << "\n";
    return 3;
  }
  std::cerr << "ctplab: unknown command \"" << cmd << "\"\n" << kUsage;
  return 2;
}
