// Typed, located access to one YAML object: every read names file:line:column and field path,
// wrong types and unknown fields become diagnostics (never exceptions or silent defaults).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::policy {

// Shared by every Field of one object: where diagnostics go and how they are labelled.
struct ReadContext {
  std::string file;
  std::string object;  // e.g. "ClientTrafficPolicy envoy-gateway/p1"
  Diagnostics* diags = nullptr;
};

class Field {
 public:
  Field(YAML::Node node, std::string path, ReadContext* ctx)
      : node_(std::move(node)), path_(std::move(path)), ctx_(ctx) {}
  // An absent child: diagnostics about it (e.g. a missing required field) point at `parent`.
  Field(std::string path, ReadContext* ctx, SourceLocation parent)
      : node_(YAML::NodeType::Undefined),
        path_(std::move(path)),
        ctx_(ctx),
        absent_at_(std::move(parent)) {}

  bool present() const { return node_.IsDefined() && !node_.IsNull(); }
  bool isMap() const { return node_.IsMap(); }
  bool isList() const { return node_.IsSequence(); }
  const std::string& path() const { return path_; }
  SourceLocation location() const;
  const YAML::Node& node() const { return node_; }
  ReadContext* context() const { return ctx_; }

  // Child lookup: exact key first, then a case-insensitive match (Go's JSON decoding accepts it;
  // the API server would not, so a warning says so).
  Field operator[](const char* key) const;

  // Reports keys of this map that are not in `known`. Strict objects report errors.
  void rejectUnknown(std::initializer_list<const char*> known, bool strict = true) const;

  // Typed reads. Absent or null → nullopt, no diagnostic. Wrong type → nullopt + error.
  std::optional<std::string> str() const;
  std::optional<bool> boolean() const;
  std::optional<int64_t> integer() const;
  std::optional<uint32_t> uint32() const;
  std::optional<std::string> intOrString() const;  // quantities: 15, "15", 15Ki
  std::vector<std::string> strings() const;
  std::vector<Field> items() const;  // list elements; error when not a list
  std::map<std::string, std::string> stringMap() const;
  bool expectMap() const;                        // error when present but not a map
  std::string required(const char* what) const;  // str(), error when absent

  void error(const std::string& message) const;
  void warning(const std::string& message) const;

 private:
  YAML::Node node_;
  std::string path_;
  ReadContext* ctx_;
  SourceLocation absent_at_;
};

// Converts a YAML node to an output Tree, keeping plain numbers and bools typed.
Tree toTree(const YAML::Node& node);

}  // namespace ctplab::policy
