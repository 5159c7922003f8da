// The only source of key and serial bytes in certgen: HMAC-SHA256 in counter mode keyed by the
// seed and separated by a label, so no fixture byte comes from OpenSSL's RAND.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ctplab::certgen {

class SeedStream {
 public:
  // Block i is HMAC-SHA256(key = "ctplab-certgen/v1" || seed as 8 big-endian bytes,
  //                        msg = len(label) as 4 big-endian bytes || label || i as 4 bytes),
  // and the stream is block 0 || block 1 || ... The length prefix keeps ("a", "bc") and ("ab",
  // "c") style label pairs apart if labels are ever composed.
  SeedStream(uint64_t seed, std::string label);

  // False only when OpenSSL cannot compute HMAC-SHA256 (e.g. no default provider).
  bool read(unsigned char* out, size_t n);

 private:
  bool refill();

  std::string key_;
  std::string label_;
  uint32_t counter_ = 0;
  std::array<unsigned char, 32> block_{};
  size_t used_ = 32;
};

}  // namespace ctplab::certgen
