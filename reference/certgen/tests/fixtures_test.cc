#include "ctplab/certgen/fixtures.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "test_support.h"

namespace ctplab::certgen {
namespace {

using testing::kDaySeconds;
using testing::testNow;
using testing::verifyAt;
using testing::verifyName;
using testing::VerifyOptions;

const std::vector<std::string> kHosts = {"www.example.com", "*.example.com", "192.0.2.10"};

std::string decodeBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return "<invalid base64>";
  size_t padding = 0;
  while (padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);  // EVP_DecodeBlock counts padding as zero bytes
  return out;
}

std::string sha256Hex(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex = hexUpper(md, len);
  for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return hex;
}

std::string concatenated(const std::vector<FixtureFile>& files) {
  std::string all;
  for (const auto& f : files) all += f.name + "\n" + f.content;
  return all;
}

class FixturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    auto r = standardFixtures(1, testNow(), kHosts);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r.ok()) << r.error().message;
    set_ = std::move(r).value();
    elapsed_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    std::cout << "[ timing ] standardFixtures with " << kHosts.size() << " hosts: " << elapsed_ms_
              << " ms\n";
  }
  static void TearDownTestSuite() { set_.reset(); }
  static const FixtureSet& set() { return *set_; }

  // Trusts the root, receives the intermediate from the peer, optionally checks both CRLs.
  static VerifyOptions chainOptions(bool crl_check) {
    VerifyOptions o;
    o.trusted = {&set().root};
    o.untrusted = {&set().intermediate};
    if (crl_check) {
      o.crls = set().crl_pem + set().root_crl_pem;
      o.flags = X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    }
    return o;
  }

  static inline std::optional<FixtureSet> set_;
  static inline int64_t elapsed_ms_ = 0;
};

TEST_F(FixturesTest, GenerationIsFast) {
  // Four RSA-2048 keys dominate; the bound leaves room for sanitizer builds.
  EXPECT_LT(elapsed_ms_, 5000);
}

