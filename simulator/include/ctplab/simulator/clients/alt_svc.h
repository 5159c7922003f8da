// The client's reading of an `alt-svc` response header (RFC 7838): the HTTP/3 alternative it
// offers on the same host, how long to remember it, or `clear` to forget every alternative.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ctplab/common/time.h"

namespace ctplab::sim::clients {

struct AltSvc {
  bool clear = false;  // `alt-svc: clear`
  // The first `h3` alternative on the origin's own host (an authority naming another host is
  // skipped: the model has one gateway address).
  std::optional<uint16_t> h3_port;
  Duration max_age = Duration::seconds(86400);  // `ma`, RFC 7838's default of 24 hours
};

// Nullopt when the value is malformed (a client then ignores the header).
std::optional<AltSvc> parseAltSvc(std::string_view value);

}  // namespace ctplab::sim::clients
