// Redis's wire protocol (RESP) for the live global rate limiter: commands encoded and replies
// decoded by hiredis's own formatter and reader, so no protocol code of ours sits on the wire.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ctplab/proxy/result.h"

namespace ctplab::live {

struct RedisReply {
  enum class Kind { kString, kArray, kInteger, kNil, kStatus, kError };
  Kind kind = Kind::kNil;
  int64_t integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<RedisReply> elements;
};

// One command as a RESP array of bulk strings.
std::string formatRedisCommand(const std::vector<std::string>& args);

// Decodes replies from a byte stream fed in arbitrary pieces.
class RedisReplyReader {
 public:
  RedisReplyReader();
  RedisReplyReader(RedisReplyReader&&) noexcept;
  RedisReplyReader& operator=(RedisReplyReader&&) noexcept;
  ~RedisReplyReader();

  void feed(std::string_view bytes);
  // The next complete reply; nullopt while more bytes are needed; an error when the stream is
  // not RESP (the connection is then unusable).
  proxy::Result<std::optional<RedisReply>> next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctplab::live
