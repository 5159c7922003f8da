// Envoy's per-provider cache of verified tokens: a bounded LRU from the token string to its
// parsed form, so a repeated token skips the signature check (not the exp/nbf/iss/aud checks).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ctplab::proxy::jwt {

struct ParsedJwt;  // parsed_jwt.h: only users of its JSON parts pay for the JSON library

// A token that passed verification, with the payload as the authorization filter sees it.
struct VerifiedJwt {
  std::shared_ptr<const ParsedJwt> jwt;
  // The payload with `scope` and `scp` split on spaces into lists, as Envoy Gateway asks Envoy to
  // normalize the payload it puts into the request's metadata.
  std::shared_ptr<const nlohmann::json> metadata;
};

class JwtCache {
 public:
  explicit JwtCache(size_t capacity) : capacity_(capacity) {}

  // The entry for `token`, or nullptr. Like Envoy, an entry that has expired (with the default
  // 60 s skew, whatever the provider's skew) is dropped on lookup.
  const VerifiedJwt* lookup(const std::string& token, int64_t now_unix_seconds);
  void insert(const std::string& token, VerifiedJwt verified);

  size_t size() const { return lru_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  struct Entry {
    std::string token;
    VerifiedJwt verified;
  };
  using Lru = std::list<Entry>;  // most recently used first

  size_t capacity_;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> by_token_;  // views into lru_ entries
};

}  // namespace ctplab::proxy::jwt
