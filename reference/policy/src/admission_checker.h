// The API server's validation message formats (CEL rules, schema patterns, enums, list and string
// bounds), shared by the admission checks of the policy kinds. Internal to the engine.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/ctp_spec.h"
#include "ctplab/policy/units.h"

namespace ctplab::policy {

class Checker {
 public:
  std::vector<std::string> errors;
  void cel(const std::string& path, const std::string& message) {
    errors.push_back(path + ": Invalid value: \"object\": " + message);
  }
  // A CEL rule on a list (the API server names the schema type it failed on).
  void celList(const std::string& path, const std::string& message) {
    errors.push_back(path + ": Invalid value: \"array\": " + message);
  }
  void pattern(const std::string& path, const std::string& value, const std::string& re) {
    errors.push_back(path + ": Invalid value: \"" + value + "\": " + path +
                     " in body should match '" + re + "'");
  }
  void enumeration(const std::string& path, const std::optional<std::string>& v,
                   std::initializer_list<const char*> allowed) {
    if (!v) return;
    std::string list;
    for (const char* a : allowed) {
      if (*v == a) return;
      list += std::string(list.empty() ? "" : ", ") + "\"" + a + "\"";
    }
    errors.push_back(path + ": Unsupported value: \"" + *v + "\": supported values: " + list);
  }
  void maxItems(const std::string& path, size_t n, size_t max) {
    if (n > max) {
      errors.push_back(path + ": Too many: " + std::to_string(n) + ": must have at most " +
                       std::to_string(max) + " items");
    }
  }
  void minItems(const std::string& path, size_t n, size_t min) {
    if (n < min) {
      errors.push_back(path + ": Invalid value: " + std::to_string(n) + ": " + path +
                       " in body should have at least " + std::to_string(min) + " items");
    }
  }
  void length(const std::string& path, const std::string& v, size_t min, size_t max) {
    if (v.size() < min) {
      errors.push_back(path + ": Invalid value: \"" + v + "\": " + path +
                       " in body should be at least " + std::to_string(min) + " chars long");
    } else if (v.size() > max) {
      errors.push_back(path + ": Too long: may not be more than " + std::to_string(max) + " bytes");
    }
  }
  void required(const std::string& path) { errors.push_back(path + ": Required value"); }
  void maximum(const std::string& path, int64_t v, int64_t max) {
    if (v > max) {
      errors.push_back(path + ": Invalid value: " + std::to_string(v) + ": " + path +
                       " in body should be less than or equal to " + std::to_string(max));
    }
  }
  void minimum(const std::string& path, int64_t v, int64_t min) {
    if (v < min) {
      errors.push_back(path + ": Invalid value: " + std::to_string(v) + ": " + path +
                       " in body should be greater than or equal to " + std::to_string(min));
    }
  }
  // The TargetSelector rules every policy kind shares.
  void targetSelectors(const std::vector<TargetSelectorSpec>& selectors) {
    for (size_t i = 0; i < selectors.size(); ++i) {
      const auto& sel = selectors[i];
      std::string path = "spec.targetSelectors[" + std::to_string(i) + "]";
      if (sel.group && *sel.group != "gateway.networking.k8s.io") {
        cel(path, "group must be gateway.networking.k8s.io");
      }
      if (sel.has_namespaces) {
        enumeration(path + ".namespaces.from", sel.namespaces_from, {"Same", "All", "Selector"});
        if (sel.namespaces_from == "Selector" && !sel.has_namespace_selector) {
          cel(path + ".namespaces", "selector must be specified when from is Selector");
        }
      }
    }
  }
  void duration(const std::string& path, const std::optional<std::string>& v) {
    if (v && !matchesGatewayDuration(*v)) pattern(path, *v, "^([0-9]{1,5}(h|m|s|ms)){1,4}$");
  }
  void quantity(const std::string& path, const std::optional<QuantityText>& q) {
    if (q && !matchesQuantityPattern(q->text)) {
      pattern(path, q->text, "^[1-9]+[0-9]*([EPTGMK]i|[EPTGMk])?$");
    }
  }
};

}  // namespace ctplab::policy
