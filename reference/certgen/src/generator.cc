#include "ctplab/certgen/generator.h"

#include <openssl/obj_mac.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "derived_keys.h"
#include "encoding.h"
#include "seed_stream.h"

namespace ctplab::certgen {
namespace {

constexpr int64_t kDay = 86'400;

// X509V3_EXT_conf_nid parses OpenSSL's config syntax; it is used only for values built here from
// fixed words and integers, never for user strings (those go through GENERAL_NAME below).
bool addConfExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, nullptr, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool isIa5Text(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

Result<GeneralNamePtr> ia5Name(int type, const std::string& value, const char* what) {
  if (!isIa5Text(value)) {
    return Error{std::string("SAN ") + what + " \"" + value +
                 "\" must be non-empty printable ASCII without spaces"};
  }
  Asn1Ia5StringPtr text(ASN1_IA5STRING_new());
  GeneralNamePtr name(GENERAL_NAME_new());
  if (!text || !name ||
      ASN1_STRING_set(text.get(), value.data(), static_cast<int>(value.size())) != 1) {
    return opensslError("cannot encode a SAN");
  }
  GENERAL_NAME_set0_value(name.get(), type, text.release());
  return name;
}

Result<GeneralNamePtr> ipName(const std::string& value) {
  Asn1OctetStringPtr address(a2i_IPADDRESS(value.c_str()));
  if (!address) return Error{"SAN IP \"" + value + "\" is not an IPv4 or IPv6 address"};
  GeneralNamePtr name(GENERAL_NAME_new());
  if (!name) return opensslError("cannot encode a SAN");
  GENERAL_NAME_set0_value(name.get(), GEN_IPADD, address.release());
  return name;
}

// An empty subject makes the SAN the only identity, which RFC 5280 4.2.1.6 requires be critical.
std::optional<Error> addSubjectAltNames(X509* cert, const CertSpec& spec, bool critical) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return opensslError("cannot allocate SANs");
  auto push = [&](Result<GeneralNamePtr> name) -> std::optional<Error> {
    if (!name) return name.error();
    if (sk_GENERAL_NAME_push(names.get(), name.value().get()) <= 0) {
      return opensslError("cannot add a SAN");
    }
    name.value().release();  // owned by `names` now
    return std::nullopt;
  };
  for (const auto& d : spec.dns) {
    if (auto err = push(ia5Name(GEN_DNS, d, "DNS name"))) return err;
  }
  for (const auto& ip : spec.ips) {
    if (auto err = push(ipName(ip))) return err;
  }
  for (const auto& u : spec.uris) {
    if (auto err = push(ia5Name(GEN_URI, u, "URI"))) return err;
  }
  for (const auto& e : spec.emails) {
    if (auto err = push(ia5Name(GEN_EMAIL, e, "email"))) return err;
  }
  if (sk_GENERAL_NAME_num(names.get()) == 0) return std::nullopt;
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), critical ? 1 : 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return opensslError("cannot add the subjectAltName extension");
  }
  return std::nullopt;
}

bool subjectIsEmpty(const Subject& s) {
  return s.common_name.empty() && s.organization.empty() && s.organizational_unit.empty() &&
         s.locality.empty() && s.state.empty() && s.country.empty();
}

// Explicit string types instead of MBSTRING_UTF8: the latter consults a process-wide mask
// (ASN1_STRING_set_default_mask) that would make the encoding depend on unrelated code.
std::optional<Error> buildName(X509_NAME* name, const Subject& s) {
  if (!s.country.empty()) {
    if (s.country.size() != 2 || !std::isalpha(static_cast<unsigned char>(s.country[0])) ||
        !std::isalpha(static_cast<unsigned char>(s.country[1]))) {
      return Error{"country \"" + s.country + "\" must be a two-letter code"};
    }
  }
  const std::array<std::pair<int, const std::string*>, 6> fields = {{
      {NID_countryName, &s.country},
      {NID_stateOrProvinceName, &s.state},
      {NID_localityName, &s.locality},
      {NID_organizationName, &s.organization},
      {NID_organizationalUnitName, &s.organizational_unit},
      {NID_commonName, &s.common_name},
  }};
  for (const auto& [nid, value] : fields) {
    if (value->empty()) continue;
    const int type = nid == NID_countryName ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
    if (X509_NAME_add_entry_by_NID(name, nid, type,
                                   reinterpret_cast<const unsigned char*>(value->data()),
                                   static_cast<int>(value->size()), -1, 0) != 1) {
      return opensslError("cannot encode the subject");
    }
  }
  return std::nullopt;
}

