#include "ratelimit/rule_match.h"

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string_view>

namespace ctplab::proxy::ratelimit {
namespace {

// Length-prefixed so that no two value lists encode to the same key.
void appendKeyPart(std::string& key, std::string_view value) {
  const auto size = static_cast<uint32_t>(value.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof(size));
  key.append(value);
}

bool valueMatches(const CompiledValueSelector& s, std::string_view value) {
  if (s.selector.type == MatchType::kRegex) {
    return s.regex != nullptr && re2::RE2::FullMatch(value, *s.regex);
  }
  return value == s.selector.value;
}

// Envoy's header matcher reads every line of a repeated header as one comma-joined value.
bool headerMatches(const CompiledValueSelector& s, const http1::HeaderList& headers,
                   std::string& joined) {
  const http1::Header* first = nullptr;
  bool repeated = false;
  for (const http1::Header& h : headers) {
    if (!http1::equalsIgnoreCase(h.name, s.selector.name)) continue;
    if (first == nullptr) {
      first = &h;
    } else {
      if (!repeated) joined = first->value;
      repeated = true;
      joined += ',';
      joined += h.value;
    }
  }
  if (first == nullptr) return false;
  return valueMatches(s, repeated ? std::string_view(joined) : std::string_view(first->value));
}

bool pathMatches(const PathSelector& path, const re2::RE2* regex, std::string_view target) {
  switch (path.type) {
    case PathSelector::Type::kExact:
      return target == path.value;
    case PathSelector::Type::kPrefix:
      return target.starts_with(path.value);
    case PathSelector::Type::kRegex:
      return regex != nullptr && re2::RE2::FullMatch(target, *regex);
  }
  return false;
}

}  // namespace

std::optional<std::string_view> queryParam(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (true) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) return std::nullopt;
    query.remove_prefix(amp + 1);
  }
}

bool ruleMatches(const CompiledRule& rule, size_t rule_index, const http1::RequestHead& head,
                 const IpAddress& client, std::string& key) {
  key.clear();
  key.push_back(static_cast<char>(rule_index));
  std::string joined;  // only filled for repeated headers, which are rare
  for (const CompiledValueSelector& s : rule.headers) {
    if (s.selector.type == MatchType::kDistinct) {
      // Envoy's request_headers action: the first value; an absent header drops the descriptor.
      const http1::Header* h = http1::findHeader(head.headers, s.selector.name);
      if (h == nullptr) return false;
      appendKeyPart(key, h->value);
    } else if (headerMatches(s, head.headers, joined) == s.selector.invert) {
      return false;
    }
  }
  if (!rule.methods.empty() &&
      std::find(rule.methods.begin(), rule.methods.end(), head.method) == rule.methods.end()) {
    return false;
  }
  if (rule.path &&
      pathMatches(*rule.path, rule.path_regex.get(), head.target) == rule.path->invert) {
    return false;
  }
  for (const CompiledValueSelector& s : rule.query_params) {
    const auto value = queryParam(head.target, s.selector.name);
    if (s.selector.type == MatchType::kDistinct) {
      if (!value) return false;
      appendKeyPart(key, *value);
    } else if ((value && valueMatches(s, *value)) == s.selector.invert) {
      return false;
    }
  }
  if (rule.cidr) {
    if (!rule.cidr->contains(client)) return false;
    if (rule.cidr_distinct) {
      key.push_back(client.family() == IpAddress::Family::kV4 ? '4' : '6');
      key.append(reinterpret_cast<const char*>(client.bytes().data()), client.bytes().size());
    }
  }
  return true;
}

}  // namespace ctplab::proxy::ratelimit
