#include "ctplab/certgen/fixtures.h"

#include <openssl/x509v3.h>

#include <cctype>
#include <map>

#include "openssl_handles.h"

namespace ctplab::certgen {
namespace {

constexpr int64_t kDay = 86'400;

bool isIpAddress(const std::string& host) {
  return Asn1OctetStringPtr(a2i_IPADDRESS(host.c_str())) != nullptr;
}

std::optional<Error> assign(Result<Issued> result, Issued& out) {
  if (!result) return result.error();
  out = std::move(result).value();
  return std::nullopt;
}

CertSpec caSpec(const std::string& label, const std::string& cn, const std::string& org,
                int path_len, TimePoint now) {
  CertSpec spec;
  spec.label = label;
  spec.subject.common_name = cn;
  spec.subject.organization = org;
  spec.key = KeyType::kRsa2048;
  spec.ca = true;
  spec.path_len = path_len;
  spec.validity = Validity::certificateAuthority(now);
  return spec;
}

CertSpec clientSpec(const std::string& label, const std::string& host, const std::string& domain,
                    Validity validity) {
  CertSpec spec;
  spec.label = label;
  spec.subject.common_name = host;
  spec.subject.organization = "ctplab";
  spec.dns = {host};
  spec.uris = {"spiffe://" + domain + "/ns/default/sa/" + host.substr(0, host.find('.'))};
  spec.emails = {host.substr(0, host.find('.')) + "@" + domain};
  spec.client_auth = true;
  spec.validity = validity;
  return spec;
}

}  // namespace

std::optional<std::string> serverHostProblem(const std::string& host) {
  if (host.empty()) return "the host name is empty";
  if (isIpAddress(host)) return std::nullopt;
  if (host.size() > 253) return "\"" + host + "\" is longer than 253 characters";
  size_t start = 0;
  for (bool first = true;; first = false) {
    const size_t dot = host.find('.', start);
    const std::string label = host.substr(start, dot == std::string::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63) {
      return "\"" + host + "\" has an empty or over-long label";
    }
    if (label == "*") {
      if (!first) return "\"" + host + "\": only the leftmost label may be a wildcard";
    } else {
      for (unsigned char c : label) {
        if (!std::isalnum(c) && c != '-' && c != '_') {
          return "\"" + host + "\" is neither an IP address nor a DNS name";
        }
      }
      if (label.front() == '-' || label.back() == '-') {
        return "\"" + host + "\": a label starts or ends with '-'";
      }
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

std::string serverLabel(const std::string& host) {
  std::string out = "server-";
  for (unsigned char c : host) {
    if (c == '*') {
      out += "wildcard";
    } else if (std::isalnum(c) || c == '.' || c == '-') {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      out.push_back('-');  // ':' of IPv6 addresses, '_'
    }
  }
  while (out.back() == '-' || out.back() == '.') out.pop_back();
  return out;
}

Result<FixtureSet> standardFixtures(uint64_t seed, TimePoint now,
                                    const std::vector<std::string>& server_hostnames) {
  // Labels seed the keys and serials, so two hosts must not share one.
  std::map<std::string, std::string> label_to_host;
  for (const auto& host : server_hostnames) {
    if (auto problem = serverHostProblem(host)) return Error{"server host " + *problem};
    auto [it, inserted] = label_to_host.emplace(serverLabel(host), host);
    if (!inserted) {
      return Error{"server hosts \"" + it->second + "\" and \"" + host + "\" map to one label"};
    }
  }

  const Generator gen(seed);
  FixtureSet set;
  if (auto e =
          assign(gen.selfSigned(caSpec("ca", "ctplab Test Root CA", "ctplab", 1, now)), set.root)) {
    return *e;
  }
  if (auto e =
          assign(gen.issue(caSpec("intermediate", "ctplab Test Intermediate CA", "ctplab", 0, now),
                           set.root),
                 set.intermediate)) {
    return *e;
  }
  if (auto e =
          assign(gen.selfSigned(caSpec("other-ca", "ctplab Other Root CA", "ctplab other", 0, now)),
                 set.other_root)) {
    return *e;
  }

  for (const auto& host : server_hostnames) {
    CertSpec spec;
    spec.label = serverLabel(host);
    spec.subject.common_name = host;
    spec.subject.organization = "ctplab";
    (isIpAddress(host) ? spec.ips : spec.dns).push_back(host);
    spec.server_auth = true;
    spec.validity = Validity::current(now);
    Issued server;
    if (auto e = assign(gen.issue(spec, set.intermediate), server)) return *e;
    set.servers.push_back(std::move(server));
  }

  const Validity current = Validity::current(now);
  CertSpec valid = clientSpec("client-valid", "client.example.com", "example.com", current);
  CertSpec valid_rsa = clientSpec("client-valid-rsa", "client.example.com", "example.com", current);
  valid_rsa.key = KeyType::kRsa2048;
  const struct {
    CertSpec spec;
    const Issued& issuer;
    Issued& out;
  } clients[] = {
      {valid, set.intermediate, set.client_valid},
      {valid_rsa, set.intermediate, set.client_valid_rsa},
      {clientSpec("client-expired", "client.example.com", "example.com", Validity::expired(now)),
       set.intermediate, set.client_expired},
      {clientSpec("client-not-yet-valid", "client.example.com", "example.com",
                  Validity::notYetValid(now)),
       set.intermediate, set.client_not_yet_valid},
      {clientSpec("client-wrong-ca", "client.example.com", "example.com", current), set.other_root,
       set.client_wrong_ca},
      {clientSpec("client-revoked", "client.example.com", "example.com", current), set.intermediate,
       set.client_revoked},
      {clientSpec("client-wrong-san", "other.example.org", "example.org", current),
       set.intermediate, set.client_wrong_san},
  };
  for (const auto& c : clients) {
    if (auto e = assign(gen.issue(c.spec, c.issuer), c.out)) return *e;
  }

  const TimePoint this_update = now - Duration::seconds(kDay);
  const TimePoint next_update = now + Duration::seconds(365 * kDay);
  auto crl = gen.crl(set.intermediate, {set.client_revoked.serial_hex}, this_update, next_update);
  if (!crl) return crl.error();
  set.crl_pem = std::move(crl).value();
  auto root_crl = gen.crl(set.root, {}, this_update, next_update);
  if (!root_crl) return root_crl.error();
  set.root_crl_pem = std::move(root_crl).value();
  return set;
}

}  // namespace ctplab::certgen
