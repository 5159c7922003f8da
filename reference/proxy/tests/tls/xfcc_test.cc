// XFCC: every mode with and without a client certificate and a received header, the element's
// fixed pair order and omission rules, URL-encoded PEMs, folding of repeated fields, IR parsing.
#include "ctplab/proxy/tls/xfcc.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tls/test_certs.h"

namespace ctplab::proxy::tls {
namespace {

using http1::HeaderList;
using testing::makePeer;
using testing::TestCertSpec;

PeerCertificate clientLeaf() {
  TestCertSpec spec;
  spec.subject = {{"O", "Example"}, {"CN", "client"}};
  spec.dns = {"client.example.com", "alt.example.com"};
  spec.uris = {"spiffe://example.org/client", "urn:two"};
  return makePeer(spec);
}

XfccConfig config(XfccMode mode, XfccDetails details = {}) { return XfccConfig{mode, details}; }

TEST(XfccTest, ConfigFromIrStrings) {
  EXPECT_EQ(xfccConfigFrom("Sanitize", {}), config(XfccMode::kSanitize));
  EXPECT_EQ(xfccConfigFrom("ForwardOnly", {}), config(XfccMode::kForwardOnly));
  EXPECT_EQ(xfccConfigFrom("AlwaysForwardOnly", {}), config(XfccMode::kAlwaysForwardOnly));
  EXPECT_EQ(xfccConfigFrom("AppendForward", {"Subject"}),
            config(XfccMode::kAppendForward, {.subject = true}));
  EXPECT_EQ(xfccConfigFrom("SanitizeSet", {"DNS", "URI", "Subject", "Chain", "Cert", "DNS"}),
            config(XfccMode::kSanitizeSet,
                   {.cert = true, .chain = true, .subject = true, .uri = true, .dns = true}));
  EXPECT_EQ(xfccConfigFrom("sanitize", {}), std::nullopt);
  EXPECT_EQ(xfccConfigFrom("", {}), std::nullopt);
  EXPECT_EQ(xfccConfigFrom("SanitizeSet", {"subject"}), std::nullopt);
  EXPECT_EQ(xfccConfigFrom("SanitizeSet", {"SAN"}), std::nullopt);
}

TEST(XfccTest, ConfigFromIrDefaultsToSanitize) {
  auto none = xfccConfigFromIr(std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none.value(), XfccConfig{});
  EXPECT_EQ(none.value().mode, XfccMode::kSanitize);
  auto set = xfccConfigFromIr(policy::ir::HeaderSettings::Xfcc{"SanitizeSet", {"Subject"}});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set.value(), config(XfccMode::kSanitizeSet, {.subject = true}));
  auto bad = xfccConfigFromIr(policy::ir::HeaderSettings::Xfcc{"Bogus", {}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Bogus"), std::string::npos);
  auto bad_detail = xfccConfigFromIr(policy::ir::HeaderSettings::Xfcc{"SanitizeSet", {"Issuer"}});
  ASSERT_FALSE(bad_detail.ok());
  EXPECT_NE(bad_detail.error().message.find("Issuer"), std::string::npos);
}

TEST(XfccTest, UrlEncodePemEscapesOnlyEnvoysFiveCharacters) {
  EXPECT_EQ(urlEncodePem("-----BEGIN CERTIFICATE-----\nab+/=Z9-_.~%?&\n"),
            "-----BEGIN%20CERTIFICATE-----%0Aab%2B%2F%3DZ9-_.~%?&%0A");
}

// Sanitize | ForwardOnly | AlwaysForwardOnly | AppendForward | SanitizeSet, each with and without a
// client certificate and a received XFCC (spec table).
TEST(XfccTest, ModeMatrix) {
  const std::vector<PeerCertificate> chain = {clientLeaf()};
  const std::vector<PeerCertificate> no_cert;
  const XfccDetails details{.subject = true};
  const std::string element = xfccElement(chain, {}, details);
  ASSERT_FALSE(element.empty());
  const std::string sent = "By=spiffe://up;Hash=abc";
  const HeaderList with = {{"host", "h"}, {"x-forwarded-client-cert", sent}, {"accept", "*/*"}};
  const HeaderList without = {{"host", "h"}, {"accept", "*/*"}};
  const HeaderList removed = without;
  const HeaderList appended_to = {
      {"host", "h"}, {"x-forwarded-client-cert", sent + "," + element}, {"accept", "*/*"}};
  const HeaderList replaced = {
      {"host", "h"}, {"x-forwarded-client-cert", element}, {"accept", "*/*"}};
  const HeaderList added = {{"host", "h"}, {"accept", "*/*"}, {"x-forwarded-client-cert", element}};

  struct Case {
    XfccMode mode;
    bool cert;
    bool received;
    HeaderList expected;
    XfccAction action;
  };
  const std::vector<Case> cases = {
      {XfccMode::kSanitize, false, true, removed, XfccAction::kSanitized},
      {XfccMode::kSanitize, false, false, without, XfccAction::kSanitized},
      {XfccMode::kSanitize, true, true, removed, XfccAction::kSanitized},
      {XfccMode::kSanitize, true, false, without, XfccAction::kSanitized},
      {XfccMode::kForwardOnly, false, true, removed, XfccAction::kSanitized},
      {XfccMode::kForwardOnly, false, false, without, XfccAction::kSanitized},
      {XfccMode::kForwardOnly, true, true, with, XfccAction::kForwarded},
      {XfccMode::kForwardOnly, true, false, without, XfccAction::kForwarded},
      {XfccMode::kAlwaysForwardOnly, false, true, with, XfccAction::kForwarded},
      {XfccMode::kAlwaysForwardOnly, false, false, without, XfccAction::kForwarded},
      {XfccMode::kAlwaysForwardOnly, true, true, with, XfccAction::kForwarded},
      {XfccMode::kAlwaysForwardOnly, true, false, without, XfccAction::kForwarded},
      {XfccMode::kAppendForward, false, true, removed, XfccAction::kSanitized},
      {XfccMode::kAppendForward, false, false, without, XfccAction::kSanitized},
      {XfccMode::kAppendForward, true, true, appended_to, XfccAction::kAppended},
      {XfccMode::kAppendForward, true, false, added, XfccAction::kAppended},
      {XfccMode::kSanitizeSet, false, true, removed, XfccAction::kSanitized},
      {XfccMode::kSanitizeSet, false, false, without, XfccAction::kSanitized},
      {XfccMode::kSanitizeSet, true, true, replaced, XfccAction::kSet},
      {XfccMode::kSanitizeSet, true, false, added, XfccAction::kSet},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "mode " << static_cast<int>(c.mode) << " cert " << c.cert
                                      << " received " << c.received);
    HeaderList headers = c.received ? with : without;
    const XfccAction action =
        applyXfcc(config(c.mode, details), headers, c.cert ? chain : no_cert, {});
    EXPECT_EQ(headers, c.expected);
    EXPECT_EQ(action, c.action);
  }
}

TEST(XfccTest, SanitizeSetMatchesTheConformanceShape) {
  TestCertSpec spec;
  spec.subject = testing::mtlsExampleSubject();
  const PeerCertificate leaf = makePeer(spec);
  HeaderList headers = {{"host", "mtls.example.com"}};
  applyXfcc(*xfccConfigFrom("SanitizeSet", {"Subject"}), headers, {leaf}, {});
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[1].name, "x-forwarded-client-cert");
  EXPECT_EQ(headers[1].value,
            "Hash=" + testing::hexOf(testing::sha256(leaf.der)) +
                ";Subject=\"CN=mtls.example.com,OU=Gateway,O=EnvoyProxy,L=SomeCity,ST=VA,C=US\"");
}

TEST(XfccTest, ElementHasEveryPairInEnvoysOrder) {
  TestCertSpec other;
  other.subject = {{"CN", "intermediate"}};
  const PeerCertificate leaf = clientLeaf();
  const PeerCertificate intermediate = makePeer(other);
  const XfccDetails all{.cert = true, .chain = true, .subject = true, .uri = true, .dns = true};
  const std::string element =
      xfccElement({leaf, intermediate}, {"spiffe://proxy/a", "spiffe://proxy/b"}, all);
  EXPECT_EQ(element, "By=spiffe://proxy/a;By=spiffe://proxy/b;Hash=" + leaf.sha256_hex +
                         ";Cert=\"" + urlEncodePem(leaf.pem) + "\";Chain=\"" +
                         urlEncodePem(leaf.pem) + urlEncodePem(intermediate.pem) +
                         "\";Subject=\"CN=client,O=Example\";URI=spiffe://example.org/client;"
                         "URI=urn:two;DNS=client.example.com;DNS=alt.example.com");
}

TEST(XfccTest, OrderIgnoresCertDetailsToAddOrder) {
  const std::vector<PeerCertificate> chain = {clientLeaf()};
  const auto forward = xfccConfigFrom("SanitizeSet", {"Cert", "Chain", "Subject", "URI", "DNS"});
  const auto backward = xfccConfigFrom("SanitizeSet", {"DNS", "URI", "Subject", "Chain", "Cert"});
  ASSERT_TRUE(forward && backward);
  HeaderList a, b;
  applyXfcc(*forward, a, chain, {});
  applyXfcc(*backward, b, chain, {});
  EXPECT_EQ(a, b);
  const std::string& value = a.at(0).value;
  size_t last = 0;
  for (const char* key : {"Hash=", ";Cert=", ";Chain=", ";Subject=", ";URI=", ";DNS="}) {
    const size_t at = value.find(key);
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_GE(at, last) << key;
    last = at;
  }
}

TEST(XfccTest, HashEqualsAnIndependentSha256OfTheDer) {
  const PeerCertificate leaf = clientLeaf();
  EXPECT_EQ(xfccElement({leaf}, {}, {}), "Hash=" + testing::hexOf(testing::sha256(leaf.der)));
}

TEST(XfccTest, UriAndDnsOmissionRules) {
  const PeerCertificate bare = makePeer({});
  // No URI SAN: one empty URI=. No DNS SAN: no DNS pair. Empty subject: Subject="".
  EXPECT_EQ(xfccElement({bare}, {}, {.subject = true, .uri = true, .dns = true}),
            "Hash=" + bare.sha256_hex + ";Subject=\"\";URI=");
  TestCertSpec one_uri;
  one_uri.uris = {"spiffe://a"};
  const PeerCertificate with_uri = makePeer(one_uri);
  EXPECT_EQ(xfccElement({with_uri}, {}, {.uri = true, .dns = true}),
            "Hash=" + with_uri.sha256_hex + ";URI=spiffe://a");
  TestCertSpec one_dns;
  one_dns.dns = {"only.example.com"};
  const PeerCertificate with_dns = makePeer(one_dns);
  EXPECT_EQ(xfccElement({with_dns}, {}, {.dns = true}),
            "Hash=" + with_dns.sha256_hex + ";DNS=only.example.com");
  // Details not asked for stay out even when the certificate has them.
  EXPECT_EQ(xfccElement({clientLeaf()}, {}, {}).find("URI="), std::string::npos);
}

TEST(XfccTest, ByComesFromTheLocalCertificatesUriSans) {
  const PeerCertificate leaf = clientLeaf();
  EXPECT_EQ(xfccElement({leaf}, {"spiffe://gw"}, {}), "By=spiffe://gw;Hash=" + leaf.sha256_hex);
  EXPECT_EQ(xfccElement({leaf}, {"spiffe://gw", "urn:x"}, {}),
            "By=spiffe://gw;By=urn:x;Hash=" + leaf.sha256_hex);
  HeaderList headers;
  applyXfcc(config(XfccMode::kAppendForward), headers, {leaf}, {"spiffe://gw"});
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].value, "By=spiffe://gw;Hash=" + leaf.sha256_hex);
}

