// Envoy's watermark hysteresis for one buffer: a reader pauses once the buffer holds more than the
// limit (bufferLimit) and resumes only after it has drained to half of it.
#pragma once

#include <cstdint>
#include <optional>

namespace ctplab::proxy::connection {

class Watermark {
 public:
  enum class Change { kNone, kAbove, kBelow };

  // nullopt or 0: no limit, the buffer is never above (Envoy reads 0 as "no limit").
  explicit Watermark(std::optional<uint64_t> limit);

  // Takes the buffer's current size; says whether it just crossed the high or the low watermark.
  Change update(uint64_t buffered);
  bool above() const { return above_; }
  // Bytes that may still be added before the buffer goes above the high watermark: adding exactly
  // this many crosses it. 0 while above; nullopt without a limit.
  std::optional<uint64_t> room(uint64_t buffered) const;
  std::optional<uint64_t> limit() const { return limit_; }

 private:
  std::optional<uint64_t> limit_;
  bool above_ = false;
};

}  // namespace ctplab::proxy::connection
