// Status conditions as Envoy Gateway writes them: policy ancestors (with its merge and
// truncation rules) and Gateway listener conditions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ctplab::policy {

struct Condition {
  std::string type;
  std::string status;  // "True" / "False"
  std::string reason;
  std::string message;
  int64_t observed_generation = 0;
};

struct AncestorRef {
  std::string group = "gateway.networking.k8s.io";
  std::string kind;  // Gateway | ListenerSet
  std::string ns;
  std::string name;
  std::optional<std::string> section_name;
  bool operator==(const AncestorRef&) const = default;
};

struct AncestorStatus {
  AncestorRef ref;
  std::string controller_name;
  std::vector<Condition> conditions;
  const Condition* find(const std::string& type) const;
};

// A policy's status.ancestors with Envoy Gateway's bookkeeping rules.
class PolicyStatus {
 public:
  // Writes or replaces the condition of the same type on `ref` (creating the ancestor).
  void setCondition(const AncestorRef& ref, const std::string& controller, Condition c);
  // Sets Accepted=True unless an Accepted condition already exists.
  void setAcceptedIfUnset(const AncestorRef& ref, const std::string& controller, int64_t gen);
  // Merges a Warning message per the upstream rule (contained → keep, contains → replace,
  // else append with "; " and reason Warnings).
  void addWarning(const AncestorRef& ref, const std::string& controller, const std::string& reason,
                  const std::string& message, int64_t gen);
  // Keeps 16 ancestors (rank: Accepted=False, Overridden, others; then namespace, name) and
  // marks the 16th with Aggregated.
  void truncate(const std::string& controller, int64_t gen);

  const std::vector<AncestorStatus>& ancestors() const { return ancestors_; }

 private:
  AncestorStatus& ancestor(const AncestorRef& ref, const std::string& controller);
  std::vector<AncestorStatus> ancestors_;
};

// A condition message from translation errors, as upstream's Error2ConditionMsg writes it: the
// errors joined with "\n", the first letter upper-cased, a final "." added when missing, and the
// text cut to the condition message limit.
std::string errorConditionMessage(const std::vector<std::string>& errors);

struct ListenerStatus {
  std::string name;
  int64_t attached_routes = 0;
  std::vector<std::pair<std::string, std::string>> supported_kinds;  // group, kind
  std::vector<Condition> conditions;
};

}  // namespace ctplab::policy
