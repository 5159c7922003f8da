// Whether a request's method and path satisfy a rule's `operation` (spec 5.1): any listed method,
// and the path condition, both optional.
#pragma once

#include <string_view>

#include "ctplab/proxy/authz/authz_config.h"

namespace re2 {
class RE2;
}

namespace ctplab::proxy::authz {

// `path_regex` is the rule's compiled RegularExpression (nullptr for other path types).
bool operationMatches(const AuthzRule& rule, const re2::RE2* path_regex, std::string_view method,
                      std::string_view path);

}  // namespace ctplab::proxy::authz
