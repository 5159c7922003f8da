// Header mutation rules with Envoy's header_mutation semantics: add appends a field, set replaces
// every field of the name, addIfAbsent adds only to a missing name; removals run last.
#include "ctplab/proxy/request/header_rules.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "name_matcher.h"

namespace ctplab::proxy::request {

struct HeaderRules::Compiled {
  std::vector<HeaderValueRule> values;
  std::vector<std::string> remove;
  std::vector<NameMatcher> remove_on_match;
};

namespace {

std::string lowerCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void eraseName(http1::HeaderList& headers, std::string_view name) {
  std::erase_if(headers,
                [&](const http1::Header& h) { return http1::equalsIgnoreCase(h.name, name); });
}

// Spec 4.11 runs every add before every set before every addIfAbsent, whatever order a
// hand-built list has; Envoy Gateway's translator already emits them so.
int actionRank(HeaderValueRule::Action action) {
  switch (action) {
    case HeaderValueRule::Action::kAppend:
      return 0;
    case HeaderValueRule::Action::kOverwrite:
      return 1;
    case HeaderValueRule::Action::kAddIfAbsent:
      return 2;
  }
  return 3;
}

Result<std::vector<HeaderValueRule>> orderedValueRules(std::vector<HeaderValueRule> rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    return actionRank(a.action) < actionRank(b.action);
  });
  std::vector<HeaderValueRule> out;
  for (HeaderValueRule& rule : rules) {
    if (!http1::isValidFieldName(rule.name)) {
      return Error{"header rule name \"" + rule.name + "\" is not an HTTP token"};
    }
    // An empty list still means one field, with an empty value.
    if (rule.values.empty()) rule.values.emplace_back();
    for (const std::string& v : rule.values) {
      if (!http1::isValidFieldValue(v)) {
        return Error{"header rule \"" + rule.name + "\" has a value with CR, LF or NUL"};
      }
    }
    const bool used = std::any_of(out.begin(), out.end(), [&](const HeaderValueRule& earlier) {
      return http1::equalsIgnoreCase(earlier.name, rule.name);
    });
    if (used) continue;
    rule.name = lowerCase(rule.name);
    out.push_back(std::move(rule));
  }
  return out;
}

void applyValueRule(const HeaderValueRule& rule, http1::HeaderList& headers) {
  switch (rule.action) {
    case HeaderValueRule::Action::kAppend:
      break;
    case HeaderValueRule::Action::kOverwrite:
      eraseName(headers, rule.name);
      break;
    case HeaderValueRule::Action::kAddIfAbsent:
      if (http1::findHeader(headers, rule.name) != nullptr) return;
      break;
  }
  for (const std::string& v : rule.values) headers.push_back({rule.name, v});
}

}  // namespace

Result<HeaderRules> HeaderRules::compile(const HeaderRulesOptions& options) {
  auto compiled = std::make_shared<Compiled>();
  auto values = orderedValueRules(options.values);
  if (!values.ok()) return values.error();
  compiled->values = std::move(values).value();
  for (const std::string& name : options.remove) {
    if (name.empty()) return Error{"header rules remove an empty name"};
    compiled->remove.push_back(name);
  }
  for (const NameMatch& m : options.remove_on_match) {
    auto matcher = NameMatcher::compile(m);
    if (!matcher.ok()) return matcher.error();
    compiled->remove_on_match.push_back(std::move(matcher).value());
  }
  HeaderRules rules;
  if (!compiled->values.empty() || !compiled->remove.empty() ||
      !compiled->remove_on_match.empty()) {
    rules.compiled_ = std::move(compiled);
  }
  return rules;
}

void HeaderRules::apply(http1::HeaderList& headers) const {
  if (!compiled_) return;
  for (const HeaderValueRule& rule : compiled_->values) applyValueRule(rule, headers);
  for (const std::string& name : compiled_->remove) eraseName(headers, name);
  for (const NameMatcher& m : compiled_->remove_on_match) {
    std::erase_if(headers, [&](const http1::Header& h) { return m.matches(h.name); });
  }
}

bool HeaderRules::empty() const { return compiled_ == nullptr; }

const std::vector<HeaderValueRule>& HeaderRules::valueRules() const {
  static const std::vector<HeaderValueRule> kNone;
  return compiled_ ? compiled_->values : kNone;
}

}  // namespace ctplab::proxy::request
