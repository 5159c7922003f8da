// Header fields Envoy's header map holds as one value (X-Forwarded-For, X-Forwarded-Proto): reading
// repeated fields as that value, and writing a field back as exactly one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::client_ip {

inline constexpr char kXffName[] = "x-forwarded-for";
inline constexpr char kForwardedProtoName[] = "x-forwarded-proto";

// Every field called `name` (any case) joined with ',', skipping empty values as Envoy does when
// it folds a repeated field; nullopt when there is no such field.
std::optional<std::string> combinedValue(const http1::HeaderList& headers, std::string_view name);

// Makes `value` the only field called `name`: the first such field keeps its place and name case,
// later ones go; without one, a lower-case field is appended. Returns whether any existed.
bool setSingleField(http1::HeaderList& headers, std::string_view name, std::string value);

}  // namespace ctplab::proxy::client_ip
