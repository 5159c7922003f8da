#include "ctplab/proxy/jwt/jwt_cache.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "ctplab/proxy/jwt/parsed_jwt.h"

namespace ctplab::proxy::jwt {

const VerifiedJwt* JwtCache::lookup(const std::string& token, int64_t now_unix_seconds) {
  const auto it = by_token_.find(token);
  if (it == by_token_.end()) return nullptr;
  if (checkTimeConstraint(*it->second->verified.jwt, now_unix_seconds) == Status::kJwtExpired) {
    lru_.erase(it->second);
    by_token_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->verified;
}

void JwtCache::insert(const std::string& token, VerifiedJwt verified) {
  if (capacity_ == 0) return;
  const auto existing = by_token_.find(token);
  if (existing != by_token_.end()) {
    existing->second->verified = std::move(verified);
    lru_.splice(lru_.begin(), lru_, existing->second);
    return;
  }
  lru_.push_front(Entry{token, std::move(verified)});
  by_token_.emplace(lru_.front().token, lru_.begin());
  while (lru_.size() > capacity_) {
    by_token_.erase(lru_.back().token);
    lru_.pop_back();
  }
}

}  // namespace ctplab::proxy::jwt
