// A compiled removeOnMatch StringMatch on header names (case-insensitive), kept private so <regex>
// stays out of public headers.
#pragma once

#include <memory>
#include <regex>
#include <string_view>

#include "ctplab/proxy/request/header_rules.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::request {

class NameMatcher {
 public:
  // Errors: an empty value, or a regex std::regex cannot compile.
  static Result<NameMatcher> compile(const NameMatch& match);

  bool matches(std::string_view name) const;

 private:
  NameMatch match_;                          // exact/prefix/suffix values lower-cased
  std::shared_ptr<const std::regex> regex_;  // with kRegex
};

}  // namespace ctplab::proxy::request
