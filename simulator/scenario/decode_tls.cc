// The scenario's TLS inputs: the generated certificate set and each population's client profile.
#include <algorithm>
#include <filesystem>

#include "ctplab/certgen/fixtures.h"
#include "scenario/decoders.h"

namespace ctplab::sim::scenario::loader {
namespace {

bool knownVersion(const std::string& v) {
  return v == "1.0" || v == "1.1" || v == "1.2" || v == "1.3";
}

std::optional<std::string> readVersion(const Field& f) {
  if (!f.present()) return std::nullopt;
  auto v = f.str();
  if (!v) return std::nullopt;
  if (!knownVersion(*v)) {
    f.error("expected \"1.0\", \"1.1\", \"1.2\" or \"1.3\", found \"" + *v + "\"");
    return std::nullopt;
  }
  return v;
}

std::string resolve(const std::string& base_dir, const std::string& file) {
  std::filesystem::path p(file);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().generic_string();
}

}  // namespace

const std::vector<std::string>& clientCertificateNames() {
  static const std::vector<std::string> names = {
      "client-valid",    "client-valid-rsa", "client-expired",  "client-not-yet-valid",
      "client-wrong-ca", "client-revoked",   "client-wrong-san"};
  return names;
}

std::optional<CertificateFixtures> decodeCertificates(const Keys& keys, const Field& f) {
  if (!f.present()) return std::nullopt;
  CertificateFixtures c;
  c.location = f.location();
  if (!keys.open(f, {"seed", "hosts", "namespace", "clients"})) return c;
  if (auto n = readCount(keys.get(f, "seed"), 0, INT64_MAX)) c.seed = *n;
  const Field hosts = keys.get(f, "hosts");
  if (hosts.present()) {
    c.hosts.clear();
    for (const Field& h : hosts.items()) {
      auto name = h.str();
      if (!name) continue;
      if (auto problem = certgen::serverHostProblem(*name)) {
        h.error(*problem);
        continue;
      }
      c.hosts.push_back(*name);
    }
    if (hosts.isList() && c.hosts.empty()) hosts.error("must list at least one host");
  }
  const Field clients = keys.get(f, "clients");
  for (const Field& item : clients.present() ? clients.items() : std::vector<Field>{}) {
    if (!keys.open(item, {"name", "validFor", "key"})) continue;
    CertificateFixtures::Client client;
    const Field name = keys.get(item, "name");
    if (!name.present()) {
      keys.missing(item, "name");
    } else if (auto n = name.str()) {
      const auto& standard = clientCertificateNames();
      const bool taken =
          std::find(standard.begin(), standard.end(), *n) != standard.end() ||
          std::any_of(c.clients.begin(), c.clients.end(),
                      [&](const CertificateFixtures::Client& other) { return other.name == *n; });
      if (n->empty() || taken) {
        name.error("needs a name of its own (not empty, not a standard certificate's)");
      } else {
        client.name = *n;
      }
    }
    const Field valid_for = keys.get(item, "validFor");
    if (!valid_for.present()) {
      keys.missing(item, "validFor");
    } else if (auto d = readDuration(valid_for, Sign::kPositive)) {
      client.valid_for = *d;
    }
    if (auto k = keys.get(item, "key").str()) {
      if (*k == "rsa") {
        client.rsa = true;
      } else if (*k != "ecdsa") {
        keys.get(item, "key").error("expected ecdsa or rsa, found \"" + *k + "\"");
      }
    }
    if (!client.name.empty()) c.clients.push_back(std::move(client));
  }
  if (auto ns = keys.get(f, "namespace").str()) {
    if (ns->empty()) {
      keys.get(f, "namespace").error("must not be empty");
    } else {
      c.ns = *ns;
    }
  }
  return c;
}

TlsClientProfile decodeTlsClient(const Keys& keys, const Field& f, const ScenarioFrame& frame) {
  TlsClientProfile t;
  if (!f.present()) return t;
  t.location = f.location();
  if (!keys.open(f, {"certificate", "certificateFile", "keyFile", "certificateSecret", "minVersion",
                     "maxVersion", "ciphers", "groups", "alpn"})) {
    return t;
  }
  const Field certificate = keys.get(f, "certificate");
  if (auto name = certificate.str()) {
    std::vector<std::string> names = clientCertificateNames();
    if (frame.certificates != nullptr) {
      for (const auto& extra : frame.certificates->clients) names.push_back(extra.name);
    }
    if (frame.certificates == nullptr) {
      certificate.error(
          "names a generated certificate, but the scenario has no certificates "
          "section to generate it");
    } else if (std::find(names.begin(), names.end(), *name) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      certificate.error("unknown certificate \"" + *name + "\"; expected one of " + list);
    } else {
      t.certificate = *name;
    }
  }
  const Field cert_file = keys.get(f, "certificateFile");
  const Field key_file = keys.get(f, "keyFile");
  if (cert_file.present() != key_file.present()) {
    f.error("certificateFile and keyFile go together");
  } else if (cert_file.present()) {
    if (certificate.present()) f.error("give certificate or certificateFile, not both");
    if (auto c = cert_file.str()) t.certificate_file = resolve(frame.base_dir, *c);
    if (auto k = key_file.str()) t.key_file = resolve(frame.base_dir, *k);
  }
  const Field secret = keys.get(f, "certificateSecret");
  if (auto ref = secret.str()) {
    const size_t slash = ref->find('/');
    if (slash == 0 || slash == std::string::npos || slash + 1 == ref->size()) {
      secret.error("expected <namespace>/<name>, found \"" + *ref + "\"");
    } else if (certificate.present() || cert_file.present()) {
      f.error("give one of certificate, certificateFile or certificateSecret");
    } else {
      t.certificate_secret = *ref;
    }
  }
  t.min_version = readVersion(keys.get(f, "minVersion"));
  t.max_version = readVersion(keys.get(f, "maxVersion"));
  if (t.min_version && t.max_version && *t.min_version > *t.max_version) {
    f.error("minVersion is above maxVersion");
  }
  if (auto c = keys.get(f, "ciphers").str()) t.ciphers = *c;
  if (auto g = keys.get(f, "groups").str()) t.groups = *g;
  const Field alpn = keys.get(f, "alpn");
  if (alpn.present()) {
    for (const Field& p : alpn.items()) {
      auto name = p.str();
      if (!name) continue;
      if (name->empty() || name->size() > 255) {
        p.error("an ALPN protocol name is 1 to 255 bytes");
        continue;
      }
      t.alpn.push_back(*name);
    }
  }
  return t;
}

}  // namespace ctplab::sim::scenario::loader
