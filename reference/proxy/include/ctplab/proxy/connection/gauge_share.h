// One object's contribution to a shared gauge (e.g. bytes buffered across all connections of a
// prefix): set it as it changes; it is withdrawn when the object goes away.
#pragma once

#include <cstdint>
#include <utility>

namespace ctplab::proxy::connection {

class GaugeShare {
 public:
  explicit GaugeShare(uint64_t* gauge) : gauge_(gauge) {}
  ~GaugeShare() { set(0); }
  GaugeShare(GaugeShare&& other) noexcept
      : gauge_(other.gauge_), value_(std::exchange(other.value_, 0)) {}
  GaugeShare& operator=(GaugeShare&& other) noexcept {
    if (this != &other) {
      set(0);
      gauge_ = other.gauge_;
      value_ = std::exchange(other.value_, 0);
    }
    return *this;
  }
  GaugeShare(const GaugeShare&) = delete;
  GaugeShare& operator=(const GaugeShare&) = delete;

  void set(uint64_t value) {
    if (gauge_ != nullptr) *gauge_ = *gauge_ - value_ + value;
    value_ = value;
  }
  uint64_t value() const { return value_; }

 private:
  uint64_t* gauge_;
  uint64_t value_ = 0;
};

}  // namespace ctplab::proxy::connection