TEST_F(FixturesTest, SameSeedAndNowGiveByteIdenticalFiles) {
  auto again = standardFixtures(1, testNow(), kHosts);
  ASSERT_TRUE(again.ok());
  auto a = fixtureFiles(set(), {});
  auto b = fixtureFiles(again.value(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a.value().size(), b.value().size());
  for (size_t i = 0; i < a.value().size(); ++i) {
    EXPECT_EQ(a.value()[i].name, b.value()[i].name);
    EXPECT_EQ(a.value()[i].content, b.value()[i].content) << a.value()[i].name;
  }
}

// Pins the bytes across processes, machines and library updates: a change here means fixtures
// committed elsewhere would silently differ from what `ctplab certs` now writes.
TEST_F(FixturesTest, OutputMatchesThePinnedDigest) {
  auto files = fixtureFiles(set(), {});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(sha256Hex(concatenated(files.value())),
            "ae0fb2ba72ac6a3ceeec147fdea741abe9c53917a3a0bb2677c96302beb56e50");
}

TEST_F(FixturesTest, AnotherSeedChangesEveryKeyAndSerial) {
  auto other = standardFixtures(2, testNow(), kHosts);
  ASSERT_TRUE(other.ok());
  const FixtureSet& o = other.value();
  const std::vector<std::pair<const Issued*, const Issued*>> pairs = {
      {&set().root, &o.root},
      {&set().intermediate, &o.intermediate},
      {&set().other_root, &o.other_root},
      {&set().servers[0], &o.servers[0]},
      {&set().client_valid, &o.client_valid},
      {&set().client_valid_rsa, &o.client_valid_rsa},
      {&set().client_revoked, &o.client_revoked},
  };
  for (const auto& [a, b] : pairs) {
    EXPECT_NE(a->key_pem, b->key_pem) << a->label;
    EXPECT_NE(a->serial_hex, b->serial_hex) << a->label;
  }
}

TEST_F(FixturesTest, ClientsVerifyOrFailAsNamed) {
  const TimePoint now = testNow();
  VerifyOptions plain = chainOptions(false);
  plain.purpose = X509_PURPOSE_SSL_CLIENT;
  VerifyOptions crl = chainOptions(true);
  crl.purpose = X509_PURPOSE_SSL_CLIENT;
  struct Case {
    const Issued& leaf;
    int without_crl;
    int with_crl;
  };
  const Case cases[] = {
      {set().client_valid, X509_V_OK, X509_V_OK},
      {set().client_valid_rsa, X509_V_OK, X509_V_OK},
      {set().client_wrong_san, X509_V_OK, X509_V_OK},  // a SAN matcher, not the chain, rejects it
      {set().client_expired, X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_HAS_EXPIRED},
      {set().client_not_yet_valid, X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_NOT_YET_VALID},
      {set().client_wrong_ca, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
       X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY},
      {set().client_revoked, X509_V_OK, X509_V_ERR_CERT_REVOKED},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(verifyName(verifyAt(c.leaf, now, plain)), verifyName(c.without_crl)) << c.leaf.label;
    EXPECT_EQ(verifyName(verifyAt(c.leaf, now, crl)), verifyName(c.with_crl)) << c.leaf.label;
  }
}

TEST_F(FixturesTest, ClientsAlsoVerifyAgainstTheBundleAlone) {
  // What a gateway does with ca-bundle.crt when the client sends only its leaf.
  VerifyOptions o;
  o.trusted = {&set().root, &set().intermediate};
  o.purpose = X509_PURPOSE_SSL_CLIENT;
  EXPECT_EQ(verifyName(verifyAt(set().client_valid, testNow(), o)), verifyName(X509_V_OK));
}

TEST_F(FixturesTest, ValidityWindowsSitAroundNow) {
  VerifyOptions o = chainOptions(false);
  // The expired client was valid a week ago, the future one is in ten days, the valid one lapses
  // after a year.
  EXPECT_EQ(verifyAt(set().client_expired, testNow() - Duration::seconds(7 * kDaySeconds), o),
            X509_V_OK);
  EXPECT_EQ(
      verifyAt(set().client_not_yet_valid, testNow() + Duration::seconds(10 * kDaySeconds), o),
      X509_V_OK);
  EXPECT_EQ(verifyAt(set().client_valid, testNow() + Duration::seconds(400 * kDaySeconds), o),
            X509_V_ERR_CERT_HAS_EXPIRED);
}

TEST_F(FixturesTest, ClientIdentitiesAreInTheSans) {
  X509Ptr valid = testing::cert(set().client_valid);
  X509Ptr wrong = testing::cert(set().client_wrong_san);
  EXPECT_EQ(X509_check_host(valid.get(), "client.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_email(valid.get(), "client@example.com", 0, 0), 1);
  EXPECT_EQ(X509_check_host(wrong.get(), "client.example.com", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_host(wrong.get(), "other.example.org", 0, 0, nullptr), 1);
  for (const Issued* c : {&set().client_valid, &set().client_valid_rsa, &set().client_expired,
                          &set().client_not_yet_valid, &set().client_wrong_ca,
                          &set().client_revoked, &set().client_wrong_san}) {
    X509Ptr x = testing::cert(*c);
    EXPECT_EQ(X509_get_extended_key_usage(x.get()), static_cast<uint32_t>(XKU_SSL_CLIENT))
        << c->label;
    EXPECT_EQ(X509_check_private_key(x.get(), testing::key(*c).get()), 1) << c->label;
  }
  EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(valid.get()), "EC"));
  X509Ptr rsa = testing::cert(set().client_valid_rsa);
  EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(rsa.get()), "RSA"));
}

