#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cert_fixtures.h"
#include "pki/pki.h"

namespace ctplab::policy::pki {
namespace {

// Robustness: nothing may crash on arbitrary bytes (run under ASan/UBSan as well).

TEST(RobustnessTest, MutatedInputsNeverCrash) {
  const Material& m = material();
  const std::string key = pkcs8Pem(m.leaf_key.get());
  const std::vector<std::string> seeds = {
      certDer(m.leaf.get()),
      certDer(m.rsa_leaf.get()),
      certDer(m.generalized.get()),
      decodePem(crlPem(makeCrl(m.ca.get(), m.ca_key.get(), k2024Jan01, k2026Jan01).get()))
          .block->bytes,
      decodePem(key).block->bytes,
      decodePem(traditionalPem(m.rsa_key.get())).block->bytes};
  std::mt19937 rng(12345);
  const std::vector<std::string> types = {"CERTIFICATE", "X509 CRL", "PRIVATE KEY",
                                          "RSA PRIVATE KEY", "EC PRIVATE KEY"};
  size_t iterations = 0;
  for (const std::string& seed : seeds) {
    std::vector<std::string> variants;
    for (size_t len = 0; len <= seed.size(); len += 13) variants.push_back(seed.substr(0, len));
    for (int i = 0; i < 120; ++i) {
      std::string v = seed;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) v[rng() % v.size()] = static_cast<char>(rng() & 0xFF);
      variants.push_back(std::move(v));
    }
    for (const std::string& v : variants) {
      for (const std::string& type : types) {
        const std::string pem = encodePemBlock(PemBlock{type, {}, v}).value();
        static_cast<void>(checkCaBundle(pem, now()));
        static_cast<void>(checkCrl(pem, now()));
        static_cast<void>(checkServingCertificate("n", "s", pem, pem, now()));
        static_cast<void>(checkServingCertificate("n", "s", certPem(m.leaf.get()), pem, now()));
        ++iterations;
      }
      static_cast<void>(parseCertificates(v));
      static_cast<void>(decodePem(v));
    }
  }
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    const size_t len = rng() % 200;
    static const std::string kAlphabet = "-BEGINEND \n\r\t:=ABCabc+/0129";
    for (size_t j = 0; j < len; ++j) {
      text.push_back(rng() % 3 == 0 ? static_cast<char>(rng() & 0xFF)
                                    : kAlphabet[rng() % kAlphabet.size()]);
    }
    if (i % 2 == 0) text = "-----BEGIN X-----\n" + text + "\n-----END X-----\n" + text;
    const PemDecodeResult r = decodePem(text);
    EXPECT_LE(r.rest.size(), text.size());
    static_cast<void>(checkCaBundle(text, now()));
    static_cast<void>(checkCrl(text, now()));
    static_cast<void>(checkServingCertificate("n", "s", text, text, now()));
  }
  EXPECT_GT(iterations, 0u);
}

}  // namespace
}  // namespace ctplab::policy::pki
