#include "pki/x509_extensions.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <string_view>
#include <utility>

#include "ctplab/common/ip_address.h"
#include "pki/der_reader.h"
#include "pki/go_strings.h"

namespace ctplab::policy::pki {
namespace {

const Oid kOidAuthorityInfoAccess = {1, 3, 6, 1, 5, 5, 7, 1, 1};

// Go x509 domainNameValid (the relaxed form Go restored in late 2025, TODO(#75835)).
bool domainNameValid(std::string_view s, bool constraint) {
  if (s.empty()) return true;
  if (s.back() == '.') return false;
  if (constraint && s[0] == '.') s.remove_prefix(1);
  int64_t last_dot = -1;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && (static_cast<uint8_t>(s[i]) < 33 || static_cast<uint8_t>(s[i]) > 126)) {
      return false;
    }
    if (i == s.size() || s[i] == '.') {
      int64_t label_len = static_cast<int64_t>(i);
      if (last_dot >= 0) label_len -= last_dot + 1;
      if (label_len == 0) return false;
      last_dot = static_cast<int64_t>(i);
    }
  }
  return true;
}

// Go x509 parseRFC2821Mailbox, reduced to the accept/reject decision.
bool parseRfc2821Mailbox(std::string_view in) {
  if (in.empty()) return false;
  std::string local;
  if (in[0] == '"') {
    in.remove_prefix(1);
    for (;;) {
      if (in.empty()) return false;
      const auto c = static_cast<uint8_t>(in[0]);
      in.remove_prefix(1);
      if (c == '"') break;
      if (c == '\\') {
        if (in.empty()) return false;
        const auto q = static_cast<uint8_t>(in[0]);
        if (q == 11 || q == 12 || (q >= 1 && q <= 9) || (q >= 14 && q <= 127)) {
          local.push_back(static_cast<char>(q));
          in.remove_prefix(1);
        } else {
          return false;
        }
        continue;
      }
      if (c == 11 || c == 12 || c == 32 || c == 33 || c == 127 || (c >= 1 && c <= 8) ||
          (c >= 14 && c <= 31) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) {
        local.push_back(static_cast<char>(c));
        continue;
      }
      return false;
    }
  } else {
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~.";
    while (!in.empty()) {
      char c = in[0];
      if (c == '\\') {
        in.remove_prefix(1);
        if (in.empty()) return false;
        local.push_back(in[0]);
        in.remove_prefix(1);
        continue;
      }
      const bool atext = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         (c >= 'A' && c <= 'Z') || kAtext.find(c) != std::string_view::npos;
      if (!atext) break;
      local.push_back(c);
      in.remove_prefix(1);
    }
    if (local.empty()) return false;
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) {
      return false;
    }
  }
  if (in.empty() || in[0] != '@') return false;
  in.remove_prefix(1);
  return domainNameValid(in, false);
}

bool isHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The parts of Go net/url.Parse that decide whether a URI SAN is rejected. Only the common
// failures are reproduced (control bytes, bad scheme, colon in a relative first segment, bad
// percent escapes); the host is then checked by the caller like Go does.
std::string parseUriForSan(std::string_view raw, std::string* host) {
  host->clear();
  const size_t hash = raw.find('#');
  const std::string_view u = raw.substr(0, hash);
  const auto url_error = [&](const std::string& err) { return "parse " + goQuote(u) + ": " + err; };
  for (const char c : raw) {
    if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) {
      return url_error("net/url: invalid control character in URL");
    }
  }
  if (u == "*") return {};
  std::string_view scheme;
  std::string_view rest = u;
  for (size_t i = 0; i < u.size(); ++i) {
    const char c = u[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return url_error("missing protocol scheme");
      scheme = u.substr(0, i);
      rest = u.substr(i + 1);
    }
    break;
  }
  if (rest.ends_with("?") && std::count(rest.begin(), rest.end(), '?') == 1) {
    rest.remove_suffix(1);
  } else {
    rest = rest.substr(0, rest.find('?'));
  }
  if (!rest.starts_with("/")) {
    if (!scheme.empty()) return {};  // Opaque.
    if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
      return url_error("first path segment in URL cannot contain colon");
    }
  }
  std::string_view path = rest;
  if ((!scheme.empty() || !rest.starts_with("///")) && rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    const size_t slash = authority.find('/');
    path = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
    authority = authority.substr(0, slash);
    const size_t at = authority.rfind('@');
    std::string_view h = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (!h.starts_with("[")) {
      const size_t colon = h.rfind(':');
      if (colon != std::string_view::npos) {
        const std::string_view port = h.substr(colon);
        for (size_t i = 1; i < port.size(); ++i) {
          if (port[i] < '0' || port[i] > '9') {
            return url_error("invalid port " + goQuote(port) + " after host");
          }
        }
        h = h.substr(0, colon);
      }
    } else {
      const size_t close = h.find(']');
      h = close == std::string_view::npos ? h : h.substr(0, close + 1);
    }
    *host = std::string(h);
  }
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') continue;
    if (i + 2 >= path.size() || !isHexDigit(path[i + 1]) || !isHexDigit(path[i + 2])) {
      std::string_view bad = path.substr(i, 3);
      return url_error("invalid URL escape " + goQuote(bad));
    }
  }
  return {};
}

