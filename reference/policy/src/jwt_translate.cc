#include "jwt_translate.h"

#include <regex>

namespace ctplab::policy {
namespace {

bool hasControlOrSpace(const std::string& s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Go's url.ParseRequestURI for the texts a provider carries: an absolute path, or a scheme
// (letter, then letters, digits, "+", "-", ".") followed by ":". Stricter host checks of Go's
// parser are approximated by rejecting spaces and control characters.
bool validRequestURI(const std::string& s) {
  if (s.empty() || hasControlOrSpace(s)) return false;
  if (s[0] == '/') return true;
  static const std::regex scheme("^[A-Za-z][A-Za-z0-9+.-]*:");
  return std::regex_search(s, scheme);
}

// net/mail.ParseAddress for a bare addr-spec or "Name <addr-spec>"; the reason is Go's for the
// common failure.
std::optional<std::string> mailError(const std::string& s) {
  std::string addr = s;
  const auto lt = s.find('<');
  if (lt != std::string::npos) {
    const auto gt = s.find('>', lt);
    if (gt == std::string::npos) return "mail: unclosed angle-addr";
    addr = s.substr(lt + 1, gt - lt - 1);
  }
  const auto at = addr.rfind('@');
  if (at == std::string::npos) return "mail: missing @ in addr-spec";
  if (at == 0 || hasControlOrSpace(addr)) return "mail: invalid string";
  if (at + 1 >= addr.size()) return "mail: no domain in addr-spec";
  return std::nullopt;
}

// Kubernetes IsQualifiedName on a provider name without a prefix part (names carry none).
std::vector<std::string> qualifiedNameErrors(const std::string& name) {
  std::vector<std::string> errs;
  std::string part = name;
  const auto slash = name.find('/');
  if (slash != std::string::npos) {
    part = name.substr(slash + 1);
    if (slash == 0) errs.push_back("prefix part must be non-empty");
  }
  if (part.empty()) {
    errs.push_back("name part must be non-empty");
    return errs;
  }
  if (part.size() > 63) errs.push_back("name part must be no more than 63 bytes");
  static const std::regex re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  if (!std::regex_match(part, re)) {
    errs.push_back(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
        "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
        "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }
  return errs;
}

// Upstream's validateJWTProvider, every error in its order.
std::vector<std::string> providerErrors(const std::vector<JWTProviderSpec>& providers) {
  std::vector<std::string> errs;
  std::vector<std::string> names;
  for (const auto& p : providers) {
    if (p.name.empty()) errs.push_back("jwt provider cannot be an empty string");
    const std::string issuer = p.issuer.value_or("");
    if (issuer.find(':') != std::string::npos) {
      if (!validRequestURI(issuer)) {
        errs.push_back(
            "invalid issuer; when issuer contains ':' character, it MUST be a valid URI");
      }
    } else if (issuer.find('@') != std::string::npos) {
      if (auto e = mailError(issuer)) {
        errs.push_back(
            "invalid issuer; when issuer contains '@' character, it MUST be a valid Email Address "
            "format: " +
            *e);
      }
    }
    if (p.remote_jwks.has_value() == p.local_jwks.has_value()) {
      errs.push_back("either remoteJWKS or localJWKS must be specified for jwt provider: " +
                     p.name);
    }
    if (p.remote_jwks) {
      const std::string& uri = p.remote_jwks->uri;
      if (uri.empty()) {
        errs.push_back("uri must be set for remote JWKS provider: " + p.name);
      } else if (!validRequestURI(uri)) {
        errs.push_back("invalid remote JWKS URI: parse \"" + uri + "\": invalid URI for request");
      }
    }
    if (p.local_jwks) {
      const auto& l = *p.local_jwks;
      if (!l.type || *l.type == "Inline") {
        if (!l.inline_jwks) {
          errs.push_back("inline JWKS must be set for local JWKS provider: " + p.name +
                         " if type is Inline");
        }
      } else if (!l.value_ref) {
        errs.push_back("valueRef must be set for local JWKS provider: " + p.name +
                       " if type is ValueRef");
      }
    }
    // Upstream checks names only while no error has been found (in any provider so far).
    if (errs.empty()) {
      for (auto& e : qualifiedNameErrors(p.name)) errs.push_back(std::move(e));
      if (names.empty()) {
        names.push_back(p.name);
      } else {
        const std::vector<std::string> seen = names;
        for (const auto& n : seen) {
          if (n == p.name) {
            errs.push_back("provider name " + p.name + " must be unique");
          } else {
            names.push_back(p.name);
          }
        }
      }
    }
    for (const auto& c : p.claim_to_headers) {
      // Upstream names the (empty) field it found missing.
      if (c.header.empty()) {
        errs.push_back("header must be set for claimToHeader provider: " + c.header);
      } else if (c.claim.empty()) {
        errs.push_back("claim must be set for claimToHeader provider: " + c.claim);
      }
    }
  }
  return errs;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

}  // namespace

BuiltJWT buildJWT(const TranslationContext& ctx, const SecurityPolicy& policy) {
  BuiltJWT built;
  if (!policy.spec.jwt) return built;
  const JWTSpec& spec = *policy.spec.jwt;
  if (auto errs = providerErrors(spec.providers); !errs.empty()) {
    built.error = join(errs);
    return built;
  }
  ir::JWT jwt;
  jwt.allow_missing = spec.optional.value_or(false);
  jwt.allow_missing_or_failed = spec.fail_open.value_or(false);
  jwt.policy = policy.meta.ns + "/" + policy.meta.name;
  for (const auto& p : spec.providers) {
    ir::JWTProvider out;
    out.name = p.name;
    out.issuer = p.issuer.value_or("");
    out.audiences = p.audiences.value_or(std::vector<std::string>{});
    for (const auto& c : p.claim_to_headers) out.claim_to_headers.push_back({c.header, c.claim});
    out.recompute_route = p.recompute_route;
    if (p.extract_from) {
      ir::JWTProvider::ExtractFrom e;
      for (const auto& h : p.extract_from->headers) e.headers.push_back({h.name, h.value_prefix});
      e.cookies = p.extract_from->cookies;
      e.params = p.extract_from->params;
      out.extract_from = std::move(e);
    }
    if (p.remote_jwks) {
      out.remote_jwks_uri = p.remote_jwks->uri;
    } else if (p.local_jwks->type.value_or("Inline") == "ValueRef") {
      const std::string& name = *p.local_jwks->value_ref;
      const ConfigMap* cm = ctx.findConfigMap(policy.meta.ns, name);
      if (cm == nullptr) {
        built.error = "local JWKS ConfigMap " + policy.meta.ns + "/" + name + " not found";
        return built;
      }
      auto it = cm->data.find("jwks");
      if (it != cm->data.end()) {
        out.local_jwks = it->second;
      } else if (!cm->data.empty()) {
        // Upstream takes whichever entry Go's map iteration yields first; the smallest key keeps
        // the result deterministic.
        out.local_jwks = cm->data.begin()->second;
      } else {
        // Upstream's format arguments are shifted: it prints "jwks" as the namespace.
        built.error = "JWKS data not found in ConfigMap jwks/" + cm->meta.ns + ", no \"" +
                      cm->meta.name + "\" key and no other data found";
        return built;
      }
    } else {
      out.local_jwks = p.local_jwks->inline_jwks;
    }
    jwt.providers.push_back(std::move(out));
  }
  built.jwt = std::move(jwt);
  return built;
}

}  // namespace ctplab::policy
