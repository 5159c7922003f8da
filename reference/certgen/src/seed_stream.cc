#include "seed_stream.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>

namespace ctplab::certgen {
namespace {

void appendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

}  // namespace

SeedStream::SeedStream(uint64_t seed, std::string label)
    : key_("ctplab-certgen/v1"), label_(std::move(label)) {
  appendBigEndian(key_, seed, 8);
}

bool SeedStream::refill() {
  std::string message;
  appendBigEndian(message, label_.size(), 4);
  message += label_;
  appendBigEndian(message, counter_++, 4);
  size_t out_len = 0;
  const unsigned char* mac =
      EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key_.data(), key_.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                block_.data(), block_.size(), &out_len);
  if (mac == nullptr || out_len != block_.size()) return false;
  used_ = 0;
  return true;
}

bool SeedStream::read(unsigned char* out, size_t n) {
  while (n > 0) {
    if (used_ == block_.size() && !refill()) return false;
    size_t take = std::min(n, block_.size() - used_);
    std::copy_n(block_.data() + used_, take, out);
    used_ += take;
    out += take;
    n -= take;
  }
  return true;
}

}  // namespace ctplab::certgen