// Go x509 parseSANExtension: only dNSNames are kept, the other forms are just validated.
std::string parseSubjectAltNames(Der val, std::vector<std::string>* dns_names) {
  std::string_view seq;
  if (!val.read(&seq, kTagSequence)) return "x509: invalid subject alternative names";
  Der sans(seq);
  std::vector<std::string> names;
  while (!sans.empty()) {
    std::string_view data;
    uint8_t tag = 0;
    if (!sans.readAny(&data, &tag)) return "x509: invalid subject alternative name";
    switch (tag ^ 0x80) {
      case 1:
        if (!isIa5(data)) return "x509: SAN rfc822Name is malformed";
        break;
      case 2:
        if (!isIa5(data)) return "x509: SAN dNSName is malformed";
        names.emplace_back(data);
        break;
      case 6: {
        if (!isIa5(data)) return "x509: SAN uniformResourceIdentifier is malformed";
        std::string host;
        const std::string err = parseUriForSan(data, &host);
        if (!err.empty()) return "x509: cannot parse URI " + goQuote(data) + ": " + err;
        if (!host.empty() && !domainNameValid(host, false)) {
          return "x509: cannot parse URI " + goQuote(data) + ": invalid domain";
        }
        break;
      }
      case 7:
        if (data.size() != 4 && data.size() != 16) {
          return "x509: cannot parse IP address of length " + std::to_string(data.size());
        }
        break;
      default:
        break;
    }
  }
  *dns_names = std::move(names);
  return {};
}

// Go x509 isValidIPMask: ones, then only zeros.
bool isValidIpMask(std::string_view mask) {
  bool seen_zero = false;
  for (const char mc : mask) {
    const auto b = static_cast<uint8_t>(mc);
    if (seen_zero) {
      if (b != 0) return false;
      continue;
    }
    switch (b) {
      case 0x00:
      case 0x80:
      case 0xC0:
      case 0xE0:
      case 0xF0:
      case 0xF8:
      case 0xFC:
      case 0xFE:
        seen_zero = true;
        break;
      case 0xFF:
        break;
      default:
        return false;
    }
  }
  return true;
}

// The base of one GeneralSubtree, checked per name form as Go's parseNameConstraintsExtension
// does; forms Go ignores pass.
std::string checkNameConstraint(uint8_t tag, std::string_view value) {
  const std::string ia5_error = "x509: invalid constraint value: x509: " + goQuote(value) +
                                " cannot be encoded as an IA5String";
  if (tag == contextTag(2)) {
    if (!isIa5(value)) return ia5_error;
    if (!domainNameValid(value, true)) {
      return "x509: failed to parse dnsName constraint " + goQuote(value);
    }
  } else if (tag == contextTag(7)) {
    if (value.size() != 8 && value.size() != 32) {
      return "x509: IP constraint contained value of length " + std::to_string(value.size());
    }
    const std::string_view mask = value.substr(value.size() / 2);
    if (!isValidIpMask(mask)) return "x509: IP constraint contained invalid mask " + hexLower(mask);
  } else if (tag == contextTag(1)) {
    if (!isIa5(value)) return ia5_error;
    const bool ok = value.find('@') != std::string_view::npos ? parseRfc2821Mailbox(value)
                                                              : domainNameValid(value, true);
    if (!ok) return "x509: failed to parse rfc822Name constraint " + goQuote(value);
  } else if (tag == contextTag(6)) {
    if (!isIa5(value)) return ia5_error;
    if (IpAddress::parse(value)) {
      return "x509: failed to parse URI constraint " + goQuote(value) + ": cannot be IP address";
    }
    if (!domainNameValid(value, true)) {
      return "x509: failed to parse URI constraint " + goQuote(value);
    }
  }
  return {};
}