TEST_F(FixturesTest, ServersVerifyForTheirHostsOnly) {
  ASSERT_EQ(set().servers.size(), kHosts.size());
  EXPECT_EQ(set().servers[0].label, "server-www.example.com");
  EXPECT_EQ(set().servers[1].label, "server-wildcard.example.com");
  EXPECT_EQ(set().servers[2].label, "server-192.0.2.10");
  VerifyOptions o = chainOptions(true);
  o.purpose = X509_PURPOSE_SSL_SERVER;
  const std::pair<const Issued*, std::string> good[] = {
      {&set().servers[0], "www.example.com"},
      {&set().servers[1], "api.example.com"},
  };
  for (const auto& [server, host] : good) {
    o.host = host;
    EXPECT_EQ(verifyName(verifyAt(*server, testNow(), o)), verifyName(X509_V_OK)) << host;
    EXPECT_EQ(server->chain_pem, server->cert_pem + set().intermediate.cert_pem);
    X509Ptr x = testing::cert(*server);
    EXPECT_EQ(X509_check_private_key(x.get(), testing::key(*server).get()), 1);
  }
  o.host = "www.example.org";
  EXPECT_EQ(verifyAt(set().servers[0], testNow(), o), X509_V_ERR_HOSTNAME_MISMATCH);
  o.host.clear();
  X509Ptr ip = testing::cert(set().servers[2]);
  EXPECT_EQ(X509_check_ip_asc(ip.get(), "192.0.2.10", 0), 1);
  // Server certificates carry serverAuth only.
  o.purpose = X509_PURPOSE_SSL_CLIENT;
  EXPECT_EQ(verifyAt(set().servers[0], testNow(), o), X509_V_ERR_INVALID_PURPOSE);
}

TEST_F(FixturesTest, FilesAreTheDocumentedSet) {
  auto files = fixtureFiles(set(), {});
  ASSERT_TRUE(files.ok());
  std::vector<std::string> names;
  for (const auto& f : files.value()) names.push_back(f.name);
  std::vector<std::string> expected = {"ca.crt", "intermediate.crt", "other-ca.crt",
                                       "ca-bundle.crt"};
  for (const std::string leaf :
       {"server-www.example.com", "server-wildcard.example.com", "server-192.0.2.10",
        "client-valid", "client-valid-rsa", "client-expired", "client-not-yet-valid",
        "client-wrong-ca", "client-revoked", "client-wrong-san"}) {
    expected.push_back(leaf + ".crt");
    expected.push_back(leaf + ".key");
    expected.push_back(leaf + "-chain.crt");
  }
  expected.push_back("crl.pem");
  expected.push_back("secrets.yaml");
  EXPECT_EQ(names, expected);
  for (const auto& f : files.value()) {
    if (f.name.ends_with(".key")) {
      EXPECT_TRUE(f.content.starts_with("-----BEGIN PRIVATE KEY-----")) << f.name;
    }
  }
  EXPECT_EQ(files.value()[3].content, set().root.cert_pem + set().intermediate.cert_pem);
  EXPECT_EQ(testing::parseCrls(set().crl_pem + set().root_crl_pem).size(), 2u);
}

TEST_F(FixturesTest, SecretsYamlParsesAndCarriesTheFiles) {
  WriteOptions options;
  options.ns = "tls-tests";
  options.client_ca_name = "mtls-ca";
  auto yaml = kubernetesYaml(set(), options);
  ASSERT_TRUE(yaml.ok()) << yaml.error().message;
  std::vector<YAML::Node> docs;
  try {
    for (const auto& d : YAML::LoadAll(yaml.value())) {
      if (!d.IsNull()) docs.push_back(d);
    }
  } catch (const YAML::Exception& e) {
    FAIL() << e.what();
  }
  ASSERT_EQ(docs.size(), set().servers.size() + 1);
  for (size_t i = 0; i < set().servers.size(); ++i) {
    const YAML::Node& d = docs[i];
    EXPECT_EQ(d["apiVersion"].as<std::string>(), "v1");
    EXPECT_EQ(d["kind"].as<std::string>(), "Secret");
    EXPECT_EQ(d["type"].as<std::string>(), "kubernetes.io/tls");
    EXPECT_EQ(d["metadata"]["name"].as<std::string>(), set().servers[i].label);
    EXPECT_EQ(d["metadata"]["namespace"].as<std::string>(), "tls-tests");
    EXPECT_EQ(decodeBase64(d["data"]["tls.crt"].as<std::string>()), set().servers[i].chain_pem);
    EXPECT_EQ(decodeBase64(d["data"]["tls.key"].as<std::string>()), set().servers[i].key_pem);
  }
  const YAML::Node& ca = docs.back();
  EXPECT_EQ(ca["metadata"]["name"].as<std::string>(), "mtls-ca");
  EXPECT_EQ(ca["type"].as<std::string>(), "Opaque");
  EXPECT_EQ(decodeBase64(ca["data"]["ca.crt"].as<std::string>()),
            set().root.cert_pem + set().intermediate.cert_pem);
  EXPECT_EQ(decodeBase64(ca["data"]["ca.crl"].as<std::string>()),
            set().crl_pem + set().root_crl_pem);
}