Result<Asn1OctetStringPtr> keyIdentifier(const X509* cert) {
  // RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's value.
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  Asn1OctetStringPtr id(ASN1_OCTET_STRING_new());
  if (!id || X509_pubkey_digest(cert, EVP_sha1(), md.data(), &len) != 1 ||
      ASN1_OCTET_STRING_set(id.get(), md.data(), static_cast<int>(len)) != 1) {
    return opensslError("cannot compute a key identifier");
  }
  return id;
}

Result<AuthorityKeyIdPtr> authorityKeyId(X509* issuer) {
  AuthorityKeyIdPtr akid(AUTHORITY_KEYID_new());
  if (!akid) return opensslError("cannot allocate an authorityKeyIdentifier");
  if (const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(issuer)) {
    akid->keyid = ASN1_OCTET_STRING_dup(ski);
  } else {
    auto computed = keyIdentifier(issuer);
    if (!computed) return computed.error();
    akid->keyid = computed.value().release();
  }
  if (akid->keyid == nullptr) return opensslError("cannot copy the issuer's key identifier");
  return akid;
}

// 16 stream bytes with the top bit cleared (serials are positive INTEGERs) and the next bit set,
// so every serial encodes in exactly 16 octets and prints as 32 hex digits.
std::array<unsigned char, 16> serialBytes(uint64_t seed, const std::string& label, bool& ok) {
  std::array<unsigned char, 16> bytes{};
  SeedStream stream(seed, "serial/" + label);
  ok = stream.read(bytes.data(), bytes.size());
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  return bytes;
}

std::optional<Error> validate(const CertSpec& spec) {
  if (spec.label.empty()) return Error{"a certificate needs a label"};
  const std::string where = "certificate \"" + spec.label + "\": ";
  if (spec.validity.not_before == TimePoint() && spec.validity.not_after == TimePoint()) {
    return Error{where + "validity is unset (use a Validity preset or explicit times)"};
  }
  if (spec.validity.not_after < spec.validity.not_before) {
    return Error{where + "not_after is before not_before"};
  }
  if (spec.path_len && !spec.ca) return Error{where + "path_len is only for CAs"};
  if (spec.path_len && *spec.path_len < 0) return Error{where + "path_len must be >= 0"};
  if (spec.ca && subjectIsEmpty(spec.subject)) {
    return Error{where + "a CA needs a subject: it becomes its certificates' issuer name"};
  }
  if (subjectIsEmpty(spec.subject) && spec.dns.empty() && spec.ips.empty() && spec.uris.empty() &&
      spec.emails.empty()) {
    return Error{where + "needs a subject or a subject alternative name"};
  }
  return std::nullopt;
}

