// Applies one ClientTrafficPolicy to one IR listener, exactly as Envoy Gateway's
// translateClientTrafficPolicyForListener does (same partial application on errors).
#pragma once

#include <string>
#include <vector>

#include "translation_context.h"

namespace ctplab::policy {

// Returns the error lines (each already prefixed, e.g. "Connection: invalid ..."), empty on
// success. `infra` is updated for HTTP/3.
std::vector<std::string> translatePolicyForListener(const TranslationContext& ctx,
                                                    const ClientTrafficPolicy& policy,
                                                    ir::Listener& listener, ir::Gateway& gateway);

// True when the policy asks for HTTP/3 together with client certificate validation on a TLS
// listener (HTTP/3 is then disabled there with a warning).
bool disablesHTTP3ForClientValidation(const ClientTrafficPolicy& policy,
                                      const ir::Listener* listener);

}  // namespace ctplab::policy
