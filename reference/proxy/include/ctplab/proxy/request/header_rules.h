// Compiled CTP `earlyRequestHeaders` / `lateResponseHeaders`: one direction's add, set,
// addIfAbsent, remove and removeOnMatch rules, applied to a header list in the order spec 4.11
// fixes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::request {

// One value-carrying rule (the IR's AddHeader).
struct HeaderValueRule {
  enum class Action {
    kAppend,       // `add`: another field with this name, existing ones kept
    kOverwrite,    // `set`: every field with this name replaced
    kAddIfAbsent,  // `addIfAbsent`: only when no field has this name
  };
  std::string name;
  // Usually one. With more, the first follows `action` and the rest are appended to it, so a
  // multi-value `set` leaves exactly these values.
  std::vector<std::string> values;
  Action action = Action::kAppend;
};

// One `removeOnMatch` StringMatch on a header name. Names compare case-insensitively; a regex must
// match the whole name lower-cased, which is how Envoy's header map holds names.
struct NameMatch {
  enum class Kind { kExact, kPrefix, kSuffix, kRegex };
  Kind kind = Kind::kExact;
  std::string value;
};

// Plain values, as the IR lists them.
struct HeaderRulesOptions {
  std::vector<HeaderValueRule> values = {};
  std::vector<std::string> remove = {};
  std::vector<NameMatch> remove_on_match = {};
};

// Immutable and cheap to copy (the compiled rules are shared).
class HeaderRules {
 public:
  HeaderRules() = default;  // no rules: apply() changes nothing

  // Value rules are put in spec order (every add, then every set, then every addIfAbsent; stable
  // within a kind), and a rule whose name an earlier one already used (any case) is dropped, as
  // Envoy Gateway's translator does. Names are lower-cased, as Envoy writes added fields.
  // Errors: a name that is not an HTTP token, a value with CR, LF or NUL, an empty remove name or
  // matcher value, a regex std::regex cannot compile.
  static Result<HeaderRules> compile(const HeaderRulesOptions& options);

  // Value rules first, then removals, then removeOnMatch: a name both set and removed ends up
  // absent.
  void apply(http1::HeaderList& headers) const;

  bool empty() const;
  // The value rules that survived ordering and de-duplication, in the order they run.
  const std::vector<HeaderValueRule>& valueRules() const;

 private:
  struct Compiled;  // defined in header_rules.cc so <regex> stays out of this header
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace ctplab::proxy::request
