// Envoy's jwt_authn filter as Envoy Gateway configures it, for one route's `jwt` block: finds the
// tokens, verifies them against the providers in order, and says pass or 401/403 (spec 5.2).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/jwt/jwt_cache.h"
#include "ctplab/proxy/jwt/jwt_config.h"
#include "ctplab/proxy/jwt/jwt_status.h"

namespace ctplab::proxy::jwt {

// A verified payload as Envoy stores it in the request's dynamic metadata, under the provider's
// name (`payload_in_metadata`), for the authorization filter to match claims against.
struct ProviderPayload {
  std::string provider;
  std::shared_ptr<const nlohmann::json> payload;  // scope/scp normalized to lists
};

struct Outcome {
  // The filter's verdict: kOk when the request goes on, otherwise the reason it is answered.
  Status status = Status::kOk;
  // Why no provider accepted a token when `optional` or `failOpen` let the request pass anyway
  // (kOk when a token was verified).
  Status tolerated = Status::kOk;
  int provider = -1;  // index of the provider that verified the request's token(s); -1: none
  std::vector<ProviderPayload> payloads;  // usually zero or one entry

  // Header edits for a request that goes on (names lower-case): removals first, then additions.
  // Removed: every provider's claimToHeaders names that the client sent (a client must not
  // forge them), and the token's header when the provider does not forward it.
  std::vector<std::string> removed_headers;
  http1::HeaderList added_headers;        // claimToHeaders, in the order Envoy adds them
  std::optional<std::string> new_target;  // a query-parameter token removed (forward: false)

  // Work done, for stats and the simulator's CPU model.
  uint32_t signature_verifications = 0;  // public-key operations
  uint32_t cache_hits = 0;
  uint32_t cache_misses = 0;
  uint32_t tokens_seen = 0;

  // `<scheme>://<host><path, at most 256 characters>`: the realm of the 401 challenge.
  std::string realm;

  bool allowed() const { return status == Status::kOk; }
  // The payload stored under `provider`, or nullptr.
  const nlohmann::json* payloadFor(std::string_view provider) const;
};

// Applies an allowed outcome's header edits and target rewrite to the request.
void applyToRequest(const Outcome& outcome, http1::RequestHead& head);

struct DeniedReply {
  http1::ResponseHead head;  // 401 (403 for a disallowed audience), www-authenticate, text/plain
  std::string body;          // the status text, e.g. "Jwt is missing"
  // Envoy's response code details: `jwt_authn_access_denied{Jwt_is_missing}`.
  std::string details;
};

// The local reply for a rejected request; nullopt when the outcome allows it.
std::optional<DeniedReply> deniedReply(const Outcome& outcome);

// One per route (or requirement) and worker: the configuration is shared and immutable; the
// verified-token cache is this instance's, as Envoy keeps one per provider and worker thread.
class Authenticator {
 public:
  explicit Authenticator(std::shared_ptr<const JwtConfig> config);

  // `head.target` is the `:path` as the filter sees it (after normalization); `scheme` is
  // "https" on TLS listeners. Time is compared in whole Unix seconds, as Envoy does.
  Outcome authenticate(TimePoint now, const http1::RequestHead& head,
                       std::string_view scheme = "http");

  const JwtConfig& config() const { return *config_; }
  size_t cachedTokens() const;  // across providers

 private:
  Status verifyProvider(size_t index, int64_t now, const http1::RequestHead& head,
                        Outcome& outcome);
  Status verifyToken(size_t index, const std::string& token, int64_t now, VerifiedJwt& verified,
                     Outcome& outcome);

  std::shared_ptr<const JwtConfig> config_;
  std::vector<JwtCache> caches_;  // one per provider
};

}  // namespace ctplab::proxy::jwt
