// One connection per worker to the Redis server behind the global rate limiter: pipelines of
// commands, answered in order; any failure fails every pending pipeline and the next reconnects.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "asio.h"
#include "ctplab/live/redis_protocol.h"

namespace ctplab::live {

class RedisClient : public std::enable_shared_from_this<RedisClient> {
 public:
  using Replies = proxy::Result<std::vector<RedisReply>>;
  using Done = std::function<void(Replies)>;

  // `timeout` bounds the connect and every pipeline's wait for its last reply.
  RedisClient(const asio::any_io_executor& executor, tcp::endpoint endpoint,
              std::chrono::nanoseconds timeout);

  // `done` runs once on the client's executor, unless close() came first.
  void pipeline(const std::vector<std::vector<std::string>>& commands, Done done);
  // Drops every pending callback and the connection.
  void close();

 private:
  struct Pending {
    size_t expected = 0;
    std::vector<RedisReply> replies;
    Done done;
    std::chrono::steady_clock::time_point deadline;
  };

  void connect();
  void flush();
  void read();
  void armTimer();
  void failAll(const std::string& why);

  tcp::socket socket_;
  asio::steady_timer timer_;
  tcp::endpoint endpoint_;
  std::chrono::nanoseconds timeout_;
  bool connecting_ = false, connected_ = false, writing_ = false, reading_ = false;
  std::string outgoing_, in_flight_;
  std::deque<Pending> pending_;
  RedisReplyReader reader_;
  std::vector<char> buffer_;
  uint64_t generation_ = 0;  // handlers of an earlier connection are stale
};

}  // namespace ctplab::live
