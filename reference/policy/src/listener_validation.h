// Gateway API listener validation as Envoy Gateway performs it: per-listener spec checks (TLS
// secrets, route kinds, hostnames), cross-listener conflicts, and the final listener conditions.
#pragma once

#include <optional>
#include <vector>

#include "translation_context.h"

namespace ctplab::policy {

// Phase 1: one listener on its own. Fills `tls` with the resolved serving certificates.
void validateListenerSpec(const TranslationContext& ctx, const Gateway& gw, ListenerContext& lc,
                          std::optional<ir::TLSConfig>& tls);

// Phase 2: protocol, hostname and layer-4 conflicts between listeners sharing a port (and, for
// merged gateways, across gateways).
void validateListenerConflicts(std::vector<GatewayContext>& gateways, bool merged);

// Phase 3: completes the conditions; a listener is ready iff Programmed=True.
void finalizeListenerConditions(ListenerContext& lc);

void setListenerCondition(ListenerContext& lc, const std::string& type, const std::string& status,
                          const std::string& reason, const std::string& message);

}  // namespace ctplab::policy