Result<Issued> build(uint64_t seed, const CertSpec& spec, const Issued* issuer_in) {
  if (auto err = validate(spec)) return *err;
  const std::string where = "certificate \"" + spec.label + "\": ";

  X509Ptr issuer_cert;
  EvpPkeyPtr issuer_key;
  if (issuer_in != nullptr) {
    issuer_cert = parseCertDer(issuer_in->cert_der);
    issuer_key = parsePrivateKeyPem(issuer_in->key_pem);
    if (!issuer_cert || !issuer_key) {
      return opensslError(where + "cannot read issuer \"" + issuer_in->label + "\"");
    }
    if (X509_check_private_key(issuer_cert.get(), issuer_key.get()) != 1) {
      return opensslError(where + "issuer \"" + issuer_in->label + "\" key does not match");
    }
    if (!EVP_PKEY_is_a(issuer_key.get(), "RSA")) {
      return Error{where + "issuer \"" + issuer_in->label +
                   "\" has no RSA key; only RSA signatures are deterministic"};
    }
  } else if (spec.key != KeyType::kRsa2048) {
    return Error{where +
                 "a self-signed certificate needs an RSA key; only RSA signatures are "
                 "deterministic"};
  }

  Result<EvpPkeyPtr> derived = deriveKey(seed, spec.label, spec.key);
  if (!derived) return Error{where + derived.error().message};
  EvpPkeyPtr key = std::move(derived).value();

  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return opensslError(where + "cannot allocate");
  }
  X509* signer_cert = issuer_cert ? issuer_cert.get() : cert.get();
  EVP_PKEY* signer_key = issuer_key ? issuer_key.get() : key.get();

  bool serial_ok = false;
  const auto serial = serialBytes(seed, spec.label, serial_ok);
  BignumPtr serial_bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (!serial_ok || !serial_bn ||
      BN_to_ASN1_INTEGER(serial_bn.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return opensslError(where + "cannot set the serial number");
  }

  if (auto err = buildName(X509_get_subject_name(cert.get()), spec.subject)) {
    return Error{where + err->message};
  }
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert)) != 1) {
    return opensslError(where + "cannot set the issuer name");
  }
  Asn1TimePtr not_before = asn1Time(spec.validity.not_before);
  Asn1TimePtr not_after = asn1Time(spec.validity.not_after);
  if (!not_before || !not_after || X509_set1_notBefore(cert.get(), not_before.get()) != 1 ||
      X509_set1_notAfter(cert.get(), not_after.get()) != 1) {
    return opensslError(where + "cannot set the validity");
  }
  if (X509_set_pubkey(cert.get(), key.get()) != 1) {
    return opensslError(where + "cannot set the public key");
  }

  // Extensions in a fixed order; nothing in them depends on anything but the spec and the keys.
  std::string basic = spec.ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
  if (spec.path_len) basic += ",pathlen:" + std::to_string(*spec.path_len);
  std::string usage = spec.ca                         ? "critical,keyCertSign,cRLSign"
                      : spec.key == KeyType::kRsa2048 ? "critical,digitalSignature,keyEncipherment"
                                                      : "critical,digitalSignature";
  if (!addConfExtension(cert.get(), NID_basic_constraints, basic) ||
      !addConfExtension(cert.get(), NID_key_usage, usage)) {
    return opensslError(where + "cannot add basicConstraints/keyUsage");
  }
  if (spec.server_auth || spec.client_auth) {
    std::string eku;
    if (spec.server_auth) eku = "serverAuth";
    if (spec.client_auth) eku += eku.empty() ? "clientAuth" : ",clientAuth";
    if (!addConfExtension(cert.get(), NID_ext_key_usage, eku)) {
      return opensslError(where + "cannot add extendedKeyUsage");
    }
  }
  Result<Asn1OctetStringPtr> ski = keyIdentifier(cert.get());
  if (!ski) return Error{where + ski.error().message};
  if (X509_add1_ext_i2d(cert.get(), NID_subject_key_identifier, ski.value().get(), 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return opensslError(where + "cannot add subjectKeyIdentifier");
  }
  // Computed after the SKI so a self-signed certificate's AKI repeats its own SKI.
  Result<AuthorityKeyIdPtr> akid = authorityKeyId(signer_cert);
  if (!akid) return Error{where + akid.error().message};
  if (X509_add1_ext_i2d(cert.get(), NID_authority_key_identifier, akid.value().get(), 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return opensslError(where + "cannot add authorityKeyIdentifier");
  }
  if (auto err = addSubjectAltNames(cert.get(), spec, subjectIsEmpty(spec.subject))) {
    return Error{where + err->message};
  }

  // RSA signing uses PKCS#1 v1.5 by default: deterministic for a given key and message.
  if (X509_sign(cert.get(), signer_key, EVP_sha256()) <= 0) {
    return opensslError(where + "cannot sign");
  }

  Issued out;
  out.label = spec.label;
  auto pem = certPem(cert.get());
  auto der = certDer(cert.get());
  auto key_pem = privateKeyPem(key.get());
  if (!pem) return pem.error();
  if (!der) return der.error();
  if (!key_pem) return key_pem.error();
  out.cert_pem = std::move(pem).value();
  out.cert_der = std::move(der).value();
  out.key_pem = std::move(key_pem).value();
  out.chain_pem = out.cert_pem;
  if (issuer_in != nullptr && X509_self_signed(issuer_cert.get(), 0) != 1) {
    out.chain_pem += issuer_in->chain_pem;  // a self-signed issuer is the trust anchor: not sent
  }
  out.serial_hex = hexUpper(serial.data(), serial.size());
  return out;
}

}  // namespace

