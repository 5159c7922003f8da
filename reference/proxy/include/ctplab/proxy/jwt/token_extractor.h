// Finds a provider's candidate tokens in a request head: headers (with a value prefix), query
// parameters and cookies, in Envoy's order. Every token found must verify.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/jwt/jwt_config.h"

namespace ctplab::proxy::jwt {

struct ExtractedToken {
  std::string token;
  const TokenLocation* location = nullptr;  // into the provider's locations
};

// Headers: every line of the header is a candidate. With a prefix, a line that does not contain
// it (case-sensitive, anywhere) is skipped; otherwise the token starts at the first base64url
// character or dot after the prefix and runs to the end of the line. Parameters: the first
// occurrence, percent-decoded. Cookies: the first occurrence across Cookie headers, surrounding
// double quotes removed. Headers named in `ignored_headers` (lower-case) are treated as absent.
std::vector<ExtractedToken> extractTokens(const CompiledProvider& provider,
                                          const http1::RequestHead& head,
                                          const std::vector<std::string>& ignored_headers = {});

// The first value of query parameter `name` in `target`, percent-decoded; nullopt if absent.
std::optional<std::string> queryParameter(std::string_view target, std::string_view name);

// `target` without any `name` parameter (what Envoy forwards when forward is false).
std::string removeQueryParameter(std::string_view target, std::string_view name);

}  // namespace ctplab::proxy::jwt
