// Splitting, trimming and parsing X-Forwarded-For entries.
#include "xff_entries.h"

namespace ctplab::proxy::client_ip {
namespace {

std::string_view trimSpacesAndTabs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string_view> entriesFromRight(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t comma = value.rfind(',');
    if (comma == std::string_view::npos) {
      out.push_back(trimSpacesAndTabs(value));
      return out;
    }
    out.push_back(trimSpacesAndTabs(value.substr(comma + 1)));
    value = value.substr(0, comma);
  }
}

std::optional<IpAddress> parseEntry(std::string_view entry) {
  // IpAddress::parse already refuses ports, brackets and zones, so only the trim is Envoy's own.
  return IpAddress::parse(trimSpacesAndTabs(entry));
}

std::string formatEntries(const std::vector<std::string_view>& entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ", ";
    out += entries[i].empty() ? std::string_view("\"\"") : entries[i];
  }
  return out + "]";
}

}  // namespace ctplab::proxy::client_ip
