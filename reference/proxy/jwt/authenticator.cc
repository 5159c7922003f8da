#include "ctplab/proxy/jwt/authenticator.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "ctplab/proxy/jwt/jwt_verify.h"
#include "ctplab/proxy/jwt/parsed_jwt.h"
#include "ctplab/proxy/jwt/token_extractor.h"
#include "jwt/claims.h"

namespace ctplab::proxy::jwt {
namespace {

// Envoy builds the challenge realm from at most this much of the path.
constexpr size_t kMaxRealmPathLength = 256;

// jwt_verify_lib compares audiences without an http(s):// scheme and without a trailing slash.
std::string_view sanitizeAudience(std::string_view aud) {
  if (aud.empty()) return aud;
  if (aud.starts_with("http://")) {
    aud.remove_prefix(7);
  } else if (aud.starts_with("https://")) {
    aud.remove_prefix(8);
  }
  if (!aud.empty() && aud.back() == '/') aud.remove_suffix(1);
  return aud;
}

bool audiencesAllowed(const std::vector<std::string>& allowed,
                      const std::vector<std::string>& token) {
  if (allowed.empty()) return true;
  for (const std::string& a : token) {
    for (const std::string& b : allowed) {
      if (sanitizeAudience(a) == sanitizeAudience(b)) return true;
    }
  }
  return false;
}

std::string realmOf(const http1::RequestHead& head, std::string_view scheme) {
  if (head.target.empty()) return {};
  const http1::Header* host = http1::findHeader(head.headers, "host");
  std::string realm(scheme);
  realm += "://";
  if (host != nullptr) realm += host->value;
  realm += std::string_view(head.target).substr(0, kMaxRealmPathLength);
  return realm;
}

bool present(const http1::HeaderList& headers, std::string_view name) {
  return http1::findHeader(headers, name) != nullptr;
}

void addUnique(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

}  // namespace

const nlohmann::json* Outcome::payloadFor(std::string_view provider) const {
  for (const ProviderPayload& p : payloads) {
    if (p.provider == provider) return p.payload.get();
  }
  return nullptr;
}

void applyToRequest(const Outcome& outcome, http1::RequestHead& head) {
  for (const std::string& name : outcome.removed_headers) {
    std::erase_if(head.headers,
                  [&](const http1::Header& h) { return http1::equalsIgnoreCase(h.name, name); });
  }
  head.headers.insert(head.headers.end(), outcome.added_headers.begin(),
                      outcome.added_headers.end());
  if (outcome.new_target) head.target = *outcome.new_target;
}

std::optional<DeniedReply> deniedReply(const Outcome& outcome) {
  if (outcome.allowed()) return std::nullopt;
  DeniedReply reply;
  reply.body = std::string(statusString(outcome.status));
  reply.head.status = statusHttpCode(outcome.status);
  std::string challenge = "Bearer realm=\"" + outcome.realm + "\"";
  // A request that simply lacked a token gets the bare challenge (RFC 6750 §3.1).
  if (outcome.status != Status::kJwtMissed) challenge += ", error=\"invalid_token\"";
  reply.head.headers = {{"content-type", "text/plain"},
                        {"content-length", std::to_string(reply.body.size())},
                        {"www-authenticate", std::move(challenge)}};
  // Envoy keeps details free of spaces because access logs split on them.
  std::string detail = reply.body;
  std::replace(detail.begin(), detail.end(), ' ', '_');
  reply.details = "jwt_authn_access_denied{" + detail + "}";
  return reply;
}

Authenticator::Authenticator(std::shared_ptr<const JwtConfig> config) : config_(std::move(config)) {
  caches_.reserve(config_->providers().size());
  for (size_t i = 0; i < config_->providers().size(); ++i)
    caches_.emplace_back(config_->cacheSize());
}

size_t Authenticator::cachedTokens() const {
  size_t n = 0;
  for (const JwtCache& c : caches_) n += c.size();
  return n;
}

Outcome Authenticator::authenticate(TimePoint now, const http1::RequestHead& head,
                                    std::string_view scheme) {
  Outcome out;
  out.realm = realmOf(head, scheme);
  const int64_t now_seconds = now.unixSeconds();
  // A requirement naming several providers is Envoy's requires_any: providers run in order and
  // the first that verifies ends the search.
  std::vector<Status> failures;
  for (size_t i = 0; i < config_->providers().size(); ++i) {
    for (const std::string& name : config_->providers()[i].sanitized_headers) {
      if (!present(head.headers, name)) continue;
      addUnique(out.removed_headers, name);
      std::erase_if(out.added_headers, [&](const http1::Header& h) { return h.name == name; });
    }
    const Status status = verifyProvider(i, now_seconds, head, out);
    if (status == Status::kOk) {
      out.provider = static_cast<int>(i);
      return out;
    }
    failures.push_back(status);
  }
  // Envoy reports the last failure that is neither "missing" nor "unknown issuer", else an
  // unknown issuer over a missing token.
  Status final_status = Status::kJwtMissed;
  for (Status s : failures) {
    if ((s != Status::kJwtMissed && s != Status::kJwtUnknownIssuer) ||
        final_status == Status::kJwtMissed) {
      final_status = s;
    }
  }
  if (config_->failOpen() || (config_->optional() && final_status == Status::kJwtMissed)) {
    out.tolerated = final_status;
    return out;
  }
  out.status = final_status;
  return out;
}

Status Authenticator::verifyProvider(size_t index, int64_t now, const http1::RequestHead& head,
                                     Outcome& outcome) {
  const CompiledProvider& provider = config_->providers()[index];
  const std::vector<ExtractedToken> tokens = extractTokens(provider, head, outcome.removed_headers);
  outcome.tokens_seen += static_cast<uint32_t>(tokens.size());
  if (tokens.empty()) return Status::kJwtMissed;
  // Every token found must verify, or a backend could read the bad one; Envoy starts at the last.
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    VerifiedJwt verified;
    const Status status = verifyToken(index, it->token, now, verified, outcome);
    if (status != Status::kOk) return status;
    for (const ClaimToHeader& c : provider.claim_to_headers) {
      const nlohmann::json* claim = findClaim(verified.jwt->payload, c.claim);
      if (claim == nullptr) continue;
      if (auto value = claimHeaderValue(*claim)) {
        outcome.added_headers.push_back({c.header, std::move(*value)});
      }
    }
    if (!provider.forward) {
      if (it->location->kind == TokenLocation::Kind::kHeader) {
        addUnique(outcome.removed_headers, it->location->name);
      } else if (it->location->kind == TokenLocation::Kind::kParam) {
        outcome.new_target = removeQueryParameter(
            outcome.new_target ? *outcome.new_target : head.target, it->location->name);
      }  // Envoy leaves a cookie in place
    }
    auto existing =
        std::find_if(outcome.payloads.begin(), outcome.payloads.end(),
                     [&](const ProviderPayload& p) { return p.provider == provider.name; });
    if (existing != outcome.payloads.end()) {
      existing->payload = verified.metadata;
    } else {
      outcome.payloads.push_back({provider.name, verified.metadata});
    }
  }
  return Status::kOk;
}

Status Authenticator::verifyToken(size_t index, const std::string& token, int64_t now,
                                  VerifiedJwt& verified, Outcome& outcome) {
  const CompiledProvider& provider = config_->providers()[index];
  JwtCache& cache = caches_[index];
  // Envoy counts a miss whenever the lookup finds nothing, a disabled cache included.
  const VerifiedJwt* cached = cache.lookup(token, now);
  if (cached != nullptr) {
    ++outcome.cache_hits;
    verified = *cached;
  } else {
    ++outcome.cache_misses;
    JwtParse parsed = parseJwt(token);
    if (parsed.status != Status::kOk) return parsed.status;
    verified.jwt = std::move(parsed.jwt);
  }
  const ParsedJwt& jwt = *verified.jwt;
  if (!provider.issuer.empty() && jwt.iss != provider.issuer) return Status::kJwtUnknownIssuer;
  const Status time = checkTimeConstraint(jwt, now, provider.clock_skew_seconds);
  if (time != Status::kOk) return time;
  if (!audiencesAllowed(provider.audiences, jwt.audiences)) return Status::kJwtAudienceNotAllowed;
  if (cached != nullptr) return Status::kOk;
  if (provider.jwks == nullptr) return Status::kJwksNoValidKeys;
  const SignatureCheck check = verifySignature(jwt, *provider.jwks);
  outcome.signature_verifications += check.verifications;
  if (check.status != Status::kOk) return check.status;
  verified.metadata =
      std::make_shared<const nlohmann::json>(normalizeSpaceDelimitedClaims(jwt.payload));
  if (token.size() <= JwtConfig::kMaxCachedTokenBytes) cache.insert(token, verified);
  return Status::kOk;
}

}  // namespace ctplab::proxy::jwt