TEST(XfccTest, SubjectSpecialCharactersAreRfc2253Escaped) {
  TestCertSpec spec;
  spec.subject = {{"O", "Acme, \"Inc\""}, {"CN", "a+b"}};
  const PeerCertificate leaf = makePeer(spec);
  EXPECT_EQ(xfccElement({leaf}, {}, {.subject = true}),
            "Hash=" + leaf.sha256_hex + R"(;Subject="CN=a\+b,O=Acme\, \"Inc\"")");
}

TEST(XfccTest, CertAndChainAreUrlEncodedPems) {
  const PeerCertificate leaf = clientLeaf();
  const std::string element = xfccElement({leaf}, {}, {.cert = true, .chain = true});
  const std::string encoded = urlEncodePem(leaf.pem);
  EXPECT_TRUE(encoded.starts_with("-----BEGIN%20CERTIFICATE-----%0A"));
  EXPECT_TRUE(encoded.ends_with("%0A-----END%20CERTIFICATE-----%0A"));
  EXPECT_EQ(encoded.find_first_of("\n +/="), std::string::npos);
  // A chain of one is the leaf.
  EXPECT_EQ(element,
            "Hash=" + leaf.sha256_hex + ";Cert=\"" + encoded + "\";Chain=\"" + encoded + "\"");
}

