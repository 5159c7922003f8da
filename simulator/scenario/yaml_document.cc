#include "scenario/yaml_document.h"

#include <yaml-cpp/depthguard.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace ctplab::sim::scenario::loader {

policy::SourceLocation at(const std::string& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<std::string> readInputFile(const std::string& path, std::string_view what,
                                         policy::Diagnostics& diagnostics) {
  std::error_code ec;
  const bool directory = std::filesystem::is_directory(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (directory || !in) {
    diagnostics.error({path, 0, 0}, "",
                      directory ? "is a directory, not a " + std::string(what) + " file"
                                : std::string("cannot open file"));
    return std::nullopt;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    diagnostics.error({path, 0, 0}, "", "cannot read file");
    return std::nullopt;
  }
  return text;
}

std::optional<YAML::Node> singleDocument(std::string_view text, const std::string& file_label,
                                         std::string_view what, policy::Diagnostics& diagnostics) {
  const std::string kind(what);
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message for this is "bad file".
    diagnostics.error(at(file_label, e.mark), "", "malformed YAML: nested too deeply");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diagnostics.error(at(file_label, e.mark), "", "malformed YAML: " + e.msg);
    return std::nullopt;
  } catch (const std::exception& e) {
    diagnostics.error({file_label, 0, 0}, "", std::string("cannot parse YAML: ") + e.what());
    return std::nullopt;
  }
  // Comment-only documents (a trailing `---`, say) are nothing written, not a second one.
  std::erase_if(docs, [](const YAML::Node& d) { return d.IsNull(); });
  if (docs.empty()) {
    diagnostics.error({file_label, 0, 0}, "", "empty file: expected a " + kind);
    return std::nullopt;
  }
  const YAML::Node& first = docs[0];  // const: a lookup must not add the key
  if (first.IsMap() && first["apiVersion"] && first["kind"]) {
    const char* hint = what == "scenario"   ? "; list it under a scenario's resources"
                       : what == "topology" ? "; pass it with the resource files"
                                            : "";
    diagnostics.error(at(file_label, first.Mark()), "",
                      "this is a Kubernetes manifest, not a " + kind + hint);
    return std::nullopt;
  }
  if (docs.size() > 1) {
    diagnostics.error(
        at(file_label, docs[1].Mark()), "",
        "a " + kind + " file holds one YAML document; found " + std::to_string(docs.size()));
    return std::nullopt;
  }
  return docs[0];
}

}  // namespace ctplab::sim::scenario::loader
