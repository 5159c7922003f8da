// Route attachment as far as client-traffic translation needs it: which listeners accept which
// routes (attachedRoutes), the per-hostname routes of HTTP listeners (used by http10's default
// host and replaced by 500s when a policy fails), and gRPC defaults from attached GRPCRoutes.
#include <algorithm>
#include <set>

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

}  // namespace

void attachRoutes(TranslationContext& ctx) {
  for (const auto& route : ctx.resources->routes) {
    for (auto& g : ctx.gateways) {
      const Gateway& gw = *g.gateway;
      for (auto& lc : g.listeners) {
        if (!lc.ready) continue;
        bool parent_match = false;
        for (const auto& p : route.parents) {
          std::string ns = p.ns.value_or(route.meta.ns);
          bool targets_listener = false;
          if (p.kind == "Gateway" && p.group == "gateway.networking.k8s.io") {
            targets_listener = ns == gw.meta.ns && p.name == gw.meta.name;
          } else if (p.kind == "ListenerSet" && lc.listener_set != nullptr) {
            targets_listener =
                ns == lc.listener_set->meta.ns && p.name == lc.listener_set->meta.name;
          }
          if (!targets_listener) continue;
          if (p.section_name && *p.section_name != lc.listener->name) continue;
          if (p.port && *p.port != lc.listener->port) continue;
          parent_match = true;
        }
        if (!parent_match) continue;
        bool kind_ok = false;
        for (const auto& [group, kind] : lc.status.supported_kinds)
          kind_ok = kind_ok || kind == route.kind;
        if (!kind_ok) continue;
        std::string owner_ns = lc.listener_set ? lc.listener_set->meta.ns : gw.meta.ns;
        if (!namespaceAllowed(ctx, lc, owner_ns, route.meta.ns)) continue;
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
            // A rule without matches is one catch-all route, numbered -1 by upstream.
            size_t matches = route.rules[r].match_count;
            for (size_t m = 0; m < std::max<size_t>(matches, 1); ++m) {
              std::string idx = matches == 0 ? "-1" : std::to_string(m);
              ir::Route http_route;
              http_route.name =
                  base + "/rule/" + std::to_string(r) + "/match/" + idx + "/" + host_key;
              http_route.hostname = host;
              il->routes.push_back(std::move(http_route));
            }
          }
        }
      }
    }
  }
}

}  // namespace ctplab::policy
