#include "ratelimit/rule_compile.h"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ctplab::proxy::ratelimit {
namespace {

std::string field(size_t rule, std::string_view rest) {
  return "rules[" + std::to_string(rule) + "].clientSelectors." + std::string(rest);
}

Result<std::shared_ptr<const re2::RE2>> compileRegex(const std::string& pattern,
                                                     const std::string& where) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const re2::RE2>(pattern, options);
  if (!regex->ok()) {
    return Error{where + ": invalid regular expression \"" + pattern + "\": " + regex->error()};
  }
  return std::shared_ptr<const re2::RE2>(std::move(regex));
}

Result<std::vector<CompiledValueSelector>> compileValues(const std::vector<ValueSelector>& list,
                                                         size_t rule, std::string_view kind) {
  std::vector<CompiledValueSelector> out;
  out.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const ValueSelector& s = list[i];
    const std::string where = field(rule, std::string(kind) + "[" + std::to_string(i) + "]");
    if (s.name.empty()) return Error{where + ".name: must not be empty"};
    if (s.type == MatchType::kDistinct && s.invert) {
      return Error{where + ": invert is not supported with Distinct"};
    }
    CompiledValueSelector compiled{s, nullptr};
    if (s.type == MatchType::kRegex) {
      auto regex = compileRegex(s.value, where + ".value");
      if (!regex) return regex.error();
      compiled.regex = std::move(regex).value();
    }
    out.push_back(std::move(compiled));
  }
  return out;
}

}  // namespace

Result<CompiledRule> compileSelectors(const ClientSelectors& s, size_t index) {
  CompiledRule out;
  out.api_index = index;
  auto headers = compileValues(s.headers, index, "headers");
  if (!headers) return headers.error();
  out.headers = std::move(headers).value();
  auto query = compileValues(s.query_params, index, "queryParams");
  if (!query) return query.error();
  out.query_params = std::move(query).value();
  for (const std::string& method : s.methods) {
    if (method.empty()) return Error{field(index, "methods: empty method")};
  }
  out.methods = s.methods;
  out.path = s.path;
  if (s.path && s.path->type == PathSelector::Type::kRegex) {
    auto regex = compileRegex(s.path->value, field(index, "path.value"));
    if (!regex) return regex.error();
    out.path_regex = std::move(regex).value();
  }
  if (s.source_cidr) {
    auto cidr = IpCidr::parse(s.source_cidr->cidr);
    if (!cidr) {
      return Error{field(index, "sourceCIDR.value: invalid CIDR \"" + s.source_cidr->cidr + "\"")};
    }
    out.cidr = *cidr;
    out.cidr_distinct = s.source_cidr->type == SourceCidrSelector::Type::kDistinct;
  }
  return out;
}

}  // namespace ctplab::proxy::ratelimit
