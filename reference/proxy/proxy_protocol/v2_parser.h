// The PROXY protocol v2 binary header: signature, version/command, family/transport, length,
// address block, TLVs.
#pragma once

#include <string_view>

#include "ctplab/proxy/proxy_protocol/header.h"

namespace ctplab::proxy::proxy_protocol {

// `bytes` starts with the complete 12-byte v2 signature.
ParseResult parseV2(std::string_view bytes);

}  // namespace ctplab::proxy::proxy_protocol
