// The stage that runs once on each request head before routing (spec 4.18 steps 2-3, without TLS
// or client-IP work): early header rules, x-request-id, path and host normalization, health check.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/request/pipeline_config.h"
#include "ctplab/proxy/request/request_fields.h"
#include "ctplab/proxy/request/request_stats.h"
#include "ctplab/proxy/request/uuid.h"

namespace ctplab::proxy::request {

// Everything about this request the stage cannot know by itself; it never reads a clock or a
// random source.
struct RequestContext {
  // Drawn by the caller for every request; read only when an x-request-id is generated.
  RandomBits128 request_id_bits;
  // Envoy's edge request: the peer is the client (no XFF/custom-header detection mode, spec
  // 4.6.6). Non-edge requests keep a client-sent x-request-id even under kGenerate.
  bool edge_request = true;
  // The proxy is draining or marked failed: health checks answer 503.
  bool draining = false;
};

// Go on to authorization filters and routing.
struct Forward {
  std::string route_path;  // the normalized path without its query: what routes match on
};

// Answer from the proxy; the request goes no further.
struct LocalReply {
  int status = 0;
  std::string body;           // empty for every reply of this stage, as in Envoy
  http1::HeaderList headers;  // extra fields, e.g. `location` on a 307
  std::string details;        // Envoy's response code details, e.g. "path_normalization_failed"
  std::optional<RequestStat> stat;  // the counter the caller increments, if any
  // The request has a gRPC content type: Envoy sends such replies as HTTP 200 with a grpc-status
  // mapped from `status`; rendering is the reply writer's job.
  bool grpc = false;
  // A health-check answer: excluded from downstream_rq_<code> counters and from tracing.
  bool health_check = false;
};

using RequestVerdict = std::variant<Forward, LocalReply>;

// Rewrites `request` into what is forwarded upstream and decides. Order: early header rules →
// x-request-id → authority present → non-relative path (404) → path normalization (400/307) →
// trailing host dot → health check (exact :path match, query included).
RequestVerdict processRequest(const RequestPipelineConfig& config, const RequestContext& context,
                              RequestFields& request);

}  // namespace ctplab::proxy::request
