#include "ctplab/policy/status.h"

#include <algorithm>
#include <cctype>

namespace ctplab::policy {

const Condition* AncestorStatus::find(const std::string& type) const {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

AncestorStatus& PolicyStatus::ancestor(const AncestorRef& ref, const std::string& controller) {
  for (auto& a : ancestors_) {
    if (a.ref == ref && a.controller_name == controller) return a;
  }
  ancestors_.push_back({ref, controller, {}});
  return ancestors_.back();
}

void PolicyStatus::setCondition(const AncestorRef& ref, const std::string& controller,
                                Condition c) {
  auto& a = ancestor(ref, controller);
  for (auto& existing : a.conditions) {
    if (existing.type == c.type) {
      existing = std::move(c);
      return;
    }
  }
  a.conditions.push_back(std::move(c));
}

void PolicyStatus::setAcceptedIfUnset(const AncestorRef& ref, const std::string& controller,
                                      int64_t gen) {
  auto& a = ancestor(ref, controller);
  if (a.find("Accepted") != nullptr) return;
  a.conditions.push_back({"Accepted", "True", "Accepted", "Policy has been accepted.", gen});
}

void PolicyStatus::addWarning(const AncestorRef& ref, const std::string& controller,
                              const std::string& reason, const std::string& message, int64_t gen) {
  auto& a = ancestor(ref, controller);
  for (auto& c : a.conditions) {
    if (c.type != "Warning") continue;
    if (c.message.find(message) != std::string::npos) return;
    if (message.find(c.message) != std::string::npos) {
      c.message = message;
      c.reason = reason;
      return;
    }
    c.message += "; " + message;
    c.reason = "Warnings";
    return;
  }
  a.conditions.push_back({"Warning", "True", reason, message, gen});
}

void PolicyStatus::truncate(const std::string& controller, int64_t gen) {
  constexpr size_t kMaxAncestors = 16;
  if (ancestors_.size() <= kMaxAncestors) return;
  auto rank = [](const AncestorStatus& a) {
    for (const auto& c : a.conditions) {
      if (c.type == "Accepted" && c.status == "False") return 0;
    }
    for (const auto& c : a.conditions) {
      if (c.type == "Overridden" && c.status == "True") return 1;
    }
    return 2;
  };
  std::stable_sort(ancestors_.begin(), ancestors_.end(),
                   [&](const AncestorStatus& x, const AncestorStatus& y) {
                     int rx = rank(x), ry = rank(y);
                     if (rx != ry) return rx < ry;
                     if (x.ref.ns != y.ref.ns) return x.ref.ns < y.ref.ns;
                     return x.ref.name < y.ref.name;
                   });
  ancestors_.resize(kMaxAncestors);
  ancestors_.back().controller_name = controller;
  ancestors_.back().conditions.push_back(
      {"Aggregated", "True", "Aggregated",
       "Ancestors have been truncated because the number of policy ancestors exceeds 16.", gen});
}

std::string errorConditionMessage(const std::vector<std::string>& errors) {
  std::string m;
  for (size_t i = 0; i < errors.size(); ++i) m += (i ? "\n" : "") + errors[i];
  if (m.empty()) return m;
  if (std::isalpha(static_cast<unsigned char>(m[0]))) m[0] = static_cast<char>(std::toupper(m[0]));
  if (m.back() != '.') m += '.';
  constexpr size_t kMaxMessage = 32768;
  const std::string suffix = " (message truncated).";
  if (m.size() > kMaxMessage) m = m.substr(0, kMaxMessage - suffix.size()) + suffix;
  return m;
}

}  // namespace ctplab::policy