// Go x509 parseNameConstraintsExtension.
std::string parseNameConstraints(std::string_view value) {
  Der outer(value);
  std::string_view toplevel_bytes;
  std::string_view permitted;
  std::string_view excluded;
  bool have_permitted = false;
  bool have_excluded = false;
  if (!outer.read(&toplevel_bytes, kTagSequence) || !outer.empty()) {
    return "x509: invalid NameConstraints extension";
  }
  Der toplevel(toplevel_bytes);
  if (!toplevel.readOptional(&permitted, &have_permitted, contextConstructed(0)) ||
      !toplevel.readOptional(&excluded, &have_excluded, contextConstructed(1)) ||
      !toplevel.empty()) {
    return "x509: invalid NameConstraints extension";
  }
  if (!have_permitted && !have_excluded) return "x509: empty name constraints extension";
  if ((have_permitted && permitted.empty()) || (have_excluded && excluded.empty())) {
    return "x509: empty name constraints subtree sequence";
  }
  for (const std::string_view subtrees_bytes : {permitted, excluded}) {
    Der subtrees(subtrees_bytes);
    while (!subtrees.empty()) {
      std::string_view seq_bytes;
      std::string_view base;
      uint8_t tag = 0;
      if (!subtrees.read(&seq_bytes, kTagSequence)) {
        return "x509: invalid NameConstraints extension";
      }
      Der seq(seq_bytes);
      if (!seq.readAny(&base, &tag)) return "x509: invalid NameConstraints extension";
      if (std::string err = checkNameConstraint(tag, base); !err.empty()) return err;
    }
  }
  return {};
}

// Go x509 parseCRLDistributionPoints.
std::string parseCrlDistributionPoints(Der val) {
  std::string_view seq;
  if (!val.read(&seq, kTagSequence)) return "x509: invalid CRL distribution points";
  Der points(seq);
  while (!points.empty()) {
    std::string_view dp_bytes;
    if (!points.read(&dp_bytes, kTagSequence)) return "x509: invalid CRL distribution point";
    Der dp(dp_bytes);
    std::string_view name_bytes;
    bool present = false;
    if (!dp.readOptional(&name_bytes, &present, contextConstructed(0))) {
      return "x509: invalid CRL distribution point";
    }
    if (!present) continue;
    Der name_outer(name_bytes);
    std::string_view full_name;
    if (!name_outer.read(&full_name, contextConstructed(0))) {
      return "x509: invalid CRL distribution point";
    }
    Der names(full_name);
    while (!names.empty()) {
      if (!names.peekTag(contextTag(6))) break;
      std::string_view uri;
      if (!names.read(&uri, contextTag(6))) return "x509: invalid CRL distribution point";
    }
  }
  return {};
}

// Go x509 parseCertificatePoliciesExtension: well-formed, unique policy OIDs.
std::string parseCertificatePolicies(Der val) {
  std::string_view seq;
  if (!val.read(&seq, kTagSequence)) return "x509: invalid certificate policies";
  Der policies(seq);
  std::set<std::string> seen;
  while (!policies.empty()) {
    std::string_view cp_bytes;
    std::string_view oid_bytes;
    if (!policies.read(&cp_bytes, kTagSequence)) return "x509: invalid certificate policies";
    Der cp(cp_bytes);
    if (!cp.read(&oid_bytes, kTagOid)) return "x509: invalid certificate policies";
    if (!seen.insert(std::string(oid_bytes)).second) return "x509: invalid certificate policies";
    if (!validOidDer(oid_bytes)) return "x509: invalid certificate policies";
  }
  return {};
}

