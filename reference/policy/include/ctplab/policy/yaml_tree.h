// An ordered, typed YAML value used for everything the engine prints, and its emitter.
// Keys are emitted sorted (as Envoy Gateway's golden files are) and scalars quoted only when
// needed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ctplab::policy {

class Tree {
 public:
  enum class Kind { kNull, kBool, kInt, kNumber, kString, kList, kMap };

  Tree() = default;
  static Tree null() { return Tree(); }
  static Tree boolean(bool v);
  static Tree integer(int64_t v);
  static Tree number(std::string raw);  // a plain numeric scalar kept as written (e.g. 1.5)
  static Tree string(std::string v);
  static Tree list();
  static Tree map();

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::kNull; }
  bool asBool() const { return bool_; }
  int64_t asInt() const { return int_; }
  const std::string& text() const { return text_; }

  // Map access: set replaces; get returns nullptr when absent.
  Tree& set(const std::string& key, Tree value);
  const Tree* get(const std::string& key) const;
  Tree* get(const std::string& key);
  const std::map<std::string, Tree>& entries() const { return map_; }
  bool empty() const { return kind_ == Kind::kMap ? map_.empty() : list_.empty(); }

  // List access.
  Tree& push(Tree value);
  const std::vector<Tree>& items() const { return list_; }
  std::vector<Tree>& items() { return list_; }

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  std::string text_;
  std::vector<Tree> list_;
  std::map<std::string, Tree> map_;
};

// Block-style YAML with two-space indentation; `[]` and `{}` for empty collections.
std::string emitYaml(const Tree& root);

// True when `s` must be quoted to stay a string in YAML (it would read as a number, bool, null,
// or starts with an indicator character).
bool needsQuoting(const std::string& s);

}  // namespace ctplab::policy
