// Envoy's default clock skew for the exp and nbf checks, in its own header so provider configs
// can name it without including the token parser (and the JSON library behind it).
#pragma once

#include <cstdint>

namespace ctplab::proxy::jwt {

inline constexpr uint64_t kDefaultClockSkewSeconds = 60;

}  // namespace ctplab::proxy::jwt
