// Which datagrams of a send batch may leave as one UDP GSO send: consecutive ones to one peer,
// all of the first one's size except a shorter last one, within the kernel's limits.
#pragma once

#include <cstddef>
#include <vector>

#include "ctplab/proxy/http3/udp_endpoint.h"

namespace ctplab::live {

// How many datagrams from `from` on can go as one send (at least 1): the kernel cuts a GSO
// payload into segments of the first one's size, so a larger one or another peer ends the run,
// and a shorter one is its last. At most `max_segments` datagrams and `max_bytes` bytes.
size_t gsoRunLength(const std::vector<proxy::http3::Datagram>& out, size_t from,
                    size_t max_segments, size_t max_bytes);

}  // namespace ctplab::live