TEST_F(FixturesTest, BadNamesAreRejected) {
  WriteOptions bad_ns;
  bad_ns.ns = "Not_A_Namespace";
  EXPECT_FALSE(kubernetesYaml(set(), bad_ns).ok());
  EXPECT_FALSE(fixtureFiles(set(), bad_ns).ok());
  WriteOptions bad_name;
  bad_name.client_ca_name = "-ca";
  EXPECT_FALSE(kubernetesYaml(set(), bad_name).ok());
}

TEST_F(FixturesTest, WritesEveryFileAndReportsUnwritableDirectories) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "certgen_write_test";
  fs::remove_all(dir);
  auto written = writeFixtures(set(), (dir / "nested").string(), {});
  ASSERT_TRUE(written.ok()) << written.error().message;
  auto files = fixtureFiles(set(), {});
  ASSERT_EQ(written.value().size(), files.value().size());
  for (size_t i = 0; i < files.value().size(); ++i) {
    std::ifstream in(written.value()[i], std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str(), files.value()[i].content) << written.value()[i];
  }
  // A regular file where a directory is needed fails whoever runs the test, root included.
  const fs::path blocker = dir / "blocker";
  std::ofstream(blocker) << "x";
  auto blocked = writeFixtures(set(), (blocker / "sub").string(), {});
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.error().message.find("cannot create directory"), std::string::npos);
  fs::remove_all(dir);
}

TEST(FixtureHosts, HostsAreCheckedAndLabelled) {
  EXPECT_FALSE(serverHostProblem("www.example.com"));
  EXPECT_FALSE(serverHostProblem("*.example.com"));
  EXPECT_FALSE(serverHostProblem("localhost"));
  EXPECT_FALSE(serverHostProblem("::1"));
  EXPECT_FALSE(serverHostProblem("10.0.0.1"));
  EXPECT_TRUE(serverHostProblem(""));
  EXPECT_TRUE(serverHostProblem("www.*.example.com"));
  EXPECT_TRUE(serverHostProblem("example..com"));
  EXPECT_TRUE(serverHostProblem("example.com."));
  EXPECT_TRUE(serverHostProblem("-bad.example.com"));
  EXPECT_TRUE(serverHostProblem("sp ace.example.com"));
  EXPECT_EQ(serverLabel("WWW.Example.com"), "server-www.example.com");
  EXPECT_EQ(serverLabel("*.example.com"), "server-wildcard.example.com");
  EXPECT_EQ(serverLabel("fe80::1"), "server-fe80--1");
}

TEST(FixtureHosts, BadOrCollidingHostsAreErrors) {
  EXPECT_FALSE(standardFixtures(1, testNow(), {"bad host"}).ok());
  auto dup = standardFixtures(1, testNow(), {"www.example.com", "WWW.example.com"});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("one label"), std::string::npos);
}

TEST(FixtureHosts, FileNameCollisionsAreErrors) {
  // "a" writes server-a-chain.crt as its chain; "a-chain" would write its certificate there.
  auto set = standardFixtures(3, testNow(), {"a", "a-chain"});
  ASSERT_TRUE(set.ok()) << set.error().message;
  auto files = fixtureFiles(set.value(), {});
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.error().message.find("server-a-chain.crt"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::certgen
