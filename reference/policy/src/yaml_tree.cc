#include "ctplab/policy/yaml_tree.h"

#include <regex>

namespace ctplab::policy {

Tree Tree::boolean(bool v) {
  Tree t;
  t.kind_ = Kind::kBool;
  t.bool_ = v;
  return t;
}

Tree Tree::integer(int64_t v) {
  Tree t;
  t.kind_ = Kind::kInt;
  t.int_ = v;
  return t;
}

Tree Tree::number(std::string raw) {
  Tree t;
  t.kind_ = Kind::kNumber;
  t.text_ = std::move(raw);
  return t;
}

Tree Tree::string(std::string v) {
  Tree t;
  t.kind_ = Kind::kString;
  t.text_ = std::move(v);
  return t;
}

Tree Tree::list() {
  Tree t;
  t.kind_ = Kind::kList;
  return t;
}

Tree Tree::map() {
  Tree t;
  t.kind_ = Kind::kMap;
  return t;
}

Tree& Tree::set(const std::string& key, Tree value) {
  if (kind_ != Kind::kMap) *this = map();
  auto& slot = map_[key];
  slot = std::move(value);
  return slot;
}

const Tree* Tree::get(const std::string& key) const {
  if (kind_ != Kind::kMap) return nullptr;
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

Tree* Tree::get(const std::string& key) {
  if (kind_ != Kind::kMap) return nullptr;
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

Tree& Tree::push(Tree value) {
  if (kind_ != Kind::kList) *this = list();
  list_.push_back(std::move(value));
  return list_.back();
}

bool needsQuoting(const std::string& s) {
  if (s.empty()) return true;
  static const std::regex kSpecial(
      "^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|"
      "off|Off|OFF)$");
  static const std::regex kNumeric(
      "^[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\\.(inf|Inf|INF)$|"
      "^\\.(nan|NaN|NAN)$|^0x[0-9a-fA-F_]+$|^0o?[0-7_]+$|^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_"
      "]*)?$");
  if (std::regex_match(s, kSpecial) || std::regex_match(s, kNumeric)) return true;
  const std::string indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(s[0]) != std::string::npos) {
    // A leading '-', '?' or ':' is fine when followed by a non-space, except alone.
    bool dash_like = s[0] == '-' || s[0] == '?' || s[0] == ':';
    if (!dash_like || s.size() == 1 || s[1] == ' ') return true;
  }
  if (s.front() == ' ' || s.back() == ' ') return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  if (s.back() == ':') return true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

namespace {

std::string quoteScalar(const std::string& s) {
  bool needs_double = false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) needs_double = true;
  }
  if (!needs_double) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  }
  std::string out = "\"";
  static const char* kHex = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string scalarText(const Tree& t) {
  switch (t.kind()) {
    case Tree::Kind::kNull:
      return "null";
    case Tree::Kind::kBool:
      return t.asBool() ? "true" : "false";
    case Tree::Kind::kInt:
      return std::to_string(t.asInt());
    case Tree::Kind::kNumber:
      return t.text();
    case Tree::Kind::kString:
      return needsQuoting(t.text()) ? quoteScalar(t.text()) : t.text();
    case Tree::Kind::kList:
      return "[]";
    case Tree::Kind::kMap:
      return "{}";
  }
  return "null";
}

bool isBlock(const Tree& t) {
  return (t.kind() == Tree::Kind::kList && !t.items().empty()) ||
         (t.kind() == Tree::Kind::kMap && !t.entries().empty());
}

void emitNode(const Tree& t, int indent, std::string& out);

void emitMapEntries(const Tree& t, int indent, bool first_inline, std::string& out) {
  bool first = true;
  for (const auto& [key, value] : t.entries()) {
    if (!(first && first_inline)) out.append(indent, ' ');
    first = false;
    out += needsQuoting(key) ? quoteScalar(key) : key;
    out += ":";
    if (isBlock(value)) {
      out += "\n";
      // Lists under a map key are not indented further (Go's YAML style).
      emitNode(value, value.kind() == Tree::Kind::kList ? indent : indent + 2, out);
    } else {
      out += " " + scalarText(value) + "\n";
    }
  }
}

void emitNode(const Tree& t, int indent, std::string& out) {
  if (t.kind() == Tree::Kind::kMap && !t.entries().empty()) {
    emitMapEntries(t, indent, false, out);
    return;
  }
  if (t.kind() == Tree::Kind::kList && !t.items().empty()) {
    for (const auto& item : t.items()) {
      out.append(indent, ' ');
      out += "- ";
      if (item.kind() == Tree::Kind::kMap && !item.entries().empty()) {
        emitMapEntries(item, indent + 2, true, out);
      } else if (item.kind() == Tree::Kind::kList && !item.items().empty()) {
        out += "\n";
        emitNode(item, indent + 2, out);
      } else {
        out += scalarText(item) + "\n";
      }
    }
    return;
  }
  out.append(indent, ' ');
  out += scalarText(t) + "\n";
}

}  // namespace

std::string emitYaml(const Tree& root) {
  std::string out;
  emitNode(root, 0, out);
  return out;
}

}  // namespace ctplab::policy
