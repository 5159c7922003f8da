// State shared by the translation stages: resolved gateways with their listener contexts and
// lookups of the referenced objects. Internal to the engine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ctplab/policy/engine.h"

namespace ctplab::policy {

struct ListenerContext {
  const Listener* listener = nullptr;
  const ListenerSet* listener_set = nullptr;  // null for the Gateway's own listeners
  std::string ir_name;
  bool ready = false;
  bool spec_valid = false;
  bool protocol_conflicted = false;
  std::vector<std::string> cert_dns_names;  // DNS SANs of the serving certificates
  ListenerStatus status;
};

struct GatewayContext {
  const Gateway* gateway = nullptr;
  std::vector<ListenerContext> listeners;  // own listeners, then ListenerSet listeners
  GatewayResult* result = nullptr;
  ir::Gateway* ir = nullptr;                // shared by all gateways merged onto one proxy
  const EnvoyProxy* envoy_proxy = nullptr;  // the gateway's own, else its GatewayClass's
  std::optional<std::string> ip_family;     // from that EnvoyProxy
  std::string key() const { return gateway->meta.ns + "/" + gateway->meta.name; }
};

struct TranslationContext {
  const ResourceSet* resources = nullptr;
  TranslateOptions options;
  std::vector<GatewayContext> gateways;  // accepted gateways in processing order
  // ListenerSets whose parent Gateway does not allow them, with that Gateway.
  std::vector<std::pair<const ListenerSet*, const Gateway*>> disallowed_listener_sets;

  const Secret* findSecret(const std::string& ns, const std::string& name) const;
  const ConfigMap* findConfigMap(const std::string& ns, const std::string& name) const;
  const ClusterTrustBundle* findTrustBundle(const std::string& name) const;
  const Namespace* findNamespace(const std::string& name) const;
  // ReferenceGrant in `to_ns` allowing from (group, kind, from_ns) to (to_group, to_kind, name).
  bool referenceAllowed(const std::string& from_group, const std::string& from_kind,
                        const std::string& from_ns, const std::string& to_group,
                        const std::string& to_kind, const std::string& to_ns,
                        const std::string& to_name) const;
};

// Upstream's processing order for objects of one kind: older first; equal creation times keep
// the input order in test bundles, else go by namespace, then name.
inline bool processedBefore(const ObjectMeta& a, const ObjectMeta& b, bool keep_input_order) {
  if (a.creation_timestamp != b.creation_timestamp) {
    return a.creation_timestamp < b.creation_timestamp;
  }
  if (keep_input_order) return false;
  if (a.ns != b.ns) return a.ns < b.ns;
  return a.name < b.name;
}

// Which listeners of this controller one parentRef of a route selects, after the listeners'
// allowed kinds and namespaces (upstream's GetReferencedListeners + allowed-listener filter).
struct ParentRefListeners {
  bool managed = false;  // names a Gateway (or a ListenerSet of one) this controller translates
  std::vector<std::pair<GatewayContext*, ListenerContext*>> listeners;
};
ParentRefListeners resolveParentRef(TranslationContext& ctx, const Route& route,
                                    const ParentReference& parent);

// Routes in the order the translator processes them: HTTPRoutes, GRPCRoutes, TLSRoutes,
// TCPRoutes, UDPRoutes, each by creation time then namespace/name (test bundles keep input order
// for equal times, as upstream's translator tests do).
std::vector<const Route*> orderedRoutes(const ResourceSet& resources);

// Stage 1: Gateways and ListenerSets → listener contexts, listener statuses and the IR.
void translateGateways(TranslationContext& ctx, TranslationResult& result);
// Stage 1b: routes → attachedRoutes, per-hostname IR routes, gRPC defaults.
void attachRoutes(TranslationContext& ctx);
// After route attachment: Gateway and ListenerSet statuses into the result.
void collectListenerStatuses(const TranslationContext& ctx, TranslationResult& result);
// Stage 2: ClientTrafficPolicies → statuses, applied onto the IR.
void processClientTrafficPolicies(TranslationContext& ctx, TranslationResult& result);
// Stage 2b: BackendTrafficPolicies → statuses, rate limits (or 500s) on the IR routes.
void processBackendTrafficPolicies(TranslationContext& ctx, TranslationResult& result);
// Stage 3: SecurityPolicies → statuses, authorization (or 500s) on the IR routes.
void processSecurityPolicies(TranslationContext& ctx, TranslationResult& result);
// Last: each HTTP listener's routes in upstream's match-precedence order.
void sortRoutes(TranslationResult& result);

}  // namespace ctplab::policy
