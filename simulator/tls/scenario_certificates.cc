#include "tls/scenario_certificates.h"

#include <map>
#include <mutex>
#include <tuple>

namespace ctplab::sim::tls {

certgen::Result<std::shared_ptr<const GeneratedCertificates>> generatedCertificates(
    const scenario::CertificateFixtures& spec, TimePoint now) {
  // RSA key derivation costs a few hundred milliseconds; a sweep or a suite reuses the set.
  using Key = std::tuple<uint64_t, int64_t, std::vector<std::string>, std::string,
                         std::vector<std::tuple<std::string, int64_t, bool>>>;
  static std::mutex mutex;
  static std::map<Key, std::shared_ptr<const GeneratedCertificates>> cache;
  std::vector<std::tuple<std::string, int64_t, bool>> extra;
  for (const auto& c : spec.clients) extra.emplace_back(c.name, c.valid_for.ns(), c.rsa);
  const Key key{spec.seed, now.unixNanos(), spec.hosts, spec.ns, extra};
  std::lock_guard lock(mutex);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  auto set = certgen::standardFixtures(spec.seed, now, spec.hosts);
  if (!set) return set.error();
  using certgen::Error;
  certgen::WriteOptions options;
  options.ns = spec.ns;
  auto yaml = certgen::kubernetesYaml(set.value(), options);
  if (!yaml) return yaml.error();
  auto made = std::make_shared<GeneratedCertificates>();
  made->set = std::move(set).value();
  const certgen::Generator generator(spec.seed);
  for (const auto& c : spec.clients) {
    certgen::CertSpec client;
    client.label = "extra-" + c.name;
    client.subject.common_name = "client.example.com";
    client.subject.organization = "ctplab";
    client.dns = {"client.example.com"};
    client.key = c.rsa ? certgen::KeyType::kRsa2048 : certgen::KeyType::kEcdsaP256;
    client.client_auth = true;
    client.validity = {now - Duration::seconds(86400), now + c.valid_for};
    auto issued = generator.issue(client, made->set.intermediate);
    if (!issued) return Error{"client " + c.name + ": " + issued.error().message};
    made->extra_clients.emplace(c.name, std::move(issued).value());
  }
  made->secrets_yaml = std::move(yaml).value();
  cache.emplace(key, made);
  return std::shared_ptr<const GeneratedCertificates>(made);
}

const certgen::Issued* clientCertificate(const GeneratedCertificates& made,
                                         const std::string& name) {
  if (auto it = made.extra_clients.find(name); it != made.extra_clients.end()) return &it->second;
  const certgen::FixtureSet& set = made.set;
  if (name == "client-valid") return &set.client_valid;
  if (name == "client-valid-rsa") return &set.client_valid_rsa;
  if (name == "client-expired") return &set.client_expired;
  if (name == "client-not-yet-valid") return &set.client_not_yet_valid;
  if (name == "client-wrong-ca") return &set.client_wrong_ca;
  if (name == "client-revoked") return &set.client_revoked;
  if (name == "client-wrong-san") return &set.client_wrong_san;
  return nullptr;
}

}  // namespace ctplab::sim::tls