TEST(XfccTest, RepeatedFieldsFoldIntoOneInTheFirstPlace) {
  const std::vector<PeerCertificate> chain = {clientLeaf()};
  const HeaderList received = {{"X-Forwarded-Client-Cert", "Hash=1"},
                               {"host", "h"},
                               {"x-forwarded-client-cert", ""},
                               {"X-FORWARDED-CLIENT-CERT", "Hash=2"}};
  HeaderList forwarded = received;
  EXPECT_EQ(applyXfcc(config(XfccMode::kAlwaysForwardOnly), forwarded, {}, {}),
            XfccAction::kForwarded);
  EXPECT_EQ(forwarded, (HeaderList{{"X-Forwarded-Client-Cert", "Hash=1,Hash=2"}, {"host", "h"}}));

  HeaderList appended = received;
  applyXfcc(config(XfccMode::kAppendForward), appended, chain, {});
  EXPECT_EQ(appended,
            (HeaderList{{"X-Forwarded-Client-Cert", "Hash=1,Hash=2,Hash=" + chain[0].sha256_hex},
                        {"host", "h"}}));

  HeaderList set = received;
  applyXfcc(config(XfccMode::kSanitizeSet), set, chain, {});
  EXPECT_EQ(
      set, (HeaderList{{"X-Forwarded-Client-Cert", "Hash=" + chain[0].sha256_hex}, {"host", "h"}}));

  HeaderList sanitized = received;
  applyXfcc(config(XfccMode::kSanitize), sanitized, chain, {});
  EXPECT_EQ(sanitized, (HeaderList{{"host", "h"}}));
}

TEST(XfccTest, AppendForwardToAnEmptyValueGivesTheElementAlone) {
  const std::vector<PeerCertificate> chain = {clientLeaf()};
  HeaderList headers = {{"x-forwarded-client-cert", ""}};
  applyXfcc(config(XfccMode::kAppendForward), headers, chain, {});
  EXPECT_EQ(headers, (HeaderList{{"x-forwarded-client-cert", "Hash=" + chain[0].sha256_hex}}));
}

TEST(XfccTest, ForwardOnlyKeepsAnEmptyValue) {
  HeaderList headers = {{"x-forwarded-client-cert", ""}};
  applyXfcc(config(XfccMode::kForwardOnly), headers, {clientLeaf()}, {});
  EXPECT_EQ(headers, (HeaderList{{"x-forwarded-client-cert", ""}}));
}

TEST(XfccTest, EmptyChainGivesNoElement) { EXPECT_EQ(xfccElement({}, {"spiffe://gw"}, {}), ""); }

}  // namespace
}  // namespace ctplab::proxy::tls
