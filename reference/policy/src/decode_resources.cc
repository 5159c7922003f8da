#include <set>

#include "ctplab/policy/engine.h"
#include "decode.h"
#include "pki/go_pem.h"

namespace ctplab::policy {
namespace {

std::optional<LabelSelector> decodeSelector(const Field& f) {
  if (!f.expectMap()) return std::nullopt;
  LabelSelector sel;
  sel.match_labels = f["matchLabels"].stringMap();
  for (const auto& e : f["matchExpressions"].items()) {
    LabelSelectorRequirement r;
    r.key = e["key"].required("key");
    r.op = e["operator"].required("operator");
    r.values = e["values"].strings();
    sel.match_expressions.push_back(std::move(r));
  }
  return sel;
}

ObjectReference decodeObjectRef(const Field& f) {
  ObjectReference ref;
  ref.group = f["group"].str().value_or("");
  ref.kind = f["kind"].str().value_or("");
  ref.name = f["name"].required("name");
  ref.ns = f["namespace"].str();
  return ref;
}

ParentReference decodeParentRef(const Field& f) {
  ParentReference p;
  if (auto g = f["group"].str()) p.group = *g;
  if (auto k = f["kind"].str()) p.kind = *k;
  p.ns = f["namespace"].str();
  p.name = f["name"].required("name");
  p.section_name = f["sectionName"].str();
  p.port = f["port"].integer();
  return p;
}

Listener decodeListener(const Field& f) {
  Listener l;
  l.location = f.location();
  l.name = f["name"].required("name");
  l.hostname = f["hostname"].str();
  if (auto p = f["port"].integer()) {
    l.port = *p;
  } else if (!f["port"].present()) {
    f["port"].error("missing required field (port)");
  }
  l.protocol = f["protocol"].required("protocol");
  Field tls = f["tls"];
  if (tls.expectMap()) {
    l.has_tls = true;
    if (auto m = tls["mode"].str()) {
      l.tls_mode = *m;
      l.tls_mode_set = true;
    }
    for (const auto& r : tls["certificateRefs"].items()) {
      l.certificate_refs.push_back(decodeObjectRef(r));
    }
  }
  Field ar = f["allowedRoutes"];
  if (ar.expectMap()) {
    Field ns = ar["namespaces"];
    if (ns.expectMap()) {
      if (auto from = ns["from"].str()) l.allowed_routes.namespaces_from = *from;
      if (ns["selector"].present())
        l.allowed_routes.namespaces_selector = decodeSelector(ns["selector"]);
    }
    if (ar["kinds"].present()) {
      std::vector<RouteGroupKind> kinds;
      for (const auto& k : ar["kinds"].items()) {
        kinds.push_back(
            {k["group"].str().value_or("gateway.networking.k8s.io"), k["kind"].required("kind")});
      }
      l.allowed_routes.kinds = std::move(kinds);
    }
  }
  return l;
}

// Only the path condition is read: header, query and method conditions do not change which
// routes exist or how policies attach to them.
Route::Match decodeRouteMatch(const Field& m, bool grpc) {
  Route::Match match;
  if (grpc) {
    Field method = m["method"];
    if (method.expectMap()) {
      Route::GRPCMethod gm;
      gm.type = method["type"].str().value_or("Exact");
      gm.service = method["service"].str();
      gm.method = method["method"].str();
      match.method = std::move(gm);
    }
    return match;
  }
  Field path = m["path"];
  if (path.expectMap()) {
    // The API server defaults type to PathPrefix and value to "/".
    match.path = Route::PathCondition{path["type"].str().value_or("PathPrefix"),
                                      path["value"].str().value_or("/")};
  }
  return match;
}

void decodeRoute(const std::string& kind, const Field& root, ResourceSet& out) {
  Route r;
  r.kind = kind;
  r.meta = decodeMeta(root);
  Field spec = root["spec"];
  for (const auto& p : spec["parentRefs"].items()) r.parents.push_back(decodeParentRef(p));
  r.hostnames = spec["hostnames"].strings();
  const bool grpc = kind == "GRPCRoute";
  for (const auto& rule : spec["rules"].items()) {
    Route::Rule rr;
    rr.name = rule["name"].str();
    for (const auto& m : rule["matches"].items()) rr.matches.push_back(decodeRouteMatch(m, grpc));
    r.rules.push_back(std::move(rr));
  }
  out.routes.push_back(std::move(r));
}

std::map<std::string, std::string> decodeSecretData(const Field& f) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : f.stringMap()) {
    auto decoded = decodeBase64(value);
    if (!decoded) {
      f[key.c_str()].error("value is not valid base64");
      continue;
    }
    out[key] = *decoded;
  }
  return out;
}

}  // namespace

