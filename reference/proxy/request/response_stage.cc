// Late response header rules on a response head or a bare field list.
#include "ctplab/proxy/request/response_stage.h"

namespace ctplab::proxy::request {

void applyLateResponseHeaders(const RequestPipelineConfig& config, http1::HeaderList& headers) {
  config.late_response_headers.apply(headers);
}

void applyLateResponseHeaders(const RequestPipelineConfig& config, http1::ResponseHead& response) {
  applyLateResponseHeaders(config, response.headers);
}

}  // namespace ctplab::proxy::request
