// Route attachment as far as policy translation needs it: which listeners accept which routes
// (attachedRoutes), the per-hostname routes of HTTP listeners with their path matches (used by
// http10's default host, SecurityPolicy attachment and 500s on policy failure), and gRPC
// defaults from attached GRPCRoutes.
#include <algorithm>
#include <set>

#include "ctplab/policy/resources.h"
#include "translation_context.h"

namespace ctplab::policy {
namespace {

bool wildcardMatches(const std::string& wildcard, const std::string& host) {
  // "*.example.com" matches any name that ends in ".example.com" with at least one label before.
  std::string suffix = wildcard.substr(1);
  return host.size() > suffix.size() &&
         host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> computeHosts(const std::vector<std::string>& route_hosts,
                                      const std::optional<std::string>& listener_host) {
  std::string lh = listener_host.value_or("");
  if (route_hosts.empty()) return {lh.empty() ? "*" : lh};
  std::set<std::string> out;
  for (const auto& rh : route_hosts) {
    if (lh.empty() || lh == rh) {
      out.insert(rh);
    } else if (lh[0] == '*' && !rh.empty() && rh[0] == '*') {
      if (wildcardMatches(rh, lh)) out.insert(lh);
      if (wildcardMatches(lh, rh)) out.insert(rh);
    } else if (lh[0] == '*') {
      if (wildcardMatches(lh, rh)) out.insert(rh);
    } else if (!rh.empty() && rh[0] == '*') {
      if (wildcardMatches(rh, lh)) out.insert(lh);
    }
  }
  return {out.begin(), out.end()};
}

bool namespaceAllowed(const TranslationContext& ctx, const ListenerContext& lc,
                      const std::string& owner_ns, const std::string& route_ns) {
  const AllowedRoutes& ar = lc.listener->allowed_routes;
  if (ar.namespaces_from == "All") return true;
  if (ar.namespaces_from == "Selector") {
    const Namespace* ns = ctx.findNamespace(route_ns);
    return ns != nullptr && ar.namespaces_selector &&
           selectorMatches(*ar.namespaces_selector, ns->meta.labels);
  }
  return route_ns == owner_ns;
}

std::string routePrefix(const std::string& kind) {
  std::string lower = kind;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Whether parentRef `p` of `route` names listener `lc` of gateway `gw` (section and port
// included). A Gateway reference never selects the listeners its ListenerSets add.
bool parentSelects(const ParentReference& p, const Route& route, const Gateway& gw,
                   const ListenerContext& lc) {
  const std::string ns = p.ns.value_or(route.meta.ns);
  if (p.group != kGatewayGroup) return false;
  if (p.kind == "ListenerSet") {
    if (lc.listener_set == nullptr || ns != lc.listener_set->meta.ns ||
        p.name != lc.listener_set->meta.name) {
      return false;
    }
  } else if (p.kind == "Gateway") {
    if (lc.listener_set != nullptr || ns != gw.meta.ns || p.name != gw.meta.name) return false;
  } else {
    return false;
  }
  if (p.section_name && *p.section_name != lc.listener->name) return false;
  return !p.port || *p.port == lc.listener->port;
}

bool listenerAllows(const TranslationContext& ctx, const Gateway& gw, const ListenerContext& lc,
                    const Route& route) {
  bool kind_ok = false;
  for (const auto& [group, kind] : lc.status.supported_kinds)
    kind_ok = kind_ok || kind == route.kind;
  if (!kind_ok) return false;
  std::string owner_ns = lc.listener_set ? lc.listener_set->meta.ns : gw.meta.ns;
  return namespaceAllowed(ctx, lc, owner_ns, route.meta.ns);
}

constexpr const char* kGRPCServiceName = "(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*";
constexpr const char* kGRPCMethodName = "[A-Za-z_][A-Za-z_0-9]*";

// The IR path condition of one match, as upstream derives it (gRPC: from the method match).
std::optional<ir::PathMatch> pathMatchFor(const Route::Match& m) {
  using Kind = ir::PathMatch::Kind;
  if (m.path) {
    if (m.path->type == "Exact") return ir::PathMatch{Kind::kExact, m.path->value};
    if (m.path->type == "PathPrefix") return ir::PathMatch{Kind::kPrefix, m.path->value};
    if (m.path->type == "RegularExpression") return ir::PathMatch{Kind::kRegex, m.path->value};
    return std::nullopt;
  }
  if (!m.method) return std::nullopt;
  const auto& g = *m.method;
  if (g.type == "Exact") {
    // A method without a service becomes a `:path` suffix header match upstream, not a path.
    if (g.service && g.method)
      return ir::PathMatch{Kind::kExact, "/" + *g.service + "/" + *g.method};
    if (g.service) return ir::PathMatch{Kind::kPrefix, "/" + *g.service};
    return std::nullopt;
  }
  if (g.type == "RegularExpression") {
    if (!g.service && !g.method) return std::nullopt;
    return ir::PathMatch{Kind::kRegex, "/" + g.service.value_or(kGRPCServiceName) + "/" +
                                           g.method.value_or(kGRPCMethodName)};
  }
  return std::nullopt;
}

}  // namespace

ParentRefListeners resolveParentRef(TranslationContext& ctx, const Route& route,
                                    const ParentReference& parent) {
  ParentRefListeners out;
  const std::string ns = parent.ns.value_or(route.meta.ns);
  for (auto& g : ctx.gateways) {
    const Gateway& gw = *g.gateway;
    if (parent.group == kGatewayGroup && parent.kind == "Gateway" && ns == gw.meta.ns &&
        parent.name == gw.meta.name) {
      out.managed = true;
    }
    for (auto& lc : g.listeners) {
      if (parent.kind == "ListenerSet" && parent.group == kGatewayGroup && lc.listener_set &&
          lc.listener_set->meta.ns == ns && lc.listener_set->meta.name == parent.name) {
        out.managed = true;
      }
      if (parentSelects(parent, route, gw, lc) && listenerAllows(ctx, gw, lc, route)) {
        out.listeners.emplace_back(&g, &lc);
      }
    }
  }
  return out;
}

std::vector<const Route*> orderedRoutes(const ResourceSet& resources) {
  std::vector<const Route*> out;
  for (const char* kind : {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"}) {
    const size_t first = out.size();
    for (const auto& r : resources.routes) {
      if (r.kind == kind) out.push_back(&r);
    }
    const bool keep_input_order = resources.bundle_format;
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                     [&](const Route* a, const Route* b) {
                       return processedBefore(a->meta, b->meta, keep_input_order);
                     });
  }
  return out;
}

void attachRoutes(TranslationContext& ctx) {
  for (const Route* route_ptr : orderedRoutes(*ctx.resources)) {
    const Route& route = *route_ptr;
    for (auto& g : ctx.gateways) {
      const Gateway& gw = *g.gateway;
      for (auto& lc : g.listeners) {
        if (!lc.ready) continue;
        bool parent_match =
            std::any_of(route.parents.begin(), route.parents.end(),
                        [&](const ParentReference& p) { return parentSelects(p, route, gw, lc); });
        if (!parent_match || !listenerAllows(ctx, gw, lc, route)) continue;
        ir::Listener* il = g.ir->find(lc.ir_name);
        const bool http = route.kind == "HTTPRoute" || route.kind == "GRPCRoute";
        std::vector<std::string> hosts;
        if (http || route.kind == "TLSRoute") {
          hosts = computeHosts(route.hostnames, lc.listener->hostname);
          if (hosts.empty()) continue;
        }
        lc.status.attached_routes++;
        if (il == nullptr) continue;
        std::string base = routePrefix(route.kind) + "/" + route.meta.ns + "/" + route.meta.name;
        if (!http) {
          ir::Route tcp_route;
          tcp_route.name = base;
          // Upstream keys TCP route policies on the (single) rule's name.
          if (!route.rules.empty()) tcp_route.rule_name = route.rules[0].name.value_or("");
          il->routes.push_back(std::move(tcp_route));
          continue;
        }
        if (route.kind == "GRPCRoute") {
          if (!il->grpc) il->grpc = ir::GRPCSettings{};
          il->grpc->enable_web = true;
          if (!il->grpc->enable_stats) il->grpc->enable_stats = true;
        }
        for (const auto& host : hosts) {
          std::string host_key = host;
          std::replace(host_key.begin(), host_key.end(), '.', '_');
          for (size_t r = 0; r < route.rules.size(); ++r) {
            const Route::Rule& rule = route.rules[r];
            // A rule without matches is one catch-all route, numbered -1 by upstream.
            const size_t matches = rule.matches.size();
            for (size_t m = 0; m < std::max<size_t>(matches, 1); ++m) {
              std::string idx = matches == 0 ? "-1" : std::to_string(m);
              ir::Route http_route;
              http_route.name =
                  base + "/rule/" + std::to_string(r) + "/match/" + idx + "/" + host_key;
              http_route.hostname = host;
              http_route.rule_name = rule.name.value_or("");
              if (matches > 0) http_route.path_match = pathMatchFor(rule.matches[m]);
              il->routes.push_back(std::move(http_route));
            }
          }
        }
      }
    }
  }
}

}  // namespace ctplab::policy
