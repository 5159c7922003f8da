#include "redis_rate_limit_store.h"

#include <algorithm>

namespace ctplab::live {
namespace {

struct Window {
  int64_t start_s = 0;
  int64_t unit_s = 1;
};

Window windowOf(const proxy::ratelimit::GlobalDescriptor& d, TimePoint now) {
  const int64_t unit = proxy::ratelimit::unitSeconds(d.limit.unit);
  const int64_t now_s = now.unixSeconds();
  return {now_s - ((now_s % unit) + unit) % unit, unit};
}

}  // namespace

RedisRateLimitStore::RedisRateLimitStore(const asio::any_io_executor& executor,
                                         std::optional<tcp::endpoint> redis,
                                         std::chrono::nanoseconds timeout)
    : executor_(executor) {
  if (redis) client_ = std::make_shared<RedisClient>(executor, *redis, timeout);
}

RedisRateLimitStore::~RedisRateLimitStore() {
  if (client_) client_->close();
}

void RedisRateLimitStore::check(std::span<const proxy::ratelimit::GlobalDescriptor> descriptors,
                                TimePoint now, Done done) {
  if (!client_) {
    asio::post(executor_, [done = std::move(done)] {
      proxy::ratelimit::GlobalCheckReply failed;
      failed.failed = true;
      done(std::move(failed));
    });
    return;
  }
  std::vector<std::vector<std::string>> commands;
  std::vector<proxy::ratelimit::GlobalDescriptor> copies(descriptors.begin(), descriptors.end());
  std::vector<Window> windows;
  for (const auto& d : copies) {
    const Window w = windowOf(d, now);
    windows.push_back(w);
    const std::string key = "ctplab_" + d.key + "_" + std::to_string(w.start_s);
    commands.push_back({"INCRBY", key, "1"});
    commands.push_back({"EXPIRE", key, std::to_string(w.unit_s)});
  }
  const int64_t now_s = now.unixSeconds();
  client_->pipeline(commands, [copies = std::move(copies), windows = std::move(windows), now_s,
                               done = std::move(done)](RedisClient::Replies replies) {
    proxy::ratelimit::GlobalCheckReply reply;
    if (!replies || replies.value().size() != 2 * copies.size()) {
      reply.failed = true;
      done(std::move(reply));
      return;
    }
    for (size_t i = 0; i < copies.size(); ++i) {
      const RedisReply& count = replies.value()[2 * i];
      if (count.kind != RedisReply::Kind::kInteger) {
        reply.failed = true;  // e.g. WRONGTYPE: the service answers with an error
        reply.statuses.clear();
        break;
      }
      const auto& d = copies[i];
      proxy::ratelimit::GlobalDescriptorStatus status;
      status.limit = d.limit;
      const uint64_t hits = static_cast<uint64_t>(std::max<int64_t>(count.integer, 0));
      const bool over = hits > d.limit.requests;
      status.over_limit = over && !d.shadow_mode;
      status.shadow_limited = over && d.shadow_mode;
      status.remaining = over ? 0 : static_cast<uint32_t>(d.limit.requests - hits);
      status.reset_seconds = windows[i].start_s + windows[i].unit_s - now_s;
      reply.statuses.push_back(status);
    }
    done(std::move(reply));
  });
}

}  // namespace ctplab::live
