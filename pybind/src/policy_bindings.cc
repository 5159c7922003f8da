// ctplab.translate: manifests (files or YAML text) through the policy engine, with the output of
// `ctplab translate` (YAML), the statuses and IR as Python objects and `ctplab validate`'s report.
#include <fstream>
#include <sstream>

#include "bindings.h"
#include "ctplab/policy/output.h"
#include "errors.h"
#include "translation.h"
#include "tree_convert.h"

namespace ctplab::python {
namespace {

struct Source {
  bool is_path = false;
  std::string value;  // the path, or the YAML text
  std::string label;  // text only: names it in diagnostics
};

// As policy::loadFiles reads one file, so a path given here reports what the CLI reports.
void loadPath(const std::string& path, policy::LoadResult& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.unreadable = true;
    out.diagnostics.error({path, 0, 0}, "", "cannot open file");
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  policy::loadText(buffer.str(), path, out);
}

std::shared_ptr<TranslationData> translateSources(const std::vector<Source>& sources,
                                                  int64_t now_unix_ns, bool enforce_admission,
                                                  const std::string& controller_name) {
  auto data = std::make_shared<TranslationData>();
  data->loaded = std::make_unique<policy::LoadResult>();
  policy::LoadResult& loaded = *data->loaded;
  bool failed = false;
  {
    // Loading megabytes of YAML takes a while; other Python threads may run meanwhile.
    py::gil_scoped_release release;
    for (const auto& s : sources) {
      if (s.is_path) {
        loadPath(s.value, loaded);
      } else {
        policy::loadText(s.value, s.label, loaded);
      }
    }
    failed = loaded.unreadable || loaded.diagnostics.hasErrors();
    if (!failed) {
      policy::TranslateOptions options;
      options.now = TimePoint::fromUnixNanos(now_unix_ns);
      options.enforce_admission = enforce_admission;
      options.controller_name = controller_name;
      data->result = policy::translate(loaded.resources, options);
    }
  }
  if (failed) raiseDiagnostics(ErrorKind::kPolicy, loaded.diagnostics.all());
  data->diagnostics = loaded.diagnostics.all();
  return data;
}

py::dict conditionToPython(const policy::Condition& c) {
  py::dict out;
  out["type"] = c.type;
  out["status"] = c.status;
  out["reason"] = c.reason;
  out["message"] = c.message;
  out["observedGeneration"] = c.observed_generation;
  return out;
}

// status.ancestors with the field names `ctplab translate` prints.
py::list ancestorsToPython(const policy::PolicyStatus& status) {
  py::list out;
  for (const auto& a : status.ancestors()) {
    py::dict ref;
    ref["group"] = a.ref.group;
    ref["kind"] = a.ref.kind;
    ref["namespace"] = a.ref.ns;
    ref["name"] = a.ref.name;
    if (a.ref.section_name) ref["sectionName"] = *a.ref.section_name;
    py::list conditions;
    for (const auto& c : a.conditions) conditions.append(conditionToPython(c));
    py::dict ancestor;
    ancestor["ancestorRef"] = ref;
    ancestor["controllerName"] = a.controller_name;
    ancestor["conditions"] = conditions;
    out.append(ancestor);
  }
  return out;
}

template <typename PolicyResult>
py::dict statusToPython(const char* kind, const PolicyResult& r) {
  py::dict out;
  out["kind"] = kind;
  out["namespace"] = r.policy->meta.ns;
  out["name"] = r.policy->meta.name;
  out["ancestors"] = ancestorsToPython(r.status);
  out["admissionErrors"] = r.admission_errors;
  out["rejected"] = r.rejected;
  return out;
}

// ClientTrafficPolicies in the translator's order, then the SecurityPolicies it lists.
py::list statusesToPython(const TranslationData& data) {
  py::list out;
  for (const auto& r : data.result.policies) out.append(statusToPython("ClientTrafficPolicy", r));
  for (const auto& r : data.result.security_policies) {
    if (r.handled) out.append(statusToPython("SecurityPolicy", r));
  }
  return out;
}

// The lines `ctplab translate` writes to stderr after loading: warnings, then admission findings.
std::vector<std::string> warningLines(const TranslationData& data) {
  std::vector<std::string> out;
  for (const auto& d : data.diagnostics) out.push_back(policy::formatDiagnostic(d));
  for (const auto& r : data.result.policies) {
    for (const auto& e : r.admission_errors) {
      out.push_back("warning: ClientTrafficPolicy " + r.policy->meta.ns + "/" +
                    r.policy->meta.name + ": the API server would reject: " + e);
    }
  }
  return out;
}

}  // namespace

void bindPolicy(py::module_& m) {
  py::class_<TranslationData, std::shared_ptr<TranslationData>>(
      m, "TranslationData", "The policy engine's result for one set of manifests.")
      .def(
          "tree",
          [](const TranslationData& d) { return treeToPython(translationToTree(d.result)); },
          "The translator output as dicts and lists (what `yaml` prints).")
      .def(
          "yaml",
          [](const TranslationData& d) {
            auto tree = translationToTree(d.result);
            py::gil_scoped_release release;
            return policy::emitYaml(tree);
          },
          "The text `ctplab translate` prints.")
      .def(
          "report",
          [](const TranslationData& d) {
            py::gil_scoped_release release;
            return policy::validationReport(d.result);
          },
          "The report `ctplab validate` prints.")
      .def("statuses", &statusesToPython, "Per policy: kind, namespace, name, status.ancestors.")
      .def(
          "diagnostics",
          [](const TranslationData& d) { return diagnosticsToPython(d.diagnostics); },
          "The loader's warnings.")
      .def("warning_lines", &warningLines, "What `ctplab translate` writes to stderr.");

  m.def(
      "translate",
      [](const std::vector<std::tuple<bool, std::string, std::string>>& sources,
         int64_t now_unix_ns, bool enforce_admission, const std::string& controller_name) {
        std::vector<Source> list;
        for (const auto& [is_path, value, label] : sources) list.push_back({is_path, value, label});
        return translateSources(list, now_unix_ns, enforce_admission, controller_name);
      },
      py::arg("sources"), py::arg("now_unix_ns"), py::arg("enforce_admission"),
      py::arg("controller_name"),
      "Loads (is_path, path or text, label) sources in order and translates them; raises "
      "ctplab.PolicyError with the loader's diagnostics.");
}

}  // namespace ctplab::python
