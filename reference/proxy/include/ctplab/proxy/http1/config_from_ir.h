// Reads the HTTP/1 codec options of a listener from the policy engine's IR, so the data plane runs
// exactly what the translator produced.
#pragma once

#include "ctplab/policy/ir.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/result.h"

namespace ctplab::proxy::http1 {

// Errors: a non-HTTP listener, or an unknown withUnderscoresAction string.
// bufferLimit 0 (no limit in Envoy) maps to the largest window CodecConfig accepts.
Result<CodecOptions> codecOptionsFromListener(const policy::ir::Listener& listener);

}  // namespace ctplab::proxy::http1
