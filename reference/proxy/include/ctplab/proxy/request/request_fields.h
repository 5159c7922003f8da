// One request head in protocol-neutral form, as the request stage reads and rewrites it. HTTP/1
// heads convert through http1_adapter.h; HTTP/2 and HTTP/3 map their pseudo-headers the same way.
#pragma once

#include <optional>
#include <string>

#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::proxy::request {

struct RequestFields {
  std::string method;
  // :path, or the HTTP/1 request-target, query included. Empty when the request has none
  // (CONNECT).
  std::string path;
  // :authority, or the HTTP/1 Host field. Kept apart from `headers` because Envoy does: header
  // rules that name `host` act on a separate field and never on the authority.
  std::optional<std::string> authority;
  // Every other field in order, names in the sender's case; never a pseudo-header.
  http1::HeaderList headers;
};

}  // namespace ctplab::proxy::request
