// Compiling and running the post-verification client certificate checks.
#include "ctplab/proxy/tls/client_cert_checks.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

namespace ctplab::proxy::tls {
namespace {

using namespace std::string_view_literals;

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return lowerAscii(c); });
  return out;
}

bool labelWildcardMatch(std::string_view label, std::string_view pattern) {
  if (pattern == "*") return true;
  if (std::count(pattern.begin(), pattern.end(), '*') != 1) return false;
  const size_t star = pattern.find('*');
  const std::string_view prefix = pattern.substr(0, star);
  const std::string_view suffix = pattern.substr(star + 1);
  return pattern.size() <= label.size() + 1 && label.starts_with(prefix) && label.ends_with(suffix);
}

bool stringMatches(const SanMatcher& m, std::string_view san) {
  switch (m.kind) {
    case SanMatcher::Kind::kExact:
      return san == m.value;
    case SanMatcher::Kind::kPrefix:
      return san.starts_with(m.value);
    case SanMatcher::Kind::kSuffix:
      return san.ends_with(m.value);
    case SanMatcher::Kind::kRegex:
      return m.regex != nullptr && re2::RE2::FullMatch(san, *m.regex);
  }
  return false;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Envoy strips colons only from a 95-character fingerprint (32 pairs, 31 colons); anything else
// must already be plain hex.
std::optional<std::string> hashPin(std::string text) {
  if (text.size() == 95) text.erase(std::remove(text.begin(), text.end(), ':'), text.end());
  if (text.size() != 64) return std::nullopt;
  for (char c : text) {
    if (hexValue(c) < 0) return std::nullopt;
  }
  return lowerAscii(text);
}

// A base64 SHA-256 (32 bytes: 44 characters with one '=') in its one canonical spelling: OpenSSL
// decodes it and encodes it again, and any other spelling (another alphabet, stray bits past the
// data, whitespace, more padding) comes back different, as Envoy's strict decoder refuses it.
bool canonicalBase64Sha256(const std::string& text) {
  if (text.size() != 44) return false;
  unsigned char bytes[33];
  if (EVP_DecodeBlock(bytes, reinterpret_cast<const unsigned char*>(text.data()), 44) != 33) {
    return false;
  }
  unsigned char again[45];
  EVP_EncodeBlock(again, bytes, 32);
  return text == reinterpret_cast<const char*>(again);
}

// OpenSSL reads names ("msUPN") as well as dotted OIDs, as Envoy's OBJ_txt2obj(oid, 0) does; the
// matcher keeps the dotted form PeerCertificate reports.
std::optional<std::string> dottedOid(const std::string& text) {
  ERR_set_mark();
  std::optional<std::string> out;
  if (ASN1_OBJECT* object = OBJ_txt2obj(text.c_str(), 0)) {
    constexpr int kMaxOidLength = 256;
    std::array<char, kMaxOidLength> buf{};
    const int length = OBJ_obj2txt(buf.data(), kMaxOidLength, object, 1);
    if (length > 0 && length < kMaxOidLength) out = std::string(buf.data());
    ASN1_OBJECT_free(object);
  }
  ERR_pop_to_mark();
  return out;
}

Result<SanMatcher> compileSanMatcher(const policy::ir::StringMatch& m, size_t index) {
  const std::string where = "match_typed_subject_alt_names[" + std::to_string(index) + "]";
  SanMatcher out;
  if (m.name == "DNS") {
    out.type = SanType::kDns;
  } else if (m.name == "EMAIL") {
    out.type = SanType::kEmail;
  } else if (m.name == "IP_ADDRESS") {
    out.type = SanType::kIpAddress;
  } else if (m.name == "URI") {
    out.type = SanType::kUri;
  } else {
    auto oid = dottedOid(m.name);
    if (!oid) return Error{where + ": invalid otherName OID \"" + m.name + "\""};
    out.type = SanType::kOtherName;
    out.oid = std::move(*oid);
  }
  // The first pattern set wins, in the order Envoy Gateway's translator tests them.
  if (m.exact) {
    out.kind = SanMatcher::Kind::kExact;
    out.value = *m.exact;
  } else if (m.prefix) {
    out.kind = SanMatcher::Kind::kPrefix;
    out.value = *m.prefix;
  } else if (m.suffix) {
    out.kind = SanMatcher::Kind::kSuffix;
    out.value = *m.suffix;
  } else if (m.safe_regex) {
    out.kind = SanMatcher::Kind::kRegex;
    out.value = *m.safe_regex;
  } else {
    return Error{where + ": no string match"};
  }
  // Envoy's proto validation: only an exact value may be empty.
  if (out.kind != SanMatcher::Kind::kExact && out.value.empty()) {
    return Error{where + ": empty match value"};
  }
  if (out.kind == SanMatcher::Kind::kRegex) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto regex = std::make_shared<const re2::RE2>(out.value, options);
    if (!regex->ok()) {
      return Error{where + ": invalid regular expression \"" + out.value + "\": " + regex->error()};
    }
    out.regex = std::move(regex);
  }
  return out;
}

