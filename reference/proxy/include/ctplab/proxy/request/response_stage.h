// The response side of the request stage: CTP `lateResponseHeaders` (spec 4.11), run on responses
// after route-level response header modifiers, so a late `set` or `remove` has the last word.
#pragma once

#include "ctplab/proxy/http1/header_list.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/request/pipeline_config.h"

namespace ctplab::proxy::request {

void applyLateResponseHeaders(const RequestPipelineConfig& config, http1::HeaderList& headers);
void applyLateResponseHeaders(const RequestPipelineConfig& config, http1::ResponseHead& response);

}  // namespace ctplab::proxy::request
