// StringMatch semantics for Upgrade values, with the regex kept away from hostile input sizes.
#include "upgrade_matchers.h"

#include <string>

namespace ctplab::proxy::http1 {
namespace {

// libstdc++'s regex matcher recurses per input character; a cap keeps a long Upgrade value from
// exhausting the stack. Real upgrade tokens are a few dozen bytes.
constexpr size_t kMaxRegexInput = 256;

}  // namespace

Result<std::shared_ptr<const UpgradeMatchers>> UpgradeMatchers::compile(
    const std::vector<UpgradeTypeMatch>& matches) {
  auto out = std::make_shared<UpgradeMatchers>();
  for (const UpgradeTypeMatch& m : matches) {
    if (m.value.empty()) return Error{"ignoredUpgradeTypes: a matcher has an empty value"};
    Entry entry{m, nullptr};
    if (m.kind == UpgradeTypeMatch::Kind::kRegex) {
      try {
        entry.regex = std::make_shared<const std::regex>(m.value, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        return Error{"ignoredUpgradeTypes: invalid regex \"" + m.value + "\": " + e.what()};
      }
    }
    out->entries_.push_back(std::move(entry));
  }
  return std::shared_ptr<const UpgradeMatchers>(std::move(out));
}

bool UpgradeMatchers::matches(std::string_view upgrade) const {
  for (const Entry& e : entries_) {
    const std::string_view v = e.match.value;
    switch (e.match.kind) {
      case UpgradeTypeMatch::Kind::kExact:
        if (upgrade == v) return true;
        break;
      case UpgradeTypeMatch::Kind::kPrefix:
        if (upgrade.substr(0, v.size()) == v) return true;
        break;
      case UpgradeTypeMatch::Kind::kSuffix:
        if (upgrade.size() >= v.size() && upgrade.substr(upgrade.size() - v.size()) == v) {
          return true;
        }
        break;
      case UpgradeTypeMatch::Kind::kRegex:
        if (upgrade.size() > kMaxRegexInput) break;
        // regex_match reports resource exhaustion by throwing; that must not escape the data
        // path, and such a value simply does not match.
        try {
          if (std::regex_match(upgrade.begin(), upgrade.end(), *e.regex)) return true;
        } catch (const std::regex_error&) {
        }
        break;
    }
  }
  return false;
}

}  // namespace ctplab::proxy::http1
