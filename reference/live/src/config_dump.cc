#include "ctplab/live/config_dump.h"

#include "ctplab/live/host_port.h"
#include "ctplab/policy/output.h"
#include "ctplab/policy/yaml_tree.h"

namespace ctplab::live {

std::string configDumpYaml(const GatewayPlan& plan, const std::vector<BoundPort>& bound) {
  using policy::Tree;
  Tree root = Tree::map();
  root.set("gateway", Tree::string(plan.ir().key));
  Tree listeners = Tree::list();
  for (const auto& l : plan.ir().listeners) listeners.push(policy::listenerToTree(l));
  root.set("listeners", std::move(listeners));
  Tree ports = Tree::list();
  for (size_t i = 0; i < plan.ports().size(); ++i) {
    const PlannedPort& p = plan.ports()[i];
    Tree t = Tree::map();
    t.set("gatewayPort", Tree::integer(p.gateway_port));
    t.set("proxyPort", Tree::integer(p.proxy_port));
    Tree names = Tree::list();
    for (size_t l : p.listeners) names.push(Tree::string(plan.listeners()[l].ir->name));
    t.set("listeners", std::move(names));
    if (p.proxy_protocol.enabled) {
      t.set("proxyProtocol", Tree::string(p.proxy_protocol.optional ? "optional" : "required"));
    }
    for (const BoundPort& b : bound) {
      if (b.port_index == i) {
        t.set("bound", Tree::string(formatHostPort(b.address, b.bound_port)));
      }
    }
    if (p.unsupported) t.set("notServed", Tree::string(*p.unsupported));
    ports.push(std::move(t));
  }
  Tree live = Tree::map();
  live.set("ports", std::move(ports));
  root.set("live", std::move(live));
  return policy::emitYaml(root);
}

}  // namespace ctplab::live
