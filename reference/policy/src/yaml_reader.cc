#include "ctplab/policy/yaml_reader.h"

#include <algorithm>
#include <cctype>

namespace ctplab::policy {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

const char* kindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

bool isPlain(const YAML::Node& n) { return n.Tag() == "?" || n.Tag().empty(); }

// YAML 1.2 core-schema integer: optional sign, then digits. (Hand-written: std::regex made
// loading large bundles several times slower.)
bool isIntegerText(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Decimal with a point and/or exponent, e.g. 1.5, .5, 2e3.
bool isFloatText(const std::string& s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  size_t digits = 0;
  bool point = false, exponent = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !point && !exponent) {
      point = true;
    } else if ((c == 'e' || c == 'E') && digits > 0 && !exponent) {
      exponent = true;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
      if (i + 1 >= s.size()) return false;
    } else {
      return false;
    }
  }
  return digits > 0 && (point || exponent);
}

}  // namespace

SourceLocation Field::location() const {
  SourceLocation loc{ctx_->file, absent_at_.line, absent_at_.column};
  if (node_.IsDefined()) {
    auto mark = node_.Mark();
    if (mark.line >= 0) {
      loc.line = mark.line + 1;
      loc.column = mark.column + 1;
    }
  }
  return loc;
}

namespace {
std::string fieldLabel(const std::string& object, const std::string& path) {
  if (path.empty()) return object;
  return object.empty() ? path : object + ": " + path;
}
}  // namespace

void Field::error(const std::string& message) const {
  ctx_->diags->error(location(), fieldLabel(ctx_->object, path_), message);
}

void Field::warning(const std::string& message) const {
  ctx_->diags->warning(location(), fieldLabel(ctx_->object, path_), message);
}

Field Field::operator[](const char* key) const {
  std::string child = path_.empty() ? key : path_ + "." + key;
  if (!node_.IsMap()) return Field(child, ctx_, location());
  YAML::Node found(YAML::NodeType::Undefined);
  std::string matched;
  for (const auto& kv : node_) {
    std::string k = kv.first.Scalar();
    if (k == key) return Field(kv.second, child, ctx_);
    if (!found.IsDefined() && iequals(k, key)) {
      found = kv.second;
      matched = k;
    }
  }
  if (found.IsDefined()) {
    Field f(found, child, ctx_);
    f.warning("field written as \"" + matched +
              "\"; accepted case-insensitively as the translator does, but the API server "
              "rejects it");
    return f;
  }
  return Field(child, ctx_, location());
}

void Field::rejectUnknown(std::initializer_list<const char*> known, bool strict) const {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    std::string k = kv.first.Scalar();
    bool ok =
        std::any_of(known.begin(), known.end(), [&](const char* name) { return iequals(k, name); });
    if (ok) continue;
    Field f(kv.first, path_.empty() ? k : path_ + "." + k, ctx_);
    if (strict) {
      f.error("unknown field \"" + k + "\"");
    }
  }
}

bool Field::expectMap() const {
  if (!node_.IsDefined() || node_.IsNull()) return false;
  if (!node_.IsMap()) {
    error(std::string("expected a mapping, found ") + kindName(node_));
    return false;
  }
  return true;
}

std::optional<std::string> Field::str() const {
  if (!present()) return std::nullopt;
  if (!node_.IsScalar()) {
    error(std::string("expected a string, found ") + kindName(node_));
    return std::nullopt;
  }
  return node_.Scalar();
}

std::string Field::required(const char* what) const {
  if (!present()) {
    error(std::string("missing required field (") + what + ")");
    return "";
  }
  return str().value_or("");
}

std::optional<bool> Field::boolean() const {
  if (!present()) return std::nullopt;
  if (node_.IsScalar() && isPlain(node_)) {
    const std::string& s = node_.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  error("expected a boolean (true or false), found " +
        (node_.IsScalar() ? "\"" + node_.Scalar() + "\"" : std::string(kindName(node_))));
  return std::nullopt;
}

std::optional<int64_t> Field::integer() const {
  if (!present()) return std::nullopt;
  if (node_.IsScalar() && isPlain(node_) && isIntegerText(node_.Scalar())) {
    try {
      return std::stoll(node_.Scalar());
    } catch (...) {
      error("integer out of range: " + node_.Scalar());
      return std::nullopt;
    }
  }
  error("expected an integer, found " +
        (node_.IsScalar() ? "\"" + node_.Scalar() + "\"" : std::string(kindName(node_))));
  return std::nullopt;
}

std::optional<uint32_t> Field::uint32() const {
  auto v = integer();
  if (!v) return std::nullopt;
  if (*v < 0 || *v > 4294967295LL) {
    error("value " + std::to_string(*v) + " does not fit an unsigned 32-bit integer");
    return std::nullopt;
  }
  return static_cast<uint32_t>(*v);
}

std::optional<std::string> Field::intOrString() const {
  if (!present()) return std::nullopt;
  if (!node_.IsScalar()) {
    error(std::string("expected an integer or a string, found ") + kindName(node_));
    return std::nullopt;
  }
  return node_.Scalar();
}

std::vector<std::string> Field::strings() const {
  std::vector<std::string> out;
  for (const auto& item : items()) {
    if (auto s = item.str()) out.push_back(*s);
  }
  return out;
}

std::vector<Field> Field::items() const {
  std::vector<Field> out;
  if (!present()) return out;
  if (!node_.IsSequence()) {
    error(std::string("expected a list, found ") + kindName(node_));
    return out;
  }
  size_t i = 0;
  for (const auto& item : node_) {
    out.emplace_back(item, path_ + "[" + std::to_string(i++) + "]", ctx_);
  }
  return out;
}

std::map<std::string, std::string> Field::stringMap() const {
  std::map<std::string, std::string> out;
  if (!expectMap()) return out;
  for (const auto& kv : node_) {
    Field v(kv.second, path_ + "." + kv.first.Scalar(), ctx_);
    if (!v.present()) {
      out[kv.first.Scalar()] = "";
    } else if (auto s = v.str()) {
      out[kv.first.Scalar()] = *s;
    }
  }
  return out;
}

Tree toTree(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Tree t = Tree::map();
      for (const auto& kv : node) t.set(kv.first.Scalar(), toTree(kv.second));
      return t;
    }
    case YAML::NodeType::Sequence: {
      Tree t = Tree::list();
      for (const auto& item : node) t.push(toTree(item));
      return t;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (!isPlain(node)) return Tree::string(s);
      if (s == "true" || s == "True" || s == "TRUE") return Tree::boolean(true);
      if (s == "false" || s == "False" || s == "FALSE") return Tree::boolean(false);
      if (s == "~" || s == "null" || s == "Null" || s == "NULL") return Tree::null();
      if (isIntegerText(s)) {
        try {
          return Tree::integer(std::stoll(s));
        } catch (...) {
          return Tree::number(s);
        }
      }
      if (isFloatText(s)) return Tree::number(s);
      return Tree::string(s);
    }
    default:
      return Tree::null();
  }
}

}  // namespace ctplab::policy
