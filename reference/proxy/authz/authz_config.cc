#include "ctplab/proxy/authz/authz_config.h"

namespace ctplab::proxy::authz {

std::string_view actionName(Action action) { return action == Action::kAllow ? "Allow" : "Deny"; }

std::string_view conditionName(UnmodelledCondition condition) {
  switch (condition) {
    case UnmodelledCondition::kJwt:
      return "jwt";
    case UnmodelledCondition::kHeaders:
      return "headers";
    case UnmodelledCondition::kClientIpGeoLocations:
      return "clientIPGeoLocations";
    case UnmodelledCondition::kCel:
      return "cel";
  }
  return "unknown";
}

}  // namespace ctplab::proxy::authz