bool anyMatches(const SanMatcher& m, const std::vector<std::string>& sans) {
  return std::any_of(sans.begin(), sans.end(),
                     [&m](const std::string& san) { return stringMatches(m, san); });
}

}  // namespace

bool dnsNameMatch(std::string_view dns_name, std::string_view pattern) {
  const std::string name = lowerAscii(dns_name);
  const std::string pat = lowerAscii(pattern);
  if (name == pat) return true;
  const size_t name_dot = name.find('.');
  const size_t pat_dot = pat.find('.');
  if (name_dot == std::string::npos || pat_dot == std::string::npos) return false;
  const std::string_view name_first = std::string_view(name).substr(0, name_dot);
  const std::string_view name_rest = std::string_view(name).substr(name_dot + 1);
  const std::string_view pat_first = std::string_view(pat).substr(0, pat_dot);
  const std::string_view pat_rest = std::string_view(pat).substr(pat_dot + 1);
  // RFC 6125 6.4.3: a wildcard never sits in an IDNA A-label, and only in the first label.
  if (pat_first.find('*') == std::string_view::npos ||
      pat_rest.find('*') != std::string_view::npos || pat_first.starts_with("xn--"sv)) {
    return false;
  }
  return name_rest == pat_rest && labelWildcardMatch(name_first, pat_first);
}

bool SanMatcher::matches(const PeerCertificate& cert) const {
  switch (type) {
    case SanType::kDns:
      if (kind == Kind::kExact) {
        return std::any_of(cert.dns_sans.begin(), cert.dns_sans.end(),
                           [this](const std::string& san) { return dnsNameMatch(value, san); });
      }
      return anyMatches(*this, cert.dns_sans);
    case SanType::kEmail:
      return anyMatches(*this, cert.email_sans);
    case SanType::kIpAddress:
      return anyMatches(*this, cert.ip_sans);
    case SanType::kUri:
      return anyMatches(*this, cert.uri_sans);
    case SanType::kOtherName:
      return std::any_of(cert.other_name_sans.begin(), cert.other_name_sans.end(),
                         [this](const OtherNameSan& san) {
                           return san.oid == oid && stringMatches(*this, san.value);
                         });
  }
  return false;
}

Result<ClientCertChecks> ClientCertChecks::fromTls(const policy::ir::TLSConfig& tls) {
  ClientCertChecks checks;
  for (size_t i = 0; i < tls.match_typed_subject_alt_names.size(); ++i) {
    auto matcher = compileSanMatcher(tls.match_typed_subject_alt_names[i], i);
    if (!matcher) return matcher.error();
    checks.san_matchers_.push_back(std::move(matcher).value());
  }
  for (const std::string& entry : tls.verify_certificate_hash) {
    auto pin = hashPin(entry);
    if (!pin)
      return Error{"verify_certificate_hash: invalid hex-encoded SHA-256 \"" + entry + "\""};
    checks.hash_pins_.push_back(std::move(*pin));
  }
  for (const std::string& entry : tls.verify_certificate_spki) {
    if (!canonicalBase64Sha256(entry)) {
      return Error{"verify_certificate_spki: invalid base64-encoded SHA-256 \"" + entry + "\""};
    }
    // One spelling per value, so the text compares as the bytes would.
    checks.spki_pins_.push_back(entry);
  }
  return checks;
}

ClientCertCheck ClientCertChecks::check(const PeerCertificate& leaf) const {
  if (!san_matchers_.empty() &&
      std::none_of(san_matchers_.begin(), san_matchers_.end(),
                   [&leaf](const SanMatcher& m) { return m.matches(leaf); })) {
    return ClientCertCheck::kFailSan;
  }
  if (!hash_pins_.empty() || !spki_pins_.empty()) {
    const bool pinned =
        std::find(hash_pins_.begin(), hash_pins_.end(), leaf.sha256_hex) != hash_pins_.end() ||
        std::find(spki_pins_.begin(), spki_pins_.end(), leaf.spki_sha256_base64) !=
            spki_pins_.end();
    if (!pinned) return ClientCertCheck::kFailCertHash;
  }
  return ClientCertCheck::kOk;
}

}  // namespace ctplab::proxy::tls
