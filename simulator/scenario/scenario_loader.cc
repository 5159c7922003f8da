// Scenario files: reads the text, parses the YAML, decodes the top level (identity, resources,
// profiles, populations) and turns every failure, parser exceptions included, into diagnostics.
#include "ctplab/simulator/scenario/scenario_loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <vector>

#include "scenario/decoders.h"
#include "scenario/yaml_document.h"

namespace ctplab::sim::scenario {
namespace {

using loader::Field;
using loader::Keys;
using loader::Sign;

std::string resolveResource(const std::string& base_dir, const std::string& file) {
  std::filesystem::path p(file);
  if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().generic_string();
}

// Inline resources are handed to the policy loader as text of their own. A literal block
// (`inline: |`) keeps its lines, so padding it with the lines above it makes the policy
// loader's line numbers those of the scenario file; other forms get a label naming the entry.
std::pair<std::string, std::string> inlineResource(const Field& f, const std::string& text,
                                                   std::string_view file_text,
                                                   const std::string& file_label) {
  const YAML::Mark mark = f.node().Mark();
  const bool literal_block = mark.pos >= 0 && static_cast<size_t>(mark.pos) < file_text.size() &&
                             file_text[static_cast<size_t>(mark.pos)] == '|';
  if (literal_block) {
    return {file_label, std::string(static_cast<size_t>(mark.line) + 1, '\n') + text};
  }
  return {file_label + " (" + f.path() + ")", text};
}

void decodeResources(const Keys& keys, const Field& f, std::string_view file_text,
                     const std::string& file_label, const std::string& base_dir, Scenario& s) {
  for (const auto& item : f.items()) {
    if (!keys.open(item, {"file", "inline"})) {
      if (!item.present()) item.error("expected {file: path} or {inline: text}, found null");
      continue;
    }
    const Field file = keys.get(item, "file");
    const Field text = keys.get(item, "inline");
    if (file.present() == text.present()) {
      item.error("give exactly one of file or inline");
      continue;
    }
    if (file.present()) {
      if (auto path = file.str()) {
        if (path->empty()) {
          file.error("must not be empty");
        } else {
          s.resource_files.push_back(resolveResource(base_dir, *path));
        }
      }
    } else if (auto body = text.str()) {
      if (body->find_first_not_of(" \t\r\n") == std::string::npos) {
        text.error("holds no YAML documents");
      } else {
        s.inline_resources.push_back(inlineResource(text, *body, file_text, file_label));
      }
    }
  }
}

void decodePopulations(const Keys& keys, const Field& root, const loader::ScenarioFrame& frame,
                       bool required, Scenario& s) {
  const Field list = keys.get(root, "populations");
  if (!list.present()) {
    if (required) keys.missing(root, "populations");
    return;
  }
  const auto items = list.items();
  if (list.isList() && items.empty()) list.error("must list at least one population");
  std::map<std::string, int> first_line;
  for (const auto& item : items) {
    Population p = loader::decodePopulation(keys, item, frame);
    if (!p.name.empty()) {
      auto [it, inserted] = first_line.emplace(p.name, p.location.line);
      if (!inserted) {
        keys.get(item, "name")
            .error("duplicate population name \"" + p.name + "\" (first declared at line " +
                   std::to_string(it->second) + ")");
      }
    }
    s.populations.push_back(std::move(p));
  }
}

void decodeScenario(const YAML::Node& doc, std::string_view text, const std::string& file_label,
                    const std::string& base_dir, const ScenarioLoadOptions& options,
                    LoadedScenario& out) {
  policy::ReadContext ctx{file_label, "", &out.diagnostics};
  const Keys keys(&ctx);
  const Field root(doc, "", &ctx);
  if (!root.isMap()) {
    root.error("expected a scenario (a mapping of name, populations, ...)");
    return;
  }
  std::vector<std::string_view> known = {"name",
                                         "description",
                                         "seed",
                                         "duration",
                                         "now",
                                         "gateway",
                                         "resources",
                                         "network",
                                         "host",
                                         "backend",
                                         "populations",
                                         "outputs",
                                         "enforceAdmission",
                                         "hops",
                                         "certificates",
                                         "rateLimitService",
                                         "faults"};
  known.insert(known.end(), options.extra_keys.begin(), options.extra_keys.end());
  keys.open(root, known);
  Scenario& s = out.scenario;
  const Field name = keys.get(root, "name");
  if (!name.present()) {
    keys.missing(root, "name");
  } else if (auto n = name.str()) {
    if (n->empty()) name.error("must not be empty");
    s.name = *n;
  }
  if (auto d = keys.get(root, "description").str()) s.description = *d;
  if (auto n = loader::readCount(keys.get(root, "seed"), 0, INT64_MAX)) s.seed = *n;
  if (auto d = loader::readDuration(keys.get(root, "duration"), Sign::kPositive)) s.duration = *d;
  if (auto t = loader::readTimestamp(keys.get(root, "now"))) s.now = *t;
  loader::decodeGatewayDeployment(keys, keys.get(root, "gateway"), s);
  if (auto v = keys.get(root, "enforceAdmission").boolean()) s.enforce_admission = *v;
  decodeResources(keys, keys.get(root, "resources"), text, file_label, base_dir, s);
  s.network = loader::decodeLink(keys, keys.get(root, "network"), LinkProfile{});
  s.host = loader::decodeHost(keys, keys.get(root, "host"), base_dir);
  s.backend = loader::decodeBackend(keys, keys.get(root, "backend"));
  s.hops = loader::decodeHops(keys, keys.get(root, "hops"));
  s.certificates = loader::decodeCertificates(keys, keys.get(root, "certificates"));
  decodePopulations(
      keys, root,
      {s.duration, s.network, &s.hops, base_dir, s.certificates ? &*s.certificates : nullptr},
      options.require_populations, s);
  s.outputs = loader::decodeOutputs(keys, keys.get(root, "outputs"), s.duration);
  s.rate_limit_service = loader::decodeRateLimitService(keys, keys.get(root, "rateLimitService"));
  s.faults = loader::decodeFaults(keys, keys.get(root, "faults"), s.duration);
}

}  // namespace

LoadedScenario loadScenarioText(std::string_view text, const std::string& file_label,
                                const std::string& base_dir, const ScenarioLoadOptions& options) {
  LoadedScenario out;
  out.scenario.file = file_label;
  auto doc = loader::singleDocument(text, file_label, "scenario", out.diagnostics);
  if (!doc) return out;
  loader::decodeGuarded(file_label, "scenario", out.diagnostics,
                        [&] { decodeScenario(*doc, text, file_label, base_dir, options, out); });
  return out;
}

LoadedScenario loadScenarioFile(const std::string& path, const ScenarioLoadOptions& options) {
  LoadedScenario out;
  out.scenario.file = path;
  auto text = loader::readInputFile(path, "scenario", out.diagnostics);
  if (!text) return out;
  return loadScenarioText(*text, path, std::filesystem::path(path).parent_path().string(), options);
}

}  // namespace ctplab::sim::scenario
