#include "ctplab/proxy/authz/config_from_ir.h"

#include <string>

#include "ctplab/proxy/jwt/config_from_ir.h"

namespace ctplab::proxy::authz {
namespace {

std::optional<Action> parseAction(const std::string& text) {
  if (text == "Allow") return Action::kAllow;
  if (text == "Deny") return Action::kDeny;
  return std::nullopt;
}

}  // namespace

Result<AuthzConfig> configFromIr(const policy::ir::Authorization& authorization) {
  AuthzConfig config;
  auto default_action = parseAction(authorization.default_action);
  if (!default_action) {
    return Error{"authorization.defaultAction: unsupported value \"" +
                 authorization.default_action + "\" (Allow or Deny)"};
  }
  config.default_action = *default_action;
  for (size_t i = 0; i < authorization.rules.size(); ++i) {
    const auto& in = authorization.rules[i];
    auto action = parseAction(in.action);
    if (!action) {
      return Error{"authorization.rules[" + std::to_string(i) + "].action: unsupported value \"" +
                   in.action + "\" (Allow or Deny)"};
    }
    AuthzRule rule;
    rule.name = in.name;
    rule.action = *action;
    rule.client_cidrs = in.client_cidrs;
    rule.methods = in.methods;
    if (in.path) {
      PathMatch path;
      switch (in.path->kind) {
        case policy::ir::PathMatch::Kind::kExact:
          path.type = PathMatch::Type::kExact;
          break;
        case policy::ir::PathMatch::Kind::kPrefix:
          path.type = PathMatch::Type::kPrefix;
          break;
        case policy::ir::PathMatch::Kind::kRegex:
          path.type = PathMatch::Type::kRegex;
          break;
      }
      path.value = in.path->value;
      path.invert = in.path_invert;
      rule.path = std::move(path);
    }
    if (in.jwt) rule.jwt = jwt::principalFromIr(*in.jwt);
    if (in.headers) rule.unmodelled.push_back(UnmodelledCondition::kHeaders);
    if (in.client_ip_geo_locations) {
      rule.unmodelled.push_back(UnmodelledCondition::kClientIpGeoLocations);
    }
    if (in.cel) rule.unmodelled.push_back(UnmodelledCondition::kCel);
    config.rules.push_back(std::move(rule));
  }
  return config;
}

}  // namespace ctplab::proxy::authz
