#include <filesystem>
#include <fstream>
#include <set>

#include "ctplab/certgen/fixtures.h"
#include "encoding.h"

namespace ctplab::certgen {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// RFC 1123 label, as Kubernetes requires of namespace names.
bool isDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63 || !isLowerAlnum(s.front()) || !isLowerAlnum(s.back())) {
    return false;
  }
  for (char c : s) {
    if (!isLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

// RFC 1123 subdomain, as Kubernetes requires of Secret names.
bool isDnsSubdomain(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    if (!isDnsLabel(s.substr(start, dot == std::string::npos ? dot : dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

std::optional<Error> checkOptions(const WriteOptions& options) {
  if (!isDnsLabel(options.ns)) {
    return Error{"namespace \"" + options.ns + "\" is not a lower-case RFC 1123 label"};
  }
  if (!isDnsSubdomain(options.client_ca_name)) {
    return Error{"Secret name \"" + options.client_ca_name +
                 "\" is not a lower-case RFC 1123 subdomain"};
  }
  return std::nullopt;
}

std::string secretHeader(const std::string& name, const std::string& ns, const char* type) {
  // Quoted, so a name such as "123" stays a string; the names hold no character needing escapes.
  return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \"" + name + "\"\n  namespace: \"" + ns +
         "\"\ntype: " + type + "\ndata:\n";
}

std::vector<const Issued*> leaves(const FixtureSet& set) {
  std::vector<const Issued*> out;
  for (const auto& s : set.servers) out.push_back(&s);
  for (const Issued* c :
       {&set.client_valid, &set.client_valid_rsa, &set.client_expired, &set.client_not_yet_valid,
        &set.client_wrong_ca, &set.client_revoked, &set.client_wrong_san}) {
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<std::string> kubernetesYaml(const FixtureSet& set, const WriteOptions& options) {
  if (auto err = checkOptions(options)) return *err;
  std::string out =
      "# Test fixtures from `ctplab certs`. The private keys derive from a public seed: never use\n"
      "# them outside tests.\n";
  for (const auto& server : set.servers) {
    if (!isDnsSubdomain(server.label)) {
      return Error{"server label \"" + server.label + "\" is not a valid Secret name"};
    }
    out += "---\n" + secretHeader(server.label, options.ns, "kubernetes.io/tls");
    out += "  tls.crt: " + base64(server.chain_pem) + "\n";
    out += "  tls.key: " + base64(server.key_pem) + "\n";
  }
  out += "---\n" + secretHeader(options.client_ca_name, options.ns, "Opaque");
  out += "  ca.crt: " + base64(set.root.cert_pem + set.intermediate.cert_pem) + "\n";
  out += "  ca.crl: " + base64(set.crl_pem + set.root_crl_pem) + "\n";
  return out;
}

Result<std::vector<FixtureFile>> fixtureFiles(const FixtureSet& set, const WriteOptions& options) {
  auto yaml = kubernetesYaml(set, options);
  if (!yaml) return yaml.error();
  std::vector<FixtureFile> files = {
      {"ca.crt", set.root.cert_pem},
      {"intermediate.crt", set.intermediate.cert_pem},
      {"other-ca.crt", set.other_root.cert_pem},
      {"ca-bundle.crt", set.root.cert_pem + set.intermediate.cert_pem},
  };
  for (const Issued* leaf : leaves(set)) {
    files.push_back({leaf->label + ".crt", leaf->cert_pem});
    files.push_back({leaf->label + ".key", leaf->key_pem});
    files.push_back({leaf->label + "-chain.crt", leaf->chain_pem});
  }
  files.push_back({"crl.pem", set.crl_pem + set.root_crl_pem});
  files.push_back({"secrets.yaml", std::move(yaml).value()});

  // A host such as "a-chain" next to "a" would silently overwrite a file.
  std::set<std::string> names;
  for (const auto& f : files) {
    if (!names.insert(f.name).second) return Error{"two fixtures would be written to " + f.name};
  }
  return files;
}

Result<std::vector<std::string>> writeFixtures(const FixtureSet& set, const std::string& dir,
                                               const WriteOptions& options) {
  auto files = fixtureFiles(set, options);
  if (!files) return files.error();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return Error{"cannot create directory " + dir + (ec ? ": " + ec.message() : "")};
  }
  std::vector<std::string> written;
  for (const auto& f : files.value()) {
    const std::string path = (fs::path(dir) / f.name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    out.close();
    if (!out) return Error{"cannot write " + path};
    written.push_back(path);
  }
  return written;
}

}  // namespace ctplab::certgen
