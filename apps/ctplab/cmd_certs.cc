// `ctplab certs`: writes the standard certificate fixture set (CAs, server and client leaves,
// CRLs, Kubernetes Secrets) derived from a seed, so scenarios can be reproduced byte for byte.
#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "ctplab/certgen/fixtures.h"
#include "time_arg.h"

namespace ctplab::cli {
namespace {

constexpr const char* kCertsUsage =
    "usage: ctplab certs --out DIR [--seed N] [--now RFC3339|UNIX-SECONDS] [--host NAME]...\n"
    "                    [--namespace NS]\n"
    "  --out DIR        the directory to write (created when missing; its files are replaced)\n"
    "  --seed N         the unsigned 64-bit seed every key and serial derives from (default 1)\n"
    "  --now T          the instant the validity windows are placed around (default: the current\n"
    "                   time; pass it whenever the output must be reproducible)\n"
    "  --host NAME      a server certificate for NAME: a DNS name, *.DOMAIN or an IP address;\n"
    "                   repeatable (default www.example.com)\n"
    "  --namespace NS   metadata.namespace of the Secrets in secrets.yaml (default default)\n"
    "Prints the path of every file written. The keys follow from the seed: test fixtures only.\n"
    "exit 0: written, 1: generation failed, 2: usage error, bad input or unwritable directory\n";

// Validity windows reach ten years past --now, and TimePoint holds nanoseconds in an int64
// (up to 2262): 2200 keeps every derived instant representable.
constexpr int64_t kLatestNow = 7258118400;  // 2200-01-01T00:00:00Z

struct CertsArgs {
  std::string out;
  uint64_t seed = 1;
  TimePoint now = wallClockNow();
  std::vector<std::string> hosts;
  certgen::WriteOptions write;
  bool help = false;
};

bool fail(const std::string& message) {
  std::cerr << "ctplab certs: " << message << "\n" << kCertsUsage;
  return false;
}

template <typename T>
bool parseInt(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::optional<TimePoint> parseNow(const std::string& text) {
  std::optional<TimePoint> t;
  if (int64_t seconds = 0; parseInt(text, seconds)) {
    if (seconds >= 0 && seconds < kLatestNow) t = TimePoint::fromUnixSeconds(seconds);
  } else {
    t = parseRfc3339(text);
  }
  if (!t || t->unixSeconds() < 0 || t->unixSeconds() >= kLatestNow) return std::nullopt;
  return t;
}

bool takesValue(const std::string& option) {
  for (const char* o : {"--out", "--seed", "--now", "--host", "--namespace"}) {
    if (option == o) return true;
  }
  return false;
}

bool parseArgs(const std::vector<std::string>& args, CertsArgs& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::cout << kCertsUsage;
      out.help = true;
      return false;
    } else if (takesValue(a) && i + 1 >= args.size()) {
      return fail("option " + a + " needs a value");
    } else if (a == "--out") {
      out.out = args[++i];
    } else if (a == "--seed") {
      if (!parseInt(args[++i], out.seed)) {
        return fail("--seed wants an unsigned 64-bit integer, got \"" + args[i] + "\"");
      }
    } else if (a == "--now") {
      auto t = parseNow(args[++i]);
      if (!t) {
        return fail("--now wants an RFC 3339 time or Unix seconds between 1970 and 2200, got \"" +
                    args[i] + "\"");
      }
      out.now = *t;
    } else if (a == "--host") {
      const std::string& host = args[++i];
      if (auto problem = certgen::serverHostProblem(host)) return fail("--host: " + *problem);
      for (const auto& earlier : out.hosts) {
        // The label seeds the key and names the files: two hosts cannot share one.
        if (certgen::serverLabel(earlier) == certgen::serverLabel(host)) {
          return fail("--host \"" + host + "\" repeats \"" + earlier + "\"");
        }
      }
      out.hosts.push_back(host);
    } else if (a == "--namespace") {
      out.write.ns = args[++i];
    } else if (!a.empty() && a[0] == '-') {
      return fail("unknown option \"" + a + "\"");
    } else {
      return fail("unexpected argument \"" + a + "\"");
    }
  }
  if (out.out.empty()) return fail("--out DIR is required");
  if (out.hosts.empty()) out.hosts = {"www.example.com"};
  return true;
}

}  // namespace

int runCerts(const std::vector<std::string>& args) {
  CertsArgs a;
  if (!parseArgs(args, a)) return a.help ? 0 : 2;

  // The hosts were checked while parsing: a failure here is OpenSSL's, not the input's.
  auto set = certgen::standardFixtures(a.seed, a.now, a.hosts);
  if (!set) {
    std::cerr << "ctplab certs: " << set.error().message << "\n";
    return 1;
  }
  auto written = certgen::writeFixtures(set.value(), a.out, a.write);
  if (!written) {
    std::cerr << "ctplab certs: " << written.error().message << "\n";
    return 2;
  }
  for (const auto& path : written.value()) std::cout << path << "\n";
  return 0;
}

}  // namespace ctplab::cli
