#include "pki/x509_certificate.h"

#include <set>
#include <utility>

#include "pki/der_reader.h"
#include "pki/go_pem.h"
#include "pki/go_strings.h"
#include "pki/sha256.h"
#include "pki/x509_certificate_internal.h"
#include "pki/x509_common.h"
#include "pki/x509_extensions.h"

namespace ctplab::policy::pki {
namespace {

// Go x509 parseCertificate, field by field in Go's order so the first failure matches.
std::string parseOneCertificate(std::string_view der, ParsedCertificate* cert) {
  Der input(der);
  if (!input.readElementWithContents(&cert->raw, &input, kTagSequence)) {
    return "x509: malformed certificate";
  }
  std::string_view tbs_element;
  Der tbs;
  if (!input.readElementWithContents(&tbs_element, &tbs, kTagSequence)) {
    return "x509: malformed tbs certificate";
  }

  int64_t version = 0;
  bool has_version = false;
  std::string_view version_bytes;
  if (!tbs.readOptional(&version_bytes, &has_version, contextConstructed(0))) {
    return "x509: malformed version";
  }
  if (has_version) {
    Der v(version_bytes);
    if (!v.readInt64(&version) || !v.empty()) return "x509: malformed version";
  }
  if (version < 0 || version > 3) return "x509: malformed version";
  ++version;
  if (version > 3) return "x509: invalid version";

  BigInt serial;
  if (!tbs.readBigInt(&serial)) return "x509: malformed serial number";
  if (serial.sign < 0) return "x509: negative serial number";

  if (std::string err = readSignatureAlgorithm(&tbs, &input); !err.empty()) return err;

  std::string issuer_cn;
  if (std::string err = readName(&tbs, &issuer_cn); !err.empty()) return err;

  std::string_view validity_bytes;
  if (!tbs.read(&validity_bytes, kTagSequence)) return "x509: malformed validity";
  Der validity(validity_bytes);
  if (std::string err = readAsn1Time(&validity, &cert->not_before); !err.empty()) return err;
  if (std::string err = readAsn1Time(&validity, &cert->not_after); !err.empty()) return err;

  if (std::string err = readName(&tbs, &cert->common_name); !err.empty()) return err;

  std::string_view spki_element;
  Der spki;
  if (!tbs.readElementWithContents(&spki_element, &spki, kTagSequence)) {
    return "x509: malformed spki";
  }
  std::string_view pk_ai;
  if (!spki.read(&pk_ai, kTagSequence)) {
    return "x509: malformed public key algorithm identifier";
  }
  Oid pk_algorithm;
  std::string_view pk_params;
  if (std::string err = parseAlgorithmIdentifier(pk_ai, &pk_algorithm, &pk_params); !err.empty()) {
    return err;
  }
  cert->public_key_algorithm = publicKeyAlgorithmFromOid(pk_algorithm);
  BitString spk;
  if (!spki.readBitString(&spk)) return "x509: malformed subjectPublicKey";
  if (cert->public_key_algorithm != 0) {
    if (std::string err = parsePublicKeyInfo(pk_algorithm, pk_params, spk, &cert->public_key);
        !err.empty()) {
      return err;
    }
  }

  if (version > 1) {
    if (!tbs.skipOptional(contextTag(1))) return "x509: malformed issuerUniqueID";
    if (!tbs.skipOptional(contextTag(2))) return "x509: malformed subjectUniqueID";
    if (version == 3) {
      std::vector<Extension> extensions;
      std::set<std::string> seen;
      const auto collect = [&](const Extension& ext) -> std::string {
        const std::string oid_text = oidToString(ext.id);
        if (!seen.insert(oid_text).second) {
          return "x509: certificate contains duplicate extension with OID " + goQuote(oid_text);
        }
        extensions.push_back(ext);
        return {};
      };
      if (std::string err = forEachTaggedExtension(&tbs, contextConstructed(3), collect);
          !err.empty()) {
        return err;
      }
      if (std::string err = processExtensions(extensions, &cert->dns_names); !err.empty()) {
        return err;
      }
    }
  }

  BitString signature;
  if (!input.readBitString(&signature)) return "x509: malformed signature";
  return {};
}

}  // namespace

Certificate toCertificate(const ParsedCertificate& parsed) {
  Certificate cert;
  cert.der = std::string(parsed.raw);
  cert.pem = encodePemBlock(PemBlock{"CERTIFICATE", {}, cert.der}).value_or("");
  cert.common_name = parsed.common_name;
  cert.not_before = toTimePoint(parsed.not_before.unix_seconds);
  cert.not_after = toTimePoint(parsed.not_after.unix_seconds);
  cert.not_before_text = formatGoTimeValue(parsed.not_before);
  cert.not_after_text = formatGoTimeValue(parsed.not_after);
  cert.sha256_hex = sha256Hex(cert.der);
  cert.dns_names = parsed.dns_names;
  cert.public_key_algorithm = publicKeyAlgorithmName(parsed.public_key_algorithm);
  return cert;
}

std::string parseCertificateList(std::string_view der, std::vector<ParsedCertificate>* out) {
  out->clear();
  while (!der.empty()) {
    ParsedCertificate cert;
    if (std::string err = parseOneCertificate(der, &cert); !err.empty()) {
      out->clear();
      return err;
    }
    der.remove_prefix(cert.raw.size());
    out->push_back(std::move(cert));
  }
  return {};
}

std::string parseSingleCertificate(std::string_view der, ParsedCertificate* out) {
  if (std::string err = parseOneCertificate(der, out); !err.empty()) return err;
  if (der.size() != out->raw.size()) return "x509: trailing data";
  return {};
}

ParseCertificatesResult parseCertificates(std::string_view der) {
  ParseCertificatesResult result;
  std::vector<ParsedCertificate> parsed;
  result.error = parseCertificateList(der, &parsed);
  result.ok = result.error.empty();
  if (result.ok) {
    for (const ParsedCertificate& cert : parsed) result.certificates.push_back(toCertificate(cert));
  }
  return result;
}

ParseCertificatesResult parseCertificate(std::string_view der) {
  ParseCertificatesResult result;
  ParsedCertificate parsed;
  result.error = parseSingleCertificate(der, &parsed);
  result.ok = result.error.empty();
  if (result.ok) result.certificates.push_back(toCertificate(parsed));
  return result;
}

}  // namespace ctplab::policy::pki
