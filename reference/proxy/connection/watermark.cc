// Watermark hysteresis with Envoy's thresholds: above when size > high, below when size <= high/2.
#include "ctplab/proxy/connection/watermark.h"

namespace ctplab::proxy::connection {

Watermark::Watermark(std::optional<uint64_t> limit) {
  if (limit && *limit > 0) limit_ = limit;
}

Watermark::Change Watermark::update(uint64_t buffered) {
  if (!limit_) return Change::kNone;
  if (!above_ && buffered > *limit_) {
    above_ = true;
    return Change::kAbove;
  }
  // The gap between the two watermarks keeps a reader from flapping on every byte.
  if (above_ && buffered <= *limit_ / 2) {
    above_ = false;
    return Change::kBelow;
  }
  return Change::kNone;
}

std::optional<uint64_t> Watermark::room(uint64_t buffered) const {
  if (!limit_) return std::nullopt;
  if (above_ || buffered > *limit_) return 0;
  return *limit_ - buffered + 1;
}

}  // namespace ctplab::proxy::connection