std::optional<std::string> decodeBase64(std::string_view in) {
  std::string out;
  if (!pki::goBase64Decode(in, &out)) return std::nullopt;
  return out;
}

ObjectMeta decodeMeta(const Field& root) {
  ObjectMeta m;
  m.location = root.location();
  Field md = root["metadata"];
  if (!md.expectMap()) {
    root.error("missing required field (metadata)");
    return m;
  }
  m.name = md["name"].required("name");
  m.ns = md["namespace"].str().value_or("");
  m.labels = md["labels"].stringMap();
  m.generation = md["generation"].integer().value_or(0);
  m.creation_timestamp = md["creationTimestamp"].str().value_or("");
  return m;
}

void decodeObject(const std::string& kind, const YAML::Node& node, const std::string& file,
                  ResourceSet& out, Diagnostics& diags) {
  ReadContext ctx{file, kind, &diags};
  Field root(node, "", &ctx);
  {
    Field md = root["metadata"];
    std::string name = md["name"].str().value_or("?");
    std::string ns = md["namespace"].str().value_or("");
    ctx.object = kind + " " + (ns.empty() ? name : ns + "/" + name);
  }
  Field spec = root["spec"];
  if (kind == "ClientTrafficPolicy") {
    ClientTrafficPolicy p;
    p.meta = decodeMeta(root);
    root.rejectUnknown({"apiVersion", "kind", "metadata", "spec", "status"});
    if (!spec.expectMap()) {
      spec.error("missing required field (spec)");
    } else {
      decodeClientTrafficPolicySpec(spec, p.spec);
    }
    p.raw = toTree(node);
    if (Tree* st = p.raw.get("status")) *st = Tree::null();
    out.client_traffic_policies.push_back(std::move(p));
  } else if (kind == "SecurityPolicy") {
    SecurityPolicy p;
    p.meta = decodeMeta(root);
    root.rejectUnknown({"apiVersion", "kind", "metadata", "spec", "status"});
    if (!spec.expectMap()) {
      spec.error("missing required field (spec)");
    } else {
      decodeSecurityPolicySpec(spec, p.spec);
    }
    p.admission_errors = admissionErrors(p.spec);
    p.raw = toTree(node);
    if (Tree* st = p.raw.get("status")) *st = Tree::null();
    out.security_policies.push_back(std::move(p));
  } else if (kind == "BackendTrafficPolicy") {
    BackendTrafficPolicy p;
    p.meta = decodeMeta(root);
    root.rejectUnknown({"apiVersion", "kind", "metadata", "spec", "status"});
    if (!spec.expectMap()) {
      spec.error("missing required field (spec)");
    } else {
      decodeBackendTrafficPolicySpec(spec, p.spec);
    }
    p.admission_errors = admissionErrors(p.spec);
    p.raw = toTree(node);
    if (Tree* st = p.raw.get("status")) *st = Tree::null();
    out.backend_traffic_policies.push_back(std::move(p));
  } else if (kind == "EnvoyGateway") {
    // The controller's configuration file; only whether a rate-limit service is configured
    // matters to translation. It has no metadata.
    EnvoyGatewayConfig c;
    c.meta.location = root.location();
    c.rate_limit = root["rateLimit"].present();
    out.envoy_gateway_configs.push_back(std::move(c));
  } else if (kind == "GatewayClass") {
    GatewayClass gc;
    gc.meta = decodeMeta(root);
    gc.controller_name = spec["controllerName"].required("controllerName");
    Field pr = spec["parametersRef"];
    if (pr.expectMap() && pr["kind"].str().value_or("") == "EnvoyProxy") {
      gc.parameters_ns = pr["namespace"].str();
      gc.parameters_name = pr["name"].str();
    }
    out.gateway_classes.push_back(std::move(gc));
  } else if (kind == "Gateway") {
    Gateway g;
    g.meta = decodeMeta(root);
    g.class_name = spec["gatewayClassName"].required("gatewayClassName");
    std::set<std::string> names;
    for (const auto& l : spec["listeners"].items()) {
      g.listeners.push_back(decodeListener(l));
      if (!names.insert(g.listeners.back().name).second) {
        l["name"].error("duplicate listener name \"" + g.listeners.back().name + "\"");
      }
    }
    Field al = spec["allowedListeners"]["namespaces"];
    if (al.expectMap()) {
      g.allowed_listeners_from = al["from"].str();
      if (al["selector"].present()) g.allowed_listeners_selector = decodeSelector(al["selector"]);
    }
    Field infra = spec["infrastructure"]["parametersRef"];
    if (infra.expectMap() && infra["kind"].str().value_or("") == "EnvoyProxy") {
      g.infrastructure_parameters = infra["name"].str();
    }
    g.raw = toTree(node);
    out.gateways.push_back(std::move(g));
  } else if (kind == "ListenerSet" || kind == "XListenerSet") {
    ListenerSet ls;
    ls.meta = decodeMeta(root);
    ls.parent = decodeParentRef(spec["parentRef"]);
    for (const auto& l : spec["listeners"].items()) ls.listeners.push_back(decodeListener(l));
    ls.raw = toTree(node);
    out.listener_sets.push_back(std::move(ls));
  } else if (kind == "HTTPRoute" || kind == "GRPCRoute" || kind == "TCPRoute" ||
             kind == "TLSRoute" || kind == "UDPRoute") {
    decodeRoute(kind, root, out);
  } else if (kind == "Secret") {
    Secret s;
    s.meta = decodeMeta(root);
    s.type = root["type"].str().value_or("Opaque");
    s.data = decodeSecretData(root["data"]);
    for (const auto& [k, v] : root["stringData"].stringMap()) s.data[k] = v;
    out.secrets.push_back(std::move(s));
  } else if (kind == "ConfigMap") {
    ConfigMap c;
    c.meta = decodeMeta(root);
    c.data = root["data"].stringMap();
    out.config_maps.push_back(std::move(c));
  } else if (kind == "ClusterTrustBundle") {
    ClusterTrustBundle b;
    b.meta = decodeMeta(root);
    b.trust_bundle = spec["trustBundle"].required("trustBundle");
    out.cluster_trust_bundles.push_back(std::move(b));
  } else if (kind == "ReferenceGrant") {
    ReferenceGrant g;
    g.meta = decodeMeta(root);
    for (const auto& f : spec["from"].items()) {
      g.from.push_back({f["group"].str().value_or(""), f["kind"].required("kind"),
                        f["namespace"].required("namespace")});
    }
    for (const auto& t : spec["to"].items()) {
      g.to.push_back({t["group"].str().value_or(""), t["kind"].required("kind"), t["name"].str()});
    }
    out.reference_grants.push_back(std::move(g));
  } else if (kind == "Namespace") {
    Namespace n;
    n.meta = decodeMeta(root);
    out.namespaces.push_back(std::move(n));
  } else if (kind == "EnvoyProxy") {
    EnvoyProxy e;
    e.meta = decodeMeta(root);
    e.merge_gateways = spec["mergeGateways"].boolean();
    e.ip_family = spec["ipFamily"].str();
    Field provider = spec["geoIP"]["provider"];
    if (provider.expectMap()) {
      EnvoyProxy::GeoIP geo;
      geo.provider_type = provider["type"].str().value_or("");
      Field mm = provider["maxMind"];
      if (mm.expectMap()) {
        geo.has_max_mind = true;
        geo.city_db = mm["cityDbSource"]["local"]["path"].str();
        geo.country_db = mm["countryDbSource"]["local"]["path"].str();
        geo.asn_db = mm["asnDbSource"]["local"]["path"].str();
        geo.isp_db = mm["ispDbSource"]["local"]["path"].str();
        geo.anonymous_ip_db = mm["anonymousIpDbSource"]["local"]["path"].str();
      }
      e.geo_ip = std::move(geo);
    }
    out.envoy_proxies.push_back(std::move(e));
  } else if (kind == "Service" || kind == "EndpointSlice") {
    // Backends matter for routing, not for client-traffic translation: accepted and not modelled.
  } else {
    root.warning("kind " + kind + " is not read by ClientTrafficPolicy translation; skipped");
  }
}

bool selectorMatches(const LabelSelector& selector,
                     const std::map<std::string, std::string>& labels) {
  for (const auto& [k, v] : selector.match_labels) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  for (const auto& e : selector.match_expressions) {
    auto it = labels.find(e.key);
    bool has = it != labels.end();
    bool in = has && std::find(e.values.begin(), e.values.end(), it->second) != e.values.end();
    if (e.op == "In" && !in) return false;
    if (e.op == "NotIn" && in) return false;
    if (e.op == "Exists" && !has) return false;
    if (e.op == "DoesNotExist" && has) return false;
  }
  return true;
}

}  // namespace ctplab::policy
