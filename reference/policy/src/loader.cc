#include "ctplab/policy/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "ctplab/policy/yaml_reader.h"
#include "decode.h"

namespace ctplab::policy {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Bundle keys (matched case-insensitively, as upstream does) and the kind each one holds.
struct BundleKey {
  const char* key;
  const char* kind;
};
constexpr BundleKey kBundleKeys[] = {
    {"gatewayclass", "GatewayClass"},
    {"gatewayclasses", "GatewayClass"},
    {"gateways", "Gateway"},
    {"listenersets", "ListenerSet"},
    {"xlistenersets", "ListenerSet"},
    {"httproutes", "HTTPRoute"},
    {"grpcroutes", "GRPCRoute"},
    {"tcproutes", "TCPRoute"},
    {"tlsroutes", "TLSRoute"},
    {"udproutes", "UDPRoute"},
    {"clienttrafficpolicies", "ClientTrafficPolicy"},
    {"secrets", "Secret"},
    {"configmaps", "ConfigMap"},
    {"clustertrustbundles", "ClusterTrustBundle"},
    {"referencegrants", "ReferenceGrant"},
    {"namespaces", "Namespace"},
    {"services", "Service"},
    {"endpointslices", "EndpointSlice"},
    {"envoyproxyforgatewayclass", "EnvoyProxy"},
    {"envoyproxiesforgateways", "EnvoyProxy"},
    {"securitypolicies", "SecurityPolicy"},
    {"backendtrafficpolicies", "BackendTrafficPolicy"},
    {"envoyextensionpolicies", "EnvoyExtensionPolicy"},
    {"backends", "Backend"},
    {"backendtlspolicies", "BackendTLSPolicy"},
    {"serviceimports", "ServiceImport"},
    {"envoypatchpolicies", "EnvoyPatchPolicy"},
    {"httproutefilters", "HTTPRouteFilter"},
};

const char* bundleKind(const std::string& key) {
  std::string k = lower(key);
  for (const auto& bk : kBundleKeys) {
    if (k == bk.key) return bk.kind;
  }
  return nullptr;
}

void loadObject(const YAML::Node& node, const std::string& default_kind, const std::string& file,
                LoadResult& result) {
  ReadContext ctx{file, "", &result.diagnostics};
  Field root(node, "", &ctx);
  if (!root.isMap()) {
    root.error("expected a Kubernetes object (a mapping), found something else");
    return;
  }
  std::string kind = default_kind;
  if (auto k = root["kind"].str()) kind = *k;
  if (kind.empty()) {
    root.error("missing required field \"kind\"");
    return;
  }
  if (kind == "List") {
    for (const auto& item : root["items"].items()) loadObject(item.node(), "", file, result);
    return;
  }
  decodeObject(kind, node, file, result.resources, result.diagnostics);
}

void loadDocument(const YAML::Node& doc, const std::string& file, LoadResult& result) {
  if (!doc.IsDefined() || doc.IsNull()) return;
  if (!doc.IsMap()) {
    auto mark = doc.Mark();
    result.diagnostics.error({file, mark.line + 1, mark.column + 1}, "",
                             "expected a Kubernetes object or a bundle (a mapping)");
    return;
  }
  if (doc["kind"] || doc["apiVersion"]) {
    loadObject(doc, "", file, result);
    return;
  }
  result.resources.bundle_format = true;
  for (const auto& kv : doc) {
    std::string key = kv.first.Scalar();
    const char* kind = bundleKind(key);
    auto mark = kv.first.Mark();
    SourceLocation loc{file, mark.line + 1, mark.column + 1};
    if (kind == nullptr) {
      result.diagnostics.warning(loc, key, "unknown bundle key; its resources are skipped");
      continue;
    }
    const size_t proxies_before = result.resources.envoy_proxies.size();
    if (kv.second.IsSequence()) {
      for (const auto& item : kv.second) loadObject(item, kind, file, result);
    } else if (kv.second.IsMap()) {
      loadObject(kv.second, kind, file, result);
    } else if (!kv.second.IsNull()) {
      result.diagnostics.error(loc, key, "expected a list of resources or one resource");
    }
    if (lower(key) == "envoyproxyforgatewayclass") {
      for (size_t i = proxies_before; i < result.resources.envoy_proxies.size(); ++i) {
        result.resources.envoy_proxies[i].for_gateway_class = true;
      }
    }
  }
}

}  // namespace

void loadText(std::string_view text, const std::string& file, LoadResult& result) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    result.unreadable = true;
    result.diagnostics.error({file, e.mark.line + 1, e.mark.column + 1}, "",
                             "malformed YAML: " + e.msg);
    return;
  }
  for (const auto& doc : docs) loadDocument(doc, file, result);
}

LoadResult loadFiles(const std::vector<std::string>& paths) {
  LoadResult result;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      result.unreadable = true;
      result.diagnostics.error({path, 0, 0}, "", "cannot open file");
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    loadText(buf.str(), path, result);
  }
  return result;
}

}  // namespace ctplab::policy
