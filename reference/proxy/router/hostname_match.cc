#include "ctplab/proxy/router/hostname_match.h"

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::router {

using http1::equalsIgnoreCase;  // ASCII only: host names are compared as DNS compares them

size_t hostnameMatchRank(std::string_view pattern, std::string_view host) {
  // A trailing dot is not removed here: only headers.host.stripTrailingHostDot does that (in the
  // request stage), and without it `example.com.` matches no `example.com` virtual host.
  if (pattern.empty() || pattern == "*") return 1;
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    // "*.example.com" needs at least one label before ".example.com".
    std::string_view suffix = pattern.substr(1);
    if (host.size() <= suffix.size()) return 0;
    if (!equalsIgnoreCase(host.substr(host.size() - suffix.size()), suffix)) return 0;
    return 1 + suffix.size();
  }
  // Exact names outrank any wildcard, whatever their length.
  return equalsIgnoreCase(pattern, host) ? 1'000'000 + pattern.size() : 0;
}

int bestHostnameMatch(const std::vector<std::vector<std::string_view>>& hostnames_per_candidate,
                      std::string_view host) {
  int best = -1;
  size_t best_rank = 0;
  for (size_t i = 0; i < hostnames_per_candidate.size(); ++i) {
    size_t rank = 0;
    const auto& names = hostnames_per_candidate[i];
    if (names.empty()) rank = 1;
    for (std::string_view name : names) rank = std::max(rank, hostnameMatchRank(name, host));
    if (rank > best_rank) {
      best_rank = rank;
      best = static_cast<int>(i);
    }
  }
  return best;
}

std::string_view hostWithoutPort(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) authority = authority.substr(0, colon);
  return authority;
}

}  // namespace ctplab::proxy::router
