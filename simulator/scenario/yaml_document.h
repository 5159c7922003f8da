// Private to the simulator's file loaders (scenarios, topologies): a file's text and its single
// YAML document, with every read or parser failure recorded as a located diagnostic, never thrown.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "ctplab/policy/diagnostics.h"

namespace ctplab::sim::scenario::loader {

policy::SourceLocation at(const std::string& file, const YAML::Mark& mark);

// The whole file; nullopt after recording why (missing, a directory, unreadable). `what` names
// the kind of file in messages: "scenario", "topology".
std::optional<std::string> readInputFile(const std::string& path, std::string_view what,
                                         policy::Diagnostics& diagnostics);

// The one document `text` holds; nullopt after recording why: malformed YAML, nothing written,
// a Kubernetes manifest instead, several documents. Comment-only documents are ignored.
std::optional<YAML::Node> singleDocument(std::string_view text, const std::string& file_label,
                                         std::string_view what, policy::Diagnostics& diagnostics);

// Runs `decode`; yaml-cpp can still throw on odd node shapes (aliases, complex keys) while a
// decoder reads, and none of that may escape a loader.
template <typename Decode>
void decodeGuarded(const std::string& file_label, std::string_view what,
                   policy::Diagnostics& diagnostics, Decode&& decode) {
  try {
    decode();
  } catch (const YAML::Exception& e) {
    diagnostics.error(at(file_label, e.mark), "", "unreadable YAML structure: " + e.msg);
  } catch (const std::exception& e) {
    diagnostics.error({file_label, 0, 0}, "",
                      "cannot read " + std::string(what) + ": " + std::string(e.what()));
  }
}

}  // namespace ctplab::sim::scenario::loader
