// A SecurityPolicy's `jwt` → the IR's JWT authentication, with the provider checks and messages
// of Envoy Gateway's buildJWT (names, issuers, key sets, ConfigMap references). Internal.
#pragma once

#include <optional>
#include <string>

#include "translation_context.h"

namespace ctplab::policy {

struct BuiltJWT {
  std::optional<ir::JWT> jwt;
  std::optional<std::string> error;  // without the "JWT: " prefix; lines joined with "\n"
};

BuiltJWT buildJWT(const TranslationContext& ctx, const SecurityPolicy& policy);

}  // namespace ctplab::policy
