// The immutable request-stage configuration of one listener: header rules, request-ID mode, path
// and host normalization, health check. Built from plain values or from the policy engine's IR.
#pragma once

#include <optional>
#include <string>

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/request/header_rules.h"
#include "ctplab/proxy/request/path_normalization.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::request {

// CTP `headers.requestID`; unset behaves as kGenerate.
enum class RequestIdMode {
  kGenerate,            // edge requests always get a new x-request-id
  kPreserveOrGenerate,  // a client value is kept, a missing one generated
  kPreserve,            // a client value is kept, none is ever generated
  kDisable,             // none is ever generated; a client value passes through (spec §8.6)
};

// The defaults are what a listener without a ClientTrafficPolicy gets.
struct RequestPipelineConfig {
  HeaderRules early_request_headers;
  HeaderRules late_response_headers;
  RequestIdMode request_id = RequestIdMode::kGenerate;
  PathNormalizationOptions path;
  bool strip_trailing_host_dot = false;
  std::optional<std::string> health_check_path;
  // Not applied here: the router reads it to decide whether it adds x-envoy-* headers upstream.
  bool enable_envoy_headers = false;
  // Host for Host-less HTTP/1.0 requests (`http1.http10.useDefaultHost`); used by the HTTP/1
  // adapter, where Envoy's codec applies it.
  std::optional<std::string> http10_default_host;
  // A request without an authority gets 400 `missing_host_header`, as Envoy's connection manager
  // answers it (spec §8.5 leaves this open; false lets such requests through to routing).
  bool require_authority = true;

  // Errors: a listener that is not HTTP/HTTPS, an unknown requestID or escapedSlashesAction
  // string, an empty health-check path, and every HeaderRules::compile error (prefixed with the
  // direction).
  static Result<RequestPipelineConfig> fromListener(const policy::ir::Listener& listener);
};

}  // namespace ctplab::proxy::request
