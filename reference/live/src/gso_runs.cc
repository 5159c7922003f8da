// The grouping rule of UDP GSO sends (UDP_SEGMENT), apart from the socket so it can be tested.
#include "ctplab/live/gso_runs.h"

namespace ctplab::live {

size_t gsoRunLength(const std::vector<proxy::http3::Datagram>& out, size_t from,
                    size_t max_segments, size_t max_bytes) {
  const proxy::http3::Datagram& first = out[from];
  const size_t size = first.bytes.size();
  size_t n = 1;
  size_t total = size;
  while (from + n < out.size() && n < max_segments) {
    const proxy::http3::Datagram& next = out[from + n];
    if (next.remote != first.remote || next.bytes.empty() || next.bytes.size() > size ||
        total + next.bytes.size() > max_bytes) {
      break;
    }
    total += next.bytes.size();
    ++n;
    if (next.bytes.size() < size) break;  // only the last segment may be shorter
  }
  return n;
}

}  // namespace ctplab::live
