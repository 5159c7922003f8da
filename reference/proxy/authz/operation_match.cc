#include "authz/operation_match.h"

#include <algorithm>

namespace ctplab::proxy::authz {

bool operationMatches(const AuthzRule& rule, std::string_view method, std::string_view path) {
  if (!rule.methods.empty() &&
      std::find(rule.methods.begin(), rule.methods.end(), method) == rule.methods.end()) {
    return false;
  }
  if (!rule.path) return true;
  const std::string_view without_query = path.substr(0, path.find('?'));
  if (rule.path->type == PathMatch::Type::kExact) return without_query == rule.path->value;
  return without_query.starts_with(rule.path->value);
}

}  // namespace ctplab::proxy::authz
