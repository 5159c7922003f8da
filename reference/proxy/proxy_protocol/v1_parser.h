// The PROXY protocol v1 text line: `PROXY TCP4|TCP6|UNKNOWN <src> <dst> <sport> <dport>\r\n`.
#pragma once

#include <string_view>

#include "ctplab/proxy/proxy_protocol/header.h"

namespace ctplab::proxy::proxy_protocol {

// `bytes` starts with "PROXY ".
ParseResult parseV1(std::string_view bytes);

}  // namespace ctplab::proxy::proxy_protocol
