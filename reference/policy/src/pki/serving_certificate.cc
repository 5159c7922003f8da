#include <optional>
#include <set>
#include <utility>

#include "pki/cert_block.h"
#include "pki/go_pem.h"
#include "pki/pki.h"
#include "pki/private_key.h"
#include "pki/x509_certificate_internal.h"

namespace ctplab::policy::pki {
namespace {

// Go tls.go firstSupportedPrivateKeyBlock.
std::optional<PemBlock> firstSupportedPrivateKeyBlock(std::string_view data) {
  std::optional<PemBlock> first;
  while (!data.empty()) {
    PemDecodeResult decoded = decodePem(data);
    if (!decoded.block) return first;
    if (!first) first = decoded.block;
    const std::string& type = decoded.block->type;
    if (type == "PRIVATE KEY" || type == "RSA PRIVATE KEY" || type == "EC PRIVATE KEY") {
      return decoded.block;
    }
    data = decoded.rest;
  }
  return first;
}

}  // namespace

ServingChainCheck checkServingChain(std::string_view cert_pem, TimePoint now) {
  ServingChainCheck check;
  if (cert_pem.empty()) {
    check.error = "no certificate data provided";
    return check;
  }
  std::string_view rest = cert_pem;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    std::vector<Certificate> certs;
    if (std::string err = validateCertBlock(*decoded.block, now, &certs); !err.empty()) {
      check.error = std::move(err);
      check.chain_pem.clear();
      check.certificates.clear();
      return check;
    }
    check.chain_pem += encodePemBlock(*decoded.block).value_or("");
    check.certificates.insert(check.certificates.end(), certs.begin(), certs.end());
  }
  if (check.chain_pem.empty()) {
    check.error = "unable to decode pem data for certificate";
    check.certificates.clear();
    return check;
  }
  check.ok = true;
  return check;
}

ServingCertCheck checkServingCertificate(std::string_view secret_namespace,
                                         std::string_view secret_name, std::string_view cert_pem,
                                         std::string_view key_pem, TimePoint now) {
  ServingCertCheck check;
  const std::string secret = std::string(secret_namespace) + "/" + std::string(secret_name);
  const std::string must_contain = secret + " must contain valid tls.crt and tls.key, ";

  ServingChainCheck chain = checkServingChain(cert_pem, now);
  if (!chain.ok) {
    check.error = must_contain + "unable to validate certificate in tls.crt: " + chain.error;
    return check;
  }
  const PemDecodeResult first = decodePem(chain.chain_pem);
  if (!first.block) {
    check.error = must_contain + "unable to decode pem data in tls.crt";
    return check;
  }
  ParsedCertificate leaf;
  if (std::string err = parseSingleCertificate(first.block->bytes, &leaf); !err.empty()) {
    check.error = must_contain + "unable to parse certificate in tls.crt: " + err;
    return check;
  }

  const std::optional<PemBlock> key_block = firstSupportedPrivateKeyBlock(key_pem);
  if (!key_block) {
    check.error = must_contain + "unable to decode pem data in tls.key";
    return check;
  }
  PrivateKey key;
  if (key_block->type == "PRIVATE KEY") {
    if (!parsePkcs8PrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse PKCS8 formatted private key in tls.key";
      return check;
    }
  } else if (key_block->type == "RSA PRIVATE KEY") {
    if (!parsePkcs1PrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse PKCS1 formatted private key in tls.key";
      return check;
    }
  } else if (key_block->type == "EC PRIVATE KEY") {
    if (!parseEcPrivateKey(key_block->bytes, &key).empty()) {
      check.error = must_contain + "unable to parse EC formatted private key in tls.key";
      return check;
    }
  } else {
    check.error = must_contain + key_block->type +
                  " key format found in tls.key, supported formats are PKCS1, PKCS8 or EC";
    return check;
  }

  const std::string key_pem_normalized = encodePemBlock(*key_block).value_or("");
  if (std::string err = checkX509KeyPair(chain.chain_pem, key_pem_normalized); !err.empty()) {
    check.error = secret + " must contain a matching tls.crt and tls.key: " + err;
    return check;
  }

  check.ok = true;
  check.chain_pem = std::move(chain.chain_pem);
  check.key_pem = key_pem_normalized;
  check.leaf = toCertificate(leaf);
  std::vector<std::string> domains = check.leaf.dns_names;
  if (domains.empty() && !check.leaf.common_name.empty()) domains.push_back(check.leaf.common_name);
  std::set<std::string> seen_domains;
  for (std::string& domain : domains) {
    if (seen_domains.insert(domain).second) check.certificate_domains.push_back(std::move(domain));
  }
  return check;
}

}  // namespace ctplab::policy::pki
