// Real OpenSSL handshakes between the probe client and the data plane's TLS session: the e2e TLS
// probes (MTLS-2..7) and every client-certificate failure class with its stat and alert.
#include "ctplab/proxy/tls/server_session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ctplab/certgen/fixtures.h"
#include "ctplab/certgen/generator.h"
#include "ctplab/proxy/tls/peer_certificate.h"
#include "ctplab/proxy/tls/probe_client.h"

namespace ctplab::proxy::tls {
namespace {

using ClientOptions = ProbeOptions;
using State = ServerSession::State;

const TimePoint kNow = TimePoint::fromUnixSeconds(1'780'272'000);  // 2026-06-01

const certgen::FixtureSet& fixtures() {
  static const certgen::FixtureSet set = [] {
    auto made = certgen::standardFixtures(7, kNow, {"www.example.com"});
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
  }();
  return set;
}

// An RSA serving certificate: the ECDHE-RSA suites of MTLS-2 need one.
const certgen::Issued& rsaServer() {
  static const certgen::Issued issued = [] {
    certgen::CertSpec spec;
    spec.label = "tls-settings-rsa";
    spec.subject.common_name = "tls-settings.example.com";
    spec.dns = {"tls-settings.example.com"};
    spec.key = certgen::KeyType::kRsa2048;
    spec.server_auth = true;
    spec.validity = certgen::Validity::current(kNow);
    auto made = certgen::Generator(7).issue(spec, fixtures().intermediate);
    EXPECT_TRUE(made.ok());
    return std::move(made).value();
  }();
  return issued;
}

policy::ir::TLSConfig servingWith(const certgen::Issued& cert) {
  policy::ir::TLSConfig tls;
  tls.certificates.push_back({"ns/" + cert.label, cert.chain_pem, true, cert.key_pem});
  tls.min_version = "1.2";
  tls.max_version = "1.3";
  return tls;
}

// MTLS-2's section `tls-settings`.
policy::ir::TLSConfig tlsSettings() {
  auto tls = servingWith(rsaServer());
  tls.min_version = "1.1";
  tls.max_version = "1.2";
  tls.ciphers = {"ECDHE-RSA-AES128-GCM-SHA256", "AES128-SHA"};
  tls.ecdh_curves = {"X25519", "P-256"};
  tls.alpn_protocols = std::vector<std::string>{"http/1.1"};
  return tls;
}

// RequireAndVerify against the fixture root; clients send leaf + intermediate.
policy::ir::TLSConfig mutualTls() {
  auto tls = servingWith(fixtures().servers.front());
  tls.client_validation_enabled = true;
  tls.require_client_certificate = true;
  tls.ca_certificate =
      policy::ir::TLSCertificate{"ns/ctp/ca.crt", fixtures().root.cert_pem, false, ""};
  return tls;
}

struct Run {
  std::shared_ptr<const ServerContext> context;
  std::unique_ptr<ServerSession> server;
  std::unique_ptr<ProbeClient> client;

  bool hasStat(const std::string& name) const {
    const auto& s = server->stats();
    return std::find(s.begin(), s.end(), name) != s.end();
  }
};

Run handshake(const policy::ir::TLSConfig& config, const ClientOptions& options,
              TimePoint now = kNow) {
  Run run;
  auto built = ServerContext::build(config, /*https=*/true, /*overlapping_certs=*/false);
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().message);
  run.context = built.value();
  run.server = std::make_unique<ServerSession>(run.context, now);
  auto client = ProbeClient::create(options);
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
  run.client = std::move(client).value();
  run.client->handshake(*run.server);
  return run;
}

ClientOptions withCert(const certgen::Issued& cert) {
  ClientOptions o;
  o.sni = "www.example.com";
  o.cert_pem = cert.chain_pem;
  o.key_pem = cert.key_pem;
  return o;
}

TEST(TlsSession, DefaultsNegotiateTls13WithH2AndCountTheHandshake) {
  ClientOptions o;
  o.sni = "www.example.com";
  o.alpn = {"h2", "http/1.1"};
  auto run = handshake(servingWith(fixtures().servers.front()), o);
  ASSERT_EQ(run.server->state(), State::kEstablished) << run.server->outcome().failure;
  const auto& out = run.server->outcome();
  EXPECT_EQ(out.version, "TLSv1.3");
  EXPECT_EQ(out.alpn, "h2");
  EXPECT_EQ(out.sni, "www.example.com");
  EXPECT_EQ(out.group, "X25519");
  EXPECT_FALSE(out.client_certificate);
  EXPECT_TRUE(run.hasStat("ssl.handshake"));
  EXPECT_TRUE(run.hasStat("ssl.versions.TLSv1.3"));
  EXPECT_TRUE(run.hasStat("ssl.curves.X25519"));
  EXPECT_TRUE(run.hasStat("ssl.no_certificate"));
  EXPECT_EQ(run.server->takePlaintext(), "ping");
  EXPECT_EQ(run.client->received(), "pong");
}

TEST(TlsSession, Mtls3VersionProbes) {
  struct Probe {
    int version;
    bool succeeds;
    const char* negotiated;
  };
  for (const Probe& p :
       {Probe{TLS1_VERSION, false, ""}, Probe{TLS1_1_VERSION, true, "TLSv1.1"},
        Probe{TLS1_2_VERSION, true, "TLSv1.2"}, Probe{TLS1_3_VERSION, false, ""}}) {
    ClientOptions o;
    o.sni = "tls-settings.example.com";
    o.min_version = o.max_version = p.version;
    o.ciphers = "AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256";
    auto run = handshake(tlsSettings(), o);
    EXPECT_EQ(run.client->established(), p.succeeds) << p.version;
    if (p.succeeds) {
      EXPECT_EQ(run.server->outcome().version, p.negotiated);
      EXPECT_EQ(run.client->version(), p.negotiated);
    } else {
      EXPECT_EQ(run.server->state(), State::kFailed);
      EXPECT_TRUE(run.hasStat("ssl.connection_error"));
    }
  }
}

TEST(TlsSession, Mtls4CipherProbes) {
  ClientOptions o;
  o.sni = "tls-settings.example.com";
  o.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
  auto ok = handshake(tlsSettings(), o);
  ASSERT_TRUE(ok.client->established());
  EXPECT_EQ(ok.server->outcome().cipher, "ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_TRUE(ok.hasStat("ssl.ciphers.ECDHE-RSA-AES128-GCM-SHA256"));
  o.ciphers = "ECDHE-RSA-AES256-GCM-SHA384";
  auto refused = handshake(tlsSettings(), o);
  EXPECT_FALSE(refused.client->established());
  EXPECT_TRUE(refused.hasStat("ssl.connection_error"));
  EXPECT_EQ(refused.client->alert(), SSL_AD_HANDSHAKE_FAILURE);
}

TEST(TlsSession, Mtls5CurveProbes) {
  for (const auto& [group, succeeds] : std::vector<std::pair<std::string, bool>>{
           {"P-256", true}, {"X25519", true}, {"P-521", false}}) {
    ClientOptions o;
    o.sni = "tls-settings.example.com";
    o.groups = group;
    // ECDHE suites only: the listener's AES128-SHA needs no curve and would always succeed.
    o.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
    auto run = handshake(tlsSettings(), o);
    EXPECT_EQ(run.client->established(), succeeds) << group;
    if (succeeds) {
      EXPECT_EQ(run.server->outcome().group, group);
    }
  }
}

TEST(TlsSession, Mtls6AlpnFromTheListOnly) {
  ClientOptions o;
  o.sni = "tls-settings.example.com";
  o.alpn = {"h2", "http/1.1"};
  auto run = handshake(tlsSettings(), o);
  ASSERT_TRUE(run.client->established());
  EXPECT_EQ(run.client->alpn(), "http/1.1");
  EXPECT_EQ(run.server->outcome().alpn, "http/1.1");
}

TEST(TlsSession, AlpnDefaultsFollowTheListenerKind) {
  const auto tls = servingWith(fixtures().servers.front());
  EXPECT_EQ(ServerContext::build(tls, true, false).value()->alpn(),
            (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(ServerContext::build(tls, true, true).value()->alpn(),
            (std::vector<std::string>{"http/1.1"}));
  EXPECT_TRUE(ServerContext::build(tls, false, false).value()->alpn().empty());
  auto off = tls;
  off.alpn_protocols = std::vector<std::string>{};
  EXPECT_TRUE(ServerContext::build(off, true, false).value()->alpn().empty());
}

TEST(TlsSession, Mtls7NoSessionTicketsUnlessResumptionIsOn) {
  ClientOptions o;
  o.sni = "tls-settings.example.com";
  auto tls12 = handshake(tlsSettings(), o);
  ASSERT_TRUE(tls12.client->established());
  EXPECT_EQ(tls12.client->tickets(), 0);
  auto tls13 = handshake(servingWith(fixtures().servers.front()), o);
  ASSERT_TRUE(tls13.client->established());
  EXPECT_EQ(tls13.client->tickets(), 0);
  auto stateless = servingWith(fixtures().servers.front());
  stateless.stateless_session_resumption = true;
  auto resumed = handshake(stateless, o);
  ASSERT_TRUE(resumed.client->established());
  EXPECT_GT(resumed.client->tickets(), 0);
}

TEST(TlsSession, MutualTlsValidClientIsVerified) {
  for (const auto* cert : {&fixtures().client_valid, &fixtures().client_valid_rsa}) {
    auto run = handshake(mutualTls(), withCert(*cert));
    ASSERT_EQ(run.server->state(), State::kEstablished) << run.server->outcome().failure;
    const auto& out = run.server->outcome();
    EXPECT_TRUE(out.client_certificate);
    ASSERT_EQ(out.peer_chain_der.size(), 2u);  // leaf + intermediate, as sent
    EXPECT_EQ(out.peer_chain_der.front(), cert->cert_der);
    EXPECT_TRUE(run.hasStat("ssl.handshake"));
    EXPECT_FALSE(run.hasStat("ssl.no_certificate"));
  }
}

struct FailureCase {
  const char* name;
  const certgen::Issued* cert;
  const char* stat;
  int alert_tls12;
};

TEST(TlsSession, MutualTlsFailuresHaveTheirStatAndAlert) {
  const auto& f = fixtures();
  const std::vector<FailureCase> cases = {
      {"expired", &f.client_expired, "ssl.fail_verify_error", SSL_AD_CERTIFICATE_EXPIRED},
      {"not yet valid", &f.client_not_yet_valid, "ssl.fail_verify_error", SSL_AD_BAD_CERTIFICATE},
      {"wrong CA", &f.client_wrong_ca, "ssl.fail_verify_error", SSL_AD_UNKNOWN_CA},
  };
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    for (const auto& c : cases) {
      auto o = withCert(*c.cert);
      o.max_version = version;
      auto run = handshake(mutualTls(), o);
      EXPECT_EQ(run.server->state(), State::kFailed) << c.name;
      EXPECT_TRUE(run.hasStat(c.stat)) << c.name;
      EXPECT_EQ(run.server->stats().size(), 1u) << c.name;
      EXPECT_FALSE(run.client->established()) << c.name << " " << version;
      if (version == TLS1_2_VERSION) {
        EXPECT_EQ(run.client->alert(), c.alert_tls12) << c.name;
      }
    }
  }
}

TEST(TlsSession, MissingCertificateWhenRequired) {
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    ClientOptions o;
    o.sni = "www.example.com";
    o.max_version = version;
    auto run = handshake(mutualTls(), o);
    EXPECT_EQ(run.server->state(), State::kFailed);
    EXPECT_TRUE(run.hasStat("ssl.fail_verify_no_cert")) << version;
    EXPECT_FALSE(run.client->established());
    EXPECT_EQ(run.client->alert(),
              version == TLS1_3_VERSION ? SSL_AD_CERTIFICATE_REQUIRED : SSL_AD_HANDSHAKE_FAILURE);
  }
}

TEST(TlsSession, VerifyIfGivenAdmitsClientsWithoutCertificate) {
  auto tls = mutualTls();
  tls.require_client_certificate = false;
  ClientOptions o;
  o.sni = "www.example.com";
  auto run = handshake(tls, o);
  ASSERT_EQ(run.server->state(), State::kEstablished);
  EXPECT_TRUE(run.hasStat("ssl.no_certificate"));
  // ... but a bad certificate, once given, still fails.
  auto bad = handshake(tls, withCert(fixtures().client_wrong_ca));
  EXPECT_TRUE(bad.hasStat("ssl.fail_verify_error"));
}

TEST(TlsSession, RequireAnyToleratesUntrustedCertificates) {
  auto tls = mutualTls();
  tls.accept_untrusted = true;
  tls.ca_certificate.reset();
  auto run = handshake(tls, withCert(fixtures().client_wrong_ca));
  ASSERT_EQ(run.server->state(), State::kEstablished) << run.server->outcome().failure;
  EXPECT_TRUE(run.server->outcome().client_certificate);
  ClientOptions none;
  none.sni = "www.example.com";
  EXPECT_TRUE(handshake(tls, none).hasStat("ssl.fail_verify_no_cert"));
}

TEST(TlsSession, AllowExpiredForgivesOnlyTheLeafsExpiry) {
  auto tls = mutualTls();
  tls.allow_expired_certificate = true;
  EXPECT_EQ(handshake(tls, withCert(fixtures().client_expired)).server->state(),
            State::kEstablished);
  EXPECT_TRUE(
      handshake(tls, withCert(fixtures().client_wrong_ca)).hasStat("ssl.fail_verify_error"));
}

TEST(TlsSession, CertificatesAreJudgedAtTheSessionsClock) {
  // The same valid certificate, judged after its notAfter (365 days on): the clock that the
  // simulation passes in, not the machine's, decides.
  const TimePoint later = kNow + Duration::seconds(int64_t{366} * 24 * 3600);
  auto run = handshake(mutualTls(), withCert(fixtures().client_valid), later);
  EXPECT_TRUE(run.hasStat("ssl.fail_verify_error"));
  EXPECT_NE(run.server->outcome().failure.find("expired"), std::string::npos)
      << run.server->outcome().failure;
}

TEST(TlsSession, RevokedCertificatesFailOnlyWithTheCrl) {
  const auto& f = fixtures();
  EXPECT_EQ(handshake(mutualTls(), withCert(f.client_revoked)).server->state(),
            State::kEstablished);
  auto tls = mutualTls();
  tls.crl = policy::ir::TLSConfig::Crl{"ns/ctp/ca.crl", f.crl_pem + f.root_crl_pem, false};
  auto revoked = handshake(tls, withCert(f.client_revoked));
  EXPECT_TRUE(revoked.hasStat("ssl.fail_verify_error"));
  EXPECT_NE(revoked.server->outcome().failure.find("revoked"), std::string::npos);
  auto valid = handshake(tls, withCert(f.client_valid));
  EXPECT_EQ(valid.server->state(), State::kEstablished) << valid.server->outcome().failure;
  // Without onlyVerifyLeafCertificate every CA of the chain needs a CRL (spec 4.8 step 3).
  tls.crl->data = f.crl_pem;
  EXPECT_TRUE(handshake(tls, withCert(f.client_valid)).hasStat("ssl.fail_verify_error"));
  tls.crl->only_verify_leaf = true;
  EXPECT_EQ(handshake(tls, withCert(f.client_valid)).server->state(), State::kEstablished);
}

TEST(TlsSession, SanMatchersAndPinsJudgeAVerifiedChain) {
  const auto& f = fixtures();
  auto tls = mutualTls();
  policy::ir::StringMatch san;
  san.name = "DNS";
  san.exact = "client.example.com";
  tls.match_typed_subject_alt_names = {san};
  EXPECT_EQ(handshake(tls, withCert(f.client_valid)).server->state(), State::kEstablished);
  for (const int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    auto o = withCert(f.client_wrong_san);
    o.max_version = version;
    auto wrong_san = handshake(tls, o);
    EXPECT_TRUE(wrong_san.hasStat("ssl.fail_verify_san"));
    EXPECT_FALSE(wrong_san.client->established());
    EXPECT_EQ(wrong_san.client->alert(), SSL_AD_CERTIFICATE_UNKNOWN) << version;
  }

  auto pinned = mutualTls();
  const auto leaf = PeerCertificate::fromDer(f.client_valid.cert_der);
  ASSERT_TRUE(leaf.ok());
  pinned.verify_certificate_hash = {leaf.value().sha256_hex};
  EXPECT_EQ(handshake(pinned, withCert(f.client_valid)).server->state(), State::kEstablished);
  EXPECT_TRUE(handshake(pinned, withCert(f.client_valid_rsa)).hasStat("ssl.fail_verify_cert_hash"));
  // A pin makes a certificate mandatory even in VerifyIfGiven, as in Envoy.
  pinned.require_client_certificate = false;
  ClientOptions none;
  none.sni = "www.example.com";
  EXPECT_TRUE(handshake(pinned, none).hasStat("ssl.fail_verify_no_cert"));
}

TEST(TlsSession, BadConfigurationIsAnError) {
  auto tls = servingWith(fixtures().servers.front());
  tls.ciphers = {"NOT-A-CIPHER"};
  auto bad = ServerContext::build(tls, true, false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cipher suites"), std::string::npos);
  tls = servingWith(fixtures().servers.front());
  tls.certificates.front().private_key_pem = fixtures().client_valid.key_pem;
  EXPECT_FALSE(ServerContext::build(tls, true, false).ok());
  tls = servingWith(fixtures().servers.front());
  tls.ecdh_curves = {"P-999"};
  EXPECT_FALSE(ServerContext::build(tls, true, false).ok());
}

TEST(TlsSession, GarbageFromTheClientFailsWithoutCrashing) {
  auto context = ServerContext::build(servingWith(fixtures().servers.front()), true, false).value();
  ServerSession session(context, kNow);
  session.receive("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(session.state(), State::kFailed);
  EXPECT_EQ(session.stats(), std::vector<std::string>{"ssl.connection_error"});
  session.receive("more");  // ignored once failed
  ServerSession truncated(context, kNow);
  truncated.receive(std::string("\x16\x03\x01\x02\x00\x01", 6));
  EXPECT_EQ(truncated.state(), State::kHandshaking);
}

}  // namespace
}  // namespace ctplab::proxy::tls
