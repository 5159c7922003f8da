#include "pki/x509_crl.h"

#include "pki/der_reader.h"
#include "pki/go_pem.h"
#include "pki/pki.h"
#include "pki/x509_common.h"

namespace ctplab::policy::pki {
namespace {

const Oid kOidExtensionAuthorityKeyId = {2, 5, 29, 35};
const Oid kOidExtensionCrlNumber = {2, 5, 29, 20};
const Oid kOidExtensionReasonCode = {2, 5, 29, 21};

// The revokedCertificates entries: only their structure can fail the parse.
std::string checkRevokedCertificates(std::string_view revoked_bytes) {
  Der revoked(revoked_bytes);
  while (!revoked.empty()) {
    std::string_view entry_element;
    Der entry;
    if (!revoked.readElementWithContents(&entry_element, &entry, kTagSequence)) {
      return "x509: malformed crl";
    }
    BigInt serial;
    if (!entry.readBigInt(&serial)) return "x509: malformed serial number";
    GoTime revoked_at;
    if (std::string err = readAsn1Time(&entry, &revoked_at); !err.empty()) return err;
    std::string_view ext_bytes;
    bool present = false;
    if (!entry.readOptional(&ext_bytes, &present, kTagSequence)) {
      return "x509: malformed extensions";
    }
    if (!present) continue;
    const std::string err = forEachExtension(ext_bytes, [](const Extension& ext) -> std::string {
      if (ext.id != kOidExtensionReasonCode) return {};
      Der val(ext.value);
      int64_t reason = 0;
      if (!val.readEnum(&reason)) return "x509: malformed reasonCode extension";
      return {};
    });
    if (!err.empty()) return err;
  }
  return {};
}

// The crlExtensions Go inspects while parsing.
std::string checkCrlExtension(const Extension& ext) {
  if (ext.id == kOidExtensionAuthorityKeyId) return checkAuthorityKeyIdentifier(ext);
  if (ext.id == kOidExtensionCrlNumber) {
    Der val(ext.value);
    BigInt number;
    if (!val.readBigInt(&number)) return "x509: malformed crl number";
  }
  return {};
}

}  // namespace

std::string parseRevocationList(std::string_view der, ParsedCrl* crl) {
  Der input(der);
  std::string_view element;
  if (!input.readElementWithContents(&element, &input, kTagSequence)) return "x509: malformed crl";
  std::string_view tbs_element;
  Der tbs;
  if (!input.readElementWithContents(&tbs_element, &tbs, kTagSequence)) {
    return "x509: malformed tbs crl";
  }

  if (!tbs.peekTag(kTagInteger)) return "x509: unsupported crl version";
  int64_t version = 0;
  if (!tbs.readInt64(&version)) return "x509: malformed crl";
  if (version != 1) return "x509: unsupported crl version: " + std::to_string(version);

  if (std::string err = readSignatureAlgorithm(&tbs, &input); !err.empty()) return err;
  BitString signature;
  if (!input.readBitString(&signature)) return "x509: malformed signature";

  std::string issuer_cn;
  if (std::string err = readName(&tbs, &issuer_cn); !err.empty()) return err;

  if (std::string err = readAsn1Time(&tbs, &crl->this_update); !err.empty()) return err;
  if (tbs.peekTag(kTagGeneralizedTime) || tbs.peekTag(kTagUtcTime)) {
    if (std::string err = readAsn1Time(&tbs, &crl->next_update); !err.empty()) return err;
    crl->has_next_update = true;
  }

  if (tbs.peekTag(kTagSequence)) {
    std::string_view revoked_bytes;
    if (!tbs.read(&revoked_bytes, kTagSequence)) return "x509: malformed crl";
    if (std::string err = checkRevokedCertificates(revoked_bytes); !err.empty()) return err;
  }

  return forEachTaggedExtension(&tbs, contextConstructed(0), checkCrlExtension);
}

CrlCheck checkCrl(std::string_view pem_data, TimePoint now) {
  CrlCheck check;
  check.pem = std::string(pem_data);
  const PemDecodeResult decoded = decodePem(pem_data);
  if (!decoded.block) {
    check.error = "unable to decode pem data for CRL";
    return check;
  }
  ParsedCrl crl;
  if (std::string err = parseRevocationList(decoded.block->bytes, &crl); !err.empty()) {
    check.error = "failed to parse CRL: " + err;
    return check;
  }
  const bool next_is_zero = crl.next_update.unix_seconds == kGoZeroTimeUnix;
  if (crl.has_next_update && !next_is_zero && compareNowTo(now, crl.next_update.unix_seconds) > 0) {
    check.error =
        "CRL is expired (next update was due at " + formatGoTimeValue(crl.next_update) + ")";
    return check;
  }
  if (compareNowTo(now, crl.this_update.unix_seconds) < 0) {
    check.error =
        "CRL is not yet valid (this update starts at " + formatGoTimeValue(crl.this_update) + ")";
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace ctplab::policy::pki
