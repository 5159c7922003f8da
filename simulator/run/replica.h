// One gateway replica: a whole data plane (a pod) with its own listeners, connection-limit
// counters, stats and route state (rate-limit buckets, JWT caches: per listener in its gateway
// model), its own kernel accept queues and worker threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "ctplab/common/time.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_stats.h"
#include "ctplab/simulator/gateway/gateway_model.h"
#include "ctplab/simulator/rng.h"

namespace ctplab::sim::run {

struct AcceptQueue {
  TimePoint busy_until;  // when the accepting worker is free again
  uint32_t queued = 0;   // completed handshakes waiting for accept()
};

struct Replica {
  Replica(uint32_t i, std::unique_ptr<gateway::GatewayModel> model, Rng request_ids)
      : index(i), gateway(std::move(model)), request_id_rng(request_ids) {}

  uint32_t index = 0;
  // Ports, listeners with their flows, counter scopes and every stat. Replicas are built from
  // the same IR, so port and listener indices mean the same on all of them.
  std::unique_ptr<gateway::GatewayModel> gateway;
  std::vector<AcceptQueue> accept;  // by port: each replica's kernel has its own backlog
  // host.workers > 0: when each worker thread is free again; connections are bound round-robin.
  std::vector<TimePoint> workers;
  uint32_t next_worker = 0;
  Rng request_id_rng;  // x-request-id bits this replica generates
  uint64_t peak_active_connections = 0;
  // The global rate limit filter's counters (Envoy roots them at the route's cluster; the model
  // has one backend, so results print them as `ratelimit.*`, and only once one is non-zero).
  proxy::ratelimit::GlobalRateLimitStats global_rate_limit;
};

}  // namespace ctplab::sim::run
