// Topology files: YAML with the scenario loader's strict readers; hops are decoded exactly as a
// scenario's, so one hop list can be shared between scenarios, explanations and audits.
#include <yaml-cpp/yaml.h>

#include <map>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/simulator/identity/topology.h"
#include "scenario/decoders.h"
#include "scenario/yaml_document.h"

namespace ctplab::sim::identity {
namespace {

using scenario::loader::Field;
using scenario::loader::Keys;

void readString(const Keys& keys, const Field& map, const char* key, std::string& out,
                bool (*valid)(const std::string&), const char* expectation) {
  const Field f = keys.get(map, key);
  auto s = f.str();
  if (!s) return;
  if (!valid(*s)) {
    f.error(std::string("expected ") + expectation + ", found \"" + *s + "\"");
    return;
  }
  out = *s;
}

bool validHost(const std::string& s) {
  return !s.empty() && s.find_first_of(" \t\r\n/") == std::string::npos &&
         proxy::http1::isValidFieldValue(s);
}
bool validPath(const std::string& s) {
  return !s.empty() && s[0] == '/' && s.find_first_of(" \t\r\n") == std::string::npos &&
         proxy::http1::isValidFieldValue(s);
}
bool validMethod(const std::string& s) { return proxy::http1::isValidFieldName(s); }

EntryPath decodePath(const Keys& keys, const Field& f, const std::vector<scenario::Hop>& hops) {
  EntryPath p;
  p.location = f.location();
  if (!keys.open(f, {"name", "port", "via", "clients", "host", "path", "method"})) {
    if (!f.present()) f.error("expected an entry path (a mapping), found null");
    return p;
  }
  const Field name = keys.get(f, "name");
  if (!name.present()) {
    keys.missing(f, "name");
  } else if (auto n = name.str()) {
    if (n->empty()) name.error("must not be empty");
    p.name = *n;
  }
  const Field port = keys.get(f, "port");
  if (!port.present()) {
    keys.missing(f, "port");
  } else if (auto n = scenario::loader::readCount(port, 1, 65535)) {
    p.port = static_cast<uint32_t>(*n);
  }
  p.via = scenario::loader::decodeVia(keys.get(f, "via"), hops);
  const Field clients = keys.get(f, "clients");
  if (!clients.present()) {
    keys.missing(f, "clients");
  } else if (auto c = scenario::loader::readCidr(clients)) {
    p.clients = *c;
  }
  readString(keys, f, "host", p.host, validHost, "a host name");
  readString(keys, f, "path", p.path, validPath, "a path starting with /");
  readString(keys, f, "method", p.method, validMethod, "an HTTP method token");
  return p;
}

void decodeTopology(const YAML::Node& doc, const std::string& label,
                    const TopologyLoadOptions& options, LoadedTopology& out) {
  policy::ReadContext ctx{label, "", &out.diagnostics};
  const Keys keys(&ctx);
  const Field root(doc, "", &ctx);
  if (!root.isMap()) {
    root.error("expected a topology (a mapping of hops, paths, directAccess)");
    return;
  }
  keys.open(root, {"description", "hops", "paths", "directAccess", "directFrom"});
  Topology& t = out.topology;
  keys.get(root, "description").str();  // for people; read so a wrong type is reported
  t.hops = scenario::loader::decodeHops(keys, keys.get(root, "hops"));
  if (auto v = keys.get(root, "directAccess").boolean()) t.direct_access = *v;
  if (auto c = scenario::loader::readCidr(keys.get(root, "directFrom"))) t.direct_from = *c;
  const Field paths = keys.get(root, "paths");
  if (!paths.present()) {
    if (options.require_paths) keys.missing(root, "paths");
    return;
  }
  const auto items = paths.items();
  if (paths.isList() && items.empty() && options.require_paths) {
    paths.error("must list at least one entry path");
  }
  std::map<std::string, int> first_line;
  for (const auto& item : items) {
    EntryPath p = decodePath(keys, item, t.hops);
    if (!p.name.empty()) {
      auto [it, inserted] = first_line.emplace(p.name, p.location.line);
      if (!inserted) {
        keys.get(item, "name")
            .error("duplicate path name \"" + p.name + "\" (first declared at line " +
                   std::to_string(it->second) + ")");
      }
    }
    t.paths.push_back(std::move(p));
  }
}

}  // namespace

const scenario::Hop* Topology::hop(std::string_view name) const {
  for (const auto& h : hops) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

LoadedTopology loadTopologyText(std::string_view text, const std::string& file_label,
                                const TopologyLoadOptions& options) {
  LoadedTopology out;
  out.topology.file = file_label;
  auto doc = scenario::loader::singleDocument(text, file_label, "topology", out.diagnostics);
  if (!doc) return out;
  scenario::loader::decodeGuarded(file_label, "topology", out.diagnostics,
                                  [&] { decodeTopology(*doc, file_label, options, out); });
  return out;
}

LoadedTopology loadTopologyFile(const std::string& path, const TopologyLoadOptions& options) {
  LoadedTopology out;
  out.topology.file = path;
  auto text = scenario::loader::readInputFile(path, "topology", out.diagnostics);
  if (!text) return out;
  return loadTopologyText(*text, path, options);
}

}  // namespace ctplab::sim::identity
