// A report shaped like the Gateway API conformance report users know (ConformanceReport:
// implementation, mode, profiles with per-result statistics and test lists), one profile per
// feature tag.
#include <map>
#include <set>

#include "ctplab/conformance/reports.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::conformance {

std::string conformanceReportYaml(const SuiteResult& suite, const std::string& date) {
  using policy::Tree;
  struct Stats {
    std::vector<std::string> passed, failed, skipped;
  };
  std::map<std::string, Stats> by_feature;
  for (const auto& r : suite.cases) {
    for (const auto& f : r.test->features) {
      auto& s = by_feature[f];
      (r.outcome == Outcome::kPassed   ? s.passed
       : r.outcome == Outcome::kFailed ? s.failed
                                       : s.skipped)
          .push_back(r.test->name);
    }
  }
  Tree root = Tree::map();
  root.set("apiVersion", Tree::string("gateway.networking.k8s.io/v1"));
  root.set("kind", Tree::string("ConformanceReport"));
  root.set("date", Tree::string(date));
  Tree impl = Tree::map();
  impl.set("organization", Tree::string("ctplab"));
  impl.set("project", Tree::string("ctplab"));
  impl.set("version", Tree::string("reference"));
  root.set("implementation", std::move(impl));
  root.set("mode", Tree::string(modeName(suite.mode)));
  Tree summary = Tree::map();
  summary.set("Passed", Tree::integer(static_cast<int64_t>(suite.passed())));
  summary.set("Failed", Tree::integer(static_cast<int64_t>(suite.failed())));
  summary.set("Skipped", Tree::integer(static_cast<int64_t>(suite.skipped())));
  root.set("statistics", std::move(summary));
  Tree profiles = Tree::list();
  for (const auto& [feature, s] : by_feature) {
    Tree profile = Tree::map();
    profile.set("name", Tree::string(feature));
    profile.set("result", Tree::string(!s.failed.empty()   ? "failure"
                                       : !s.passed.empty() ? "success"
                                                           : "skipped"));
    Tree stats = Tree::map();
    stats.set("Passed", Tree::integer(static_cast<int64_t>(s.passed.size())));
    stats.set("Failed", Tree::integer(static_cast<int64_t>(s.failed.size())));
    stats.set("Skipped", Tree::integer(static_cast<int64_t>(s.skipped.size())));
    profile.set("statistics", std::move(stats));
    auto list = [](const std::vector<std::string>& names) {
      Tree t = Tree::list();
      for (const auto& n : names) t.push(Tree::string(n));
      return t;
    };
    profile.set("passedTests", list(s.passed));
    profile.set("failedTests", list(s.failed));
    profile.set("skippedTests", list(s.skipped));
    profiles.push(std::move(profile));
  }
  root.set("profiles", std::move(profiles));
  // Outside simulation some expectations cannot be observed; a reader of the report must know
  // which passes rest on fewer checks.
  Tree unchecked = Tree::map();
  for (const auto& r : suite.cases) {
    if (r.unchecked.empty()) continue;
    Tree items = Tree::list();
    for (const auto& u : r.unchecked) items.push(Tree::string(u));
    unchecked.set(r.test->name, std::move(items));
  }
  if (!unchecked.empty()) root.set("uncheckedExpectations", std::move(unchecked));
  return policy::emitYaml(root);
}

}  // namespace ctplab::conformance
