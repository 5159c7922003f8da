// The scenario loader's `certificates` section and population `tls` profiles: what they decode
// into and the located diagnostics for each mistake.
#include <gtest/gtest.h>

#include <string>

#include "ctplab/simulator/scenario/scenario_loader.h"
#include "scenario/loader_test_support.h"

namespace ctplab::sim::scenario {
namespace {

using loader_test::joined;
using loader_test::load;

TEST(TlsLoader, DecodesCertificatesAndProfiles) {
  auto r = load(
      "name: t\n"
      "certificates:\n"
      "  seed: 4\n"
      "  hosts: [www.example.com, '*.example.com']\n"
      "  namespace: shop\n"
      "  clients: [{name: short, validFor: 30s, key: rsa}]\n"
      "populations:\n"
      "  - name: a\n"
      "    tls: {certificate: short, minVersion: '1.2', maxVersion: '1.3', ciphers: AES128-SHA,\n"
      "          groups: P-256, alpn: [h2, http/1.1]}\n"
      "  - name: b\n"
      "    tls: {certificateFile: c.pem, keyFile: k.pem}\n"
      "  - name: c\n"
      "    tls: {certificateSecret: shop/partner}\n");
  ASSERT_TRUE(r.ok()) << joined(r);
  const Scenario& s = r.scenario;
  ASSERT_TRUE(s.certificates);
  EXPECT_EQ(s.certificates->seed, 4u);
  EXPECT_EQ(s.certificates->hosts.size(), 2u);
  EXPECT_EQ(s.certificates->ns, "shop");
  ASSERT_EQ(s.certificates->clients.size(), 1u);
  EXPECT_EQ(s.certificates->clients[0].valid_for, Duration::seconds(30));
  EXPECT_TRUE(s.certificates->clients[0].rsa);
  const auto& a = s.populations[0].tls;
  EXPECT_EQ(a.certificate, "short");
  EXPECT_EQ(a.min_version, "1.2");
  EXPECT_EQ(a.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(s.populations[1].tls.certificate_file, "dir/c.pem");
  EXPECT_EQ(s.populations[1].tls.key_file, "dir/k.pem");
  EXPECT_EQ(s.populations[2].tls.certificate_secret, "shop/partner");
}

TEST(TlsLoader, MistakesAreLocated) {
  auto r = load(
      "name: t\n"
      "certificates:\n"
      "  hosts: ['bad host']\n"
      "  clients: [{name: client-valid, validFor: 1s}, {name: x, validFor: -1s}]\n"
      "populations:\n"
      "  - name: a\n"
      "    tls: {certificate: nope, minVersion: '1.4'}\n"
      "  - name: b\n"
      "    tls: {certificateFile: c.pem}\n"
      "  - name: c\n"
      "    tls: {certificateSecret: noslash, alpn: ['']}\n"
      "  - name: d\n"
      "    tls: {minVersion: '1.3', maxVersion: '1.2'}\n");
  EXPECT_FALSE(r.ok());
  const std::string e = joined(r);
  EXPECT_NE(e.find("s.yaml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("needs a name of its own"), std::string::npos) << e;
  EXPECT_NE(e.find("s.yaml:7:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown certificate \"nope\""), std::string::npos) << e;
  EXPECT_NE(e.find("expected \"1.0\", \"1.1\", \"1.2\" or \"1.3\", found \"1.4\""),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("certificateFile and keyFile go together"), std::string::npos) << e;
  EXPECT_NE(e.find("expected <namespace>/<name>, found \"noslash\""), std::string::npos) << e;
  EXPECT_NE(e.find("an ALPN protocol name is 1 to 255 bytes"), std::string::npos) << e;
  EXPECT_NE(e.find("minVersion is above maxVersion"), std::string::npos) << e;
}

TEST(TlsLoader, GeneratedCertificatesNeedTheSection) {
  auto r = load(
      "name: t\n"
      "populations:\n"
      "  - name: a\n"
      "    tls: {certificate: client-valid}\n");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(joined(r).find("the scenario has no certificates section"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::sim::scenario