Validity Validity::current(TimePoint now) {
  return {now - Duration::seconds(kDay), now + Duration::seconds(365 * kDay)};
}
Validity Validity::expired(TimePoint now) {
  return {now - Duration::seconds(30 * kDay), now - Duration::seconds(kDay)};
}
Validity Validity::notYetValid(TimePoint now) {
  return {now + Duration::seconds(kDay), now + Duration::seconds(30 * kDay)};
}
Validity Validity::certificateAuthority(TimePoint now) {
  return {now - Duration::seconds(365 * kDay), now + Duration::seconds(3650 * kDay)};
}

Result<Issued> Generator::selfSigned(const CertSpec& spec) const {
  return build(seed_, spec, nullptr);
}

Result<Issued> Generator::issue(const CertSpec& spec, const Issued& issuer) const {
  return build(seed_, spec, &issuer);
}

Result<std::string> Generator::crl(const Issued& ca, const std::vector<std::string>& revoked,
                                   TimePoint this_update, TimePoint next_update) const {
  const std::string where = "CRL by \"" + ca.label + "\": ";
  if (next_update < this_update) return Error{where + "next_update is before this_update"};
  X509Ptr ca_cert = parseCertDer(ca.cert_der);
  EvpPkeyPtr ca_key = parsePrivateKeyPem(ca.key_pem);
  if (!ca_cert || !ca_key) return opensslError(where + "cannot read the CA");
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    return opensslError(where + "the CA's key does not match its certificate");
  }
  if (!EVP_PKEY_is_a(ca_key.get(), "RSA")) {
    return Error{where + "the CA has no RSA key; only RSA signatures are deterministic"};
  }

  X509CrlPtr crl(X509_CRL_new());
  Asn1TimePtr last = asn1Time(this_update);
  Asn1TimePtr next = asn1Time(next_update);
  if (!crl || !last || !next || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return opensslError(where + "cannot fill in the CRL");
  }

  // A set: duplicates collapse and the entries come out in one order whatever the input order.
  std::set<std::string> serials;
  for (const auto& hex : revoked) {
    std::string upper;
    for (char c : hex)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (upper.empty() || upper.find_first_not_of("0123456789ABCDEF") != std::string::npos) {
      return Error{where + "revoked serial \"" + hex + "\" is not hexadecimal"};
    }
    serials.insert(upper.substr(std::min(upper.find_first_not_of('0'), upper.size() - 1)));
  }
  for (const auto& hex : serials) {
    BIGNUM* raw = nullptr;
    if (BN_hex2bn(&raw, hex.c_str()) == 0) return opensslError(where + "cannot parse " + hex);
    BignumPtr bn(raw);
    Asn1IntegerPtr number(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    X509RevokedPtr entry(X509_REVOKED_new());
    if (!number || !entry || X509_REVOKED_set_serialNumber(entry.get(), number.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry.get(), last.get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry.get()) != 1) {
      return opensslError(where + "cannot add revoked serial " + hex);
    }
    entry.release();  // owned by the CRL now
  }
  if (X509_CRL_sort(crl.get()) != 1) return opensslError(where + "cannot sort the entries");

  Result<AuthorityKeyIdPtr> akid = authorityKeyId(ca_cert.get());
  if (!akid) return Error{where + akid.error().message};
  // The CRL number only has to grow between CRLs of one issuer; this_update does, and keeps the
  // number a function of the inputs.
  BignumPtr number_bn(BN_new());
  if (!number_bn || BN_set_word(number_bn.get(), static_cast<BN_ULONG>(std::max<int64_t>(
                                                     0, this_update.unixSeconds()))) != 1) {
    return opensslError(where + "cannot compute the CRL number");
  }
  Asn1IntegerPtr crl_number(BN_to_ASN1_INTEGER(number_bn.get(), nullptr));
  if (!crl_number ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, akid.value().get(), 0,
                            X509V3_ADD_DEFAULT) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, X509V3_ADD_DEFAULT) !=
          1) {
    return opensslError(where + "cannot add the CRL extensions");
  }
  if (X509_CRL_sign(crl.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return opensslError(where + "cannot sign");
  }
  return crlPem(crl.get());
}

}  // namespace ctplab::certgen
