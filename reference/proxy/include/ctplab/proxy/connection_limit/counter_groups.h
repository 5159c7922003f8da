// All counter scopes of one gateway's IR, built from the policy engine's port plan, and the
// lookup from a listener (and, for TCP/TLS, its route chain) to the scope it counts against.
#pragma once

#include <string>
#include <vector>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/connection_limit/counter_group.h"

namespace ctplab::proxy::connection_limit {

class CounterGroups {
 public:
  static CounterGroups fromIr(const policy::ir::Gateway& gateway);

  // The scope for a connection on `listener` (IR name); for TCP/TLS listeners with routes,
  // `route` names the route filter chain. Null when the listener is unknown.
  CounterGroup* find(const std::string& listener, const std::string& route = "");
  const std::vector<CounterGroup>& groups() const { return groups_; }

 private:
  struct Entry {
    std::string listener;
    std::string route;  // empty for HTTP(S) listeners and TCP listeners without routes
    size_t group = 0;
  };
  std::vector<CounterGroup> groups_;
  std::vector<Entry> index_;
};

}  // namespace ctplab::proxy::connection_limit