// The id-ce (2.5.29.*) extensions Go's processExtensions looks into; others pass unread.
std::string processIdCeExtension(const Extension& e, std::vector<std::string>* dns_names) {
  Der val(e.value);
  switch (e.id[3]) {
    case 15: {  // Key usage.
      BitString bits;
      if (!val.readBitString(&bits)) return "x509: invalid key usage";
      return {};
    }
    case 19: {  // Basic constraints.
      std::string_view seq;
      if (!val.read(&seq, kTagSequence)) return "x509: invalid basic constraints";
      Der bc(seq);
      bool is_ca = false;
      if (bc.peekTag(kTagBoolean) && !bc.readBool(&is_ca)) return "x509: invalid basic constraints";
      if (bc.peekTag(kTagInteger)) {
        uint64_t mpl = 0;
        if (!bc.readUint64(&mpl) ||
            mpl > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          return "x509: invalid basic constraints";
        }
      }
      return {};
    }
    case 17:
      return parseSubjectAltNames(val, dns_names);
    case 30:
      return parseNameConstraints(e.value);
    case 31:
      return parseCrlDistributionPoints(val);
    case 35:
      return checkAuthorityKeyIdentifier(e);
    case 36: {  // Policy constraints.
      std::string_view seq;
      if (!val.read(&seq, kTagSequence)) return "x509: invalid policy constraints extension";
      Der pc(seq);
      int64_t v = 0;
      if (pc.peekTag(contextTag(0)) && !pc.readInt64WithTag(&v, contextTag(0))) {
        return "x509: invalid policy constraints extension";
      }
      if (pc.peekTag(contextTag(1)) && !pc.readInt64WithTag(&v, contextTag(1))) {
        return "x509: invalid policy constraints extension";
      }
      return {};
    }
    case 37: {  // Extended key usage.
      std::string_view seq;
      if (!val.read(&seq, kTagSequence)) return "x509: invalid extended key usages";
      Der ekus(seq);
      while (!ekus.empty()) {
        Oid eku;
        if (!ekus.readOid(&eku)) return "x509: invalid extended key usages";
      }
      return {};
    }
    case 14: {  // Subject key identifier.
      if (e.critical) return "x509: subject key identifier incorrectly marked critical";
      std::string_view skid;
      if (!val.read(&skid, kTagOctetString)) return "x509: invalid subject key identifier";
      return {};
    }
    case 32:
      return parseCertificatePolicies(val);
    case 33: {  // Policy mappings.
      std::string_view seq;
      if (!val.read(&seq, kTagSequence)) return "x509: invalid policy mappings extension";
      Der mappings(seq);
      while (!mappings.empty()) {
        std::string_view s_bytes;
        std::string_view issuer;
        std::string_view subject;
        if (!mappings.read(&s_bytes, kTagSequence)) {
          return "x509: invalid policy mappings extension";
        }
        Der s(s_bytes);
        if (!s.read(&issuer, kTagOid) || !s.read(&subject, kTagOid)) {
          return "x509: invalid policy mappings extension";
        }
      }
      return {};
    }
    case 54: {  // Inhibit anyPolicy.
      int64_t v = 0;
      if (!val.readInt64(&v)) return "x509: invalid inhibit any policy extension";
      return {};
    }
    default:
      return {};
  }
}

// Go x509 parseAuthorityInfoAccess.
std::string parseAuthorityInfoAccess(const Extension& e) {
  if (e.critical) return "x509: authority info access incorrectly marked critical";
  Der val(e.value);
  std::string_view seq;
  if (!val.read(&seq, kTagSequence)) return "x509: invalid authority info access";
  Der entries(seq);
  while (!entries.empty()) {
    std::string_view aia_bytes;
    if (!entries.read(&aia_bytes, kTagSequence)) return "x509: invalid authority info access";
    Der aia(aia_bytes);
    Oid method;
    if (!aia.readOid(&method)) return "x509: invalid authority info access";
    if (!aia.peekTag(contextTag(6))) continue;
    std::string_view location;
    if (!aia.read(&location, contextTag(6))) return "x509: invalid authority info access";
  }
  return {};
}

}  // namespace

std::string processExtensions(const std::vector<Extension>& extensions,
                              std::vector<std::string>* dns_names) {
  for (const Extension& e : extensions) {
    const bool id_ce = e.id.size() == 4 && e.id[0] == 2 && e.id[1] == 5 && e.id[2] == 29;
    std::string err;
    if (id_ce) {
      err = processIdCeExtension(e, dns_names);
    } else if (e.id == kOidAuthorityInfoAccess) {
      err = parseAuthorityInfoAccess(e);
    }
    if (!err.empty()) return err;
  }
  return {};
}

}  // namespace ctplab::policy::pki
