#include "ctplab/live/redis_protocol.h"

#include <hiredis/hiredis.h>

namespace ctplab::live {
namespace {

struct ReaderDeleter {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
struct CommandDeleter {
  void operator()(char* c) const { redisFreeCommand(c); }
};

RedisReply convert(const redisReply& r) {
  RedisReply out;
  switch (r.type) {
    case REDIS_REPLY_STRING:
      out.kind = RedisReply::Kind::kString;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_STATUS:
      out.kind = RedisReply::Kind::kStatus;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ERROR:
      out.kind = RedisReply::Kind::kError;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_INTEGER:
      out.kind = RedisReply::Kind::kInteger;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.kind = RedisReply::Kind::kArray;
      out.elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.kind = RedisReply::Kind::kNil;
      break;
  }
  return out;
}

}  // namespace

std::string formatRedisCommand(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* raw = nullptr;
  const int n =
      redisFormatCommandArgv(&raw, static_cast<int>(args.size()), argv.data(), lengths.data());
  std::unique_ptr<char, CommandDeleter> command(raw);
  if (n < 0 || raw == nullptr) return {};
  return std::string(raw, static_cast<size_t>(n));
}

struct RedisReplyReader::Impl {
  std::unique_ptr<redisReader, ReaderDeleter> reader{redisReaderCreate()};
};

RedisReplyReader::RedisReplyReader() : impl_(std::make_unique<Impl>()) {}
RedisReplyReader::RedisReplyReader(RedisReplyReader&&) noexcept = default;
RedisReplyReader& RedisReplyReader::operator=(RedisReplyReader&&) noexcept = default;
RedisReplyReader::~RedisReplyReader() = default;

void RedisReplyReader::feed(std::string_view bytes) {
  if (!bytes.empty()) redisReaderFeed(impl_->reader.get(), bytes.data(), bytes.size());
}

proxy::Result<std::optional<RedisReply>> RedisReplyReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(impl_->reader.get(), &raw) != REDIS_OK) {
    return proxy::Error{std::string("redis protocol error: ") + impl_->reader->errstr};
  }
  if (raw == nullptr) return std::optional<RedisReply>();
  std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
  return std::optional<RedisReply>(convert(*reply));
}

}  // namespace ctplab::live
