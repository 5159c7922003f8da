// X-Forwarded-For entries as detection reads them: split on ',', trimmed of spaces and tabs,
// counted from the right, each either a bare IP literal or not an address at all.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/common/ip_address.h"

namespace ctplab::proxy::client_ip {

// Rightmost first; an empty value is one empty entry, as a split on ',' gives.
std::vector<std::string_view> entriesFromRight(std::string_view value);

// Trims spaces and tabs, then accepts only a bare IPv4/IPv6 literal: an entry with a port,
// brackets, a zone or a second address is not one.
std::optional<IpAddress> parseEntry(std::string_view entry);

// `[a, b, ""]` for traces; an empty entry shows as "".
std::string formatEntries(const std::vector<std::string_view>& entries);

}  // namespace ctplab::proxy::client_ip
