// Strict key access for scenario mappings: exact spelling, unknown and repeated keys reported.
#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "scenario/readers.h"

namespace ctplab::sim::scenario::loader {
namespace {

std::string childPath(const Field& map, const std::string& key) {
  return map.path().empty() ? key : map.path() + "." + key;
}

// Edit distance with a cap: enough to tell a typo ("requestTimout") from an unrelated word.
size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& key, const std::vector<std::string_view>& known) {
  std::string_view best;
  bool found = false;
  // Short words are a different word after two edits ("foo" is not "now"); long ones a typo.
  size_t best_distance = key.size() >= 6 ? 3 : 2;
  for (std::string_view k : known) {
    const size_t d = editDistance(key, std::string(k));
    if (d < best_distance) {
      best = k;
      found = true;
      best_distance = d;
    }
  }
  return found ? std::string("; did you mean \"") + std::string(best) + "\"?" : "";
}

}  // namespace

Field Keys::get(const Field& map, const char* key) const {
  const std::string path = childPath(map, key);
  if (map.isMap()) {
    for (const auto& kv : map.node()) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) return Field(kv.second, path, ctx_);
    }
  }
  return Field(YAML::Node(YAML::NodeType::Undefined), path, ctx_);
}

bool Keys::open(const Field& map, std::initializer_list<const char*> known) const {
  return open(map, std::vector<std::string_view>(known.begin(), known.end()));
}

bool Keys::open(const Field& map, const std::vector<std::string_view>& known) const {
  if (!map.expectMap()) return false;
  std::set<std::string> seen;
  for (const auto& kv : map.node()) {
    if (!kv.first.IsScalar()) {
      Field(kv.first, map.path(), ctx_).error("keys must be plain strings");
      continue;
    }
    const std::string& k = kv.first.Scalar();
    Field key(kv.first, childPath(map, k), ctx_);
    if (!seen.insert(k).second) {
      key.error("field \"" + k + "\" is given more than once");
      continue;
    }
    const bool ok =
        std::any_of(known.begin(), known.end(), [&](std::string_view n) { return k == n; });
    if (ok) continue;
    if (k == "<<") {
      key.error("YAML merge keys are not supported; alias a whole mapping (*name) instead");
    } else {
      key.error("unknown field \"" + k + "\"" + suggestion(k, known));
    }
  }
  return true;
}

std::vector<std::pair<Field, Field>> Keys::entries(const Field& map) const {
  std::vector<std::pair<Field, Field>> out;
  if (!map.expectMap()) return out;
  for (const auto& kv : map.node()) {
    const std::string path = childPath(map, kv.first.IsScalar() ? kv.first.Scalar() : "?");
    out.emplace_back(Field(kv.first, path, ctx_), Field(kv.second, path, ctx_));
  }
  return out;
}

void Keys::missing(const Field& map, const char* key) const {
  Field(map.node(), childPath(map, key), ctx_).error("missing required field");
}

}  // namespace ctplab::sim::scenario::loader
