// How clients reach a gateway, for auditing client-IP detection: the devices in between, the
// entry paths legitimate clients take, and whether the gateway can also be reached directly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/policy/diagnostics.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::identity {

struct EntryPath {
  std::string name;
  uint32_t port = 80;            // the Gateway listener port the last hop dials
  std::vector<std::string> via;  // hop names, client side first
  std::string clients;           // CIDR of the legitimate clients' own addresses
  std::string host;              // empty: as a scenario picks it
  std::string path = "/";
  std::string method = "GET";
  policy::SourceLocation location;
};

struct Topology {
  std::string file;
  std::vector<scenario::Hop> hops;
  std::vector<EntryPath> paths;
  // Anyone can open a connection to the gateway's ports without crossing the hops.
  bool direct_access = false;
  // Where such direct connections come from (an attacker's own address is taken from it).
  std::string direct_from = "198.51.100.0/24";

  const scenario::Hop* hop(std::string_view name) const;
};

struct LoadedTopology {
  Topology topology;  // meaningful only when ok()
  policy::Diagnostics diagnostics;
  bool ok() const { return !diagnostics.hasErrors(); }
};

struct TopologyLoadOptions {
  // False: a file that only declares hops (what `ctplab explain --hops` reads) is fine.
  bool require_paths = true;
};

// Strict, like scenario files: unknown or repeated keys, bad CIDRs, unknown hop names and YAML
// syntax errors are file:line:col diagnostics. Never throws.
LoadedTopology loadTopologyFile(const std::string& path, const TopologyLoadOptions& options = {});
LoadedTopology loadTopologyText(std::string_view text, const std::string& file_label,
                                const TopologyLoadOptions& options = {});

}  // namespace ctplab::sim::identity
