// Compiled CTP `http1.ignoredUpgradeTypes`: which Upgrade values are stripped instead of upgraded.
// Regexes use std::regex (ECMAScript, full match), not RE2 as Envoy does.
#pragma once

#include <memory>
#include <regex>
#include <string_view>
#include <vector>

#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http1 {

class UpgradeMatchers {
 public:
  // Errors: an empty matcher value, or a regex std::regex cannot compile.
  static Result<std::shared_ptr<const UpgradeMatchers>> compile(
      const std::vector<UpgradeTypeMatch>& matches);

  bool matches(std::string_view upgrade) const;

 private:
  struct Entry {
    UpgradeTypeMatch match;
    std::shared_ptr<const std::regex> regex;  // with kRegex
  };
  std::vector<Entry> entries_;
};

}  // namespace ctplab::proxy::http1
