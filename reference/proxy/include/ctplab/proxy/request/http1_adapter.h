// Moves an HTTP/1 request head into RequestFields and back, so the request stage serves the HTTP/1
// codec today and other codecs later without knowing about any of them.
#pragma once

#include <optional>
#include <string>

#include "ctplab/proxy/http1/request_head.h"
#include "ctplab/proxy/request/pipeline_config.h"
#include "ctplab/proxy/request/request_fields.h"
#include "ctplab/proxy/request/request_stage.h"

namespace ctplab::proxy::request {

// Moves the method, target and headers out of `head`. Host fields become the authority (several
// are comma-joined, as Envoy's header map joins them); every other field keeps its order. An
// HTTP/1.0 or 0.9 request without Host gets `http10_default_host` when one is given.
RequestFields takeRequestFields(http1::RequestHead& head,
                                const std::optional<std::string>& http10_default_host);

// Puts the fields back as the head forwarded upstream: the target is the path, and the authority
// becomes a first field named `host`, where Envoy's HTTP/1 encoder writes :authority.
void putRequestFields(RequestFields fields, http1::RequestHead& head);

// takeRequestFields + processRequest + putRequestFields.
RequestVerdict processHttp1Request(const RequestPipelineConfig& config,
                                   const RequestContext& context, http1::RequestHead& head);

}  // namespace ctplab::proxy::request
