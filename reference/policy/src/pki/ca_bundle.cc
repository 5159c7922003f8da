#include <optional>
#include <utility>

#include "pki/cert_block.h"
#include "pki/go_pem.h"
#include "pki/pki.h"
#include "pki/sha256.h"

namespace ctplab::policy::pki {
namespace {

// errors.Join renders its errors one per line.
std::string joinLines(const std::vector<std::string>& errors) {
  std::string out;
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) out.push_back('\n');
    out += errors[i];
  }
  return out;
}

}  // namespace

std::vector<Certificate> CaBundleCheck::certificates() const {
  std::vector<Certificate> out;
  for (const CertificateBlock& block : valid) {
    out.insert(out.end(), block.certificates.begin(), block.certificates.end());
  }
  return out;
}

CaBundleCheck checkCaBundle(std::string_view pem_data, TimePoint now) {
  CaBundleCheck check;
  if (pem_data.empty()) {
    check.reason = CertRefReason::kInvalidCertificateRef;
    check.error = "no certificate data provided";
    return check;
  }
  std::string_view rest = pem_data;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    CertificateBlock valid;
    if (std::string err = validateCertBlock(*decoded.block, now, &valid.certificates);
        !err.empty()) {
      check.errors.push_back(std::move(err));
      continue;
    }
    // A nil EncodeToMemory result appends nothing upstream; the block is then dropped here too.
    std::optional<std::string> encoded = encodePemBlock(*decoded.block);
    if (!encoded) continue;
    valid.block = std::move(*decoded.block);
    valid.pem = std::move(*encoded);
    check.pem += valid.pem;
    check.valid.push_back(std::move(valid));
  }
  if (check.pem.empty()) {
    check.reason = CertRefReason::kInvalidCertificateRef;
    check.error = check.errors.empty() ? "unable to decode pem data for certificate"
                                       : joinLines(check.errors);
    check.valid.clear();
    return check;
  }
  if (!check.errors.empty()) {
    check.reason = CertRefReason::kPartiallyInvalidCertificateRef;
    check.error = joinLines(check.errors);
  }
  return check;
}

std::string noValidCertificatesMessage(std::string_view ref_name, const CaBundleCheck& check) {
  return "no valid certificates exist in " + std::string(ref_name) + ": " + check.error;
}

std::string encodePem(const std::vector<Certificate>& certs) {
  std::string out;
  for (const Certificate& cert : certs) {
    out += encodePemBlock(PemBlock{"CERTIFICATE", {}, cert.der}).value_or("");
  }
  return out;
}

std::string appendDedupPem(std::string_view dst, std::string_view src,
                           std::set<std::string>* seen) {
  std::string out(dst);
  std::string_view rest = dst;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    if (decoded.block->type == "CERTIFICATE") seen->insert(sha256Bytes(decoded.block->bytes));
  }
  rest = src;
  while (!rest.empty()) {
    PemDecodeResult decoded = decodePem(rest);
    if (!decoded.block) break;
    rest = decoded.rest;
    if (decoded.block->type == "CERTIFICATE" &&
        !seen->insert(sha256Bytes(decoded.block->bytes)).second) {
      continue;
    }
    out += encodePemBlock(*decoded.block).value_or("");
  }
  return out;
}

}  // namespace ctplab::policy::pki
