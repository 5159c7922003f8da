// The global rate limiter's counters in Redis, as Envoy's rate-limit service keeps them: one key
// per descriptor and fixed window, INCRBY then EXPIRE, over the limit once the count exceeds it.
#pragma once

#include <memory>
#include <optional>

#include "asio.h"
#include "ctplab/proxy/ratelimit/global_rate_limit_store.h"
#include "redis_client.h"

namespace ctplab::live {

// One per worker, on the worker's loop. Without a Redis endpoint every check fails, which the
// filter turns into "fail open", as Envoy does when its rate-limit service is unreachable.
class RedisRateLimitStore final : public proxy::ratelimit::GlobalRateLimitStore {
 public:
  RedisRateLimitStore(const asio::any_io_executor& executor, std::optional<tcp::endpoint> redis,
                      std::chrono::nanoseconds timeout);
  ~RedisRateLimitStore() override;

  void check(std::span<const proxy::ratelimit::GlobalDescriptor> descriptors, TimePoint now,
             Done done) override;

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<RedisClient> client_;  // null: no Redis configured
};

}  // namespace ctplab::live
