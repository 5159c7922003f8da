#include "ctplab/proxy/router/route_table.h"

#include <re2/re2.h>

#include "ctplab/proxy/authz/config_from_ir.h"
#include "ctplab/proxy/router/hostname_match.h"

namespace ctplab::proxy::router {

struct RouteTable::Compiled {
  std::unique_ptr<re2::RE2> regex;  // set for regular-expression path matches
  std::optional<authz::AuthzPolicy> authorization;
};

RouteTable::RouteTable() = default;
RouteTable::RouteTable(RouteTable&&) noexcept = default;
RouteTable& RouteTable::operator=(RouteTable&&) noexcept = default;
RouteTable::~RouteTable() = default;

bool pathMatches(const policy::ir::PathMatch& match, std::string_view path) {
  path = path.substr(0, path.find('?'));
  switch (match.kind) {
    case policy::ir::PathMatch::Kind::kExact:
      return path == match.value;
    case policy::ir::PathMatch::Kind::kPrefix: {
      // Whole segments: a trailing slash of the prefix is not part of the comparison.
      std::string_view prefix = match.value;
      while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
      if (prefix.empty()) return true;
      if (path.substr(0, prefix.size()) != prefix) return false;
      return path.size() == prefix.size() || path[prefix.size()] == '/';
    }
    case policy::ir::PathMatch::Kind::kRegex:
      return false;  // needs a compiled expression: RouteTable
  }
  return false;
}

Result<RouteTable> RouteTable::build(const policy::ir::Listener& listener) {
  RouteTable table;
  table.listener_ = &listener;
  for (const auto& route : listener.routes) {
    auto compiled = std::make_unique<Compiled>();
    if (route.path_match && route.path_match->kind == policy::ir::PathMatch::Kind::kRegex) {
      re2::RE2::Options options;
      options.set_log_errors(false);
      compiled->regex = std::make_unique<re2::RE2>(route.path_match->value, options);
      if (!compiled->regex->ok()) {
        return Error{"route " + route.name + ": pathMatch.safeRegex \"" + route.path_match->value +
                     "\": " + compiled->regex->error()};
      }
    }
    if (route.authorization) {
      auto config = authz::configFromIr(*route.authorization);
      if (!config) return Error{"route " + route.name + ": " + config.error().message};
      auto policy = authz::AuthzPolicy::compile(std::move(config).value());
      if (!policy) return Error{"route " + route.name + ": " + policy.error().message};
      compiled->authorization.emplace(std::move(policy).value());
    }
    table.routes_.push_back(std::move(compiled));
  }
  return table;
}

RouteDecision RouteTable::route(std::string_view host, std::string_view path) const {
  const auto& routes = listener_->routes;
  // The virtual host: the most specific hostname any route carries.
  size_t best_rank = 0;
  for (const auto& route : routes)
    best_rank = std::max(best_rank, hostnameMatchRank(route.hostname, host));
  if (best_rank == 0) return {};
  const std::string_view bare_path = path.substr(0, path.find('?'));
  for (size_t i = 0; i < routes.size(); ++i) {
    const auto& route = routes[i];
    if (hostnameMatchRank(route.hostname, host) != best_rank) continue;
    // Routes of one virtual host share the hostname pattern, so equal rank means the same host.
    if (route.path_match) {
      const bool matched = route.path_match->kind == policy::ir::PathMatch::Kind::kRegex
                               ? re2::RE2::FullMatch(bare_path, *routes_[i]->regex)
                               : pathMatches(*route.path_match, bare_path);
      if (!matched) continue;
    }
    return {
        route.direct_response_500 ? RouteDecision::Kind::kDirect500 : RouteDecision::Kind::kBackend,
        static_cast<int>(i), route.name};
  }
  return {};
}

const authz::AuthzPolicy* RouteTable::authorization(int index) const {
  if (index < 0 || static_cast<size_t>(index) >= routes_.size()) return nullptr;
  const auto& a = routes_[static_cast<size_t>(index)]->authorization;
  return a ? &*a : nullptr;
}

std::string_view RouteTable::authorizationSource(int index) const {
  if (authorization(index) == nullptr) return {};
  return listener_->routes[static_cast<size_t>(index)].authorization->policy;
}

}  // namespace ctplab::proxy::router
