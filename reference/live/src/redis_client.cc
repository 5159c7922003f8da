#include "redis_client.h"

namespace ctplab::live {

RedisClient::RedisClient(const asio::any_io_executor& executor, tcp::endpoint endpoint,
                         std::chrono::nanoseconds timeout)
    : socket_(executor), timer_(executor), endpoint_(endpoint), timeout_(timeout) {
  buffer_.resize(16 * 1024);
}

void RedisClient::pipeline(const std::vector<std::vector<std::string>>& commands, Done done) {
  if (commands.empty()) {
    asio::post(socket_.get_executor(),
               [done = std::move(done)] { done(std::vector<RedisReply>{}); });
    return;
  }
  for (const auto& c : commands) outgoing_ += formatRedisCommand(c);
  pending_.push_back(
      Pending{commands.size(), {}, std::move(done), std::chrono::steady_clock::now() + timeout_});
  if (!connected_) {
    connect();
    return;
  }
  flush();
  armTimer();
}

void RedisClient::connect() {
  if (connecting_) return;
  connecting_ = true;
  armTimer();
  const uint64_t gen = generation_;
  socket_.async_connect(endpoint_, [self = shared_from_this(), gen](const error_code& ec) {
    if (gen != self->generation_) return;
    self->connecting_ = false;
    if (ec) {
      self->failAll("cannot connect to redis: " + ec.message());
      return;
    }
    error_code ignored;
    self->socket_.set_option(tcp::no_delay(true), ignored);
    self->connected_ = true;
    self->flush();
    self->read();
  });
}

void RedisClient::flush() {
  if (writing_ || outgoing_.empty() || !connected_) return;
  writing_ = true;
  in_flight_.swap(outgoing_);
  outgoing_.clear();
  const uint64_t gen = generation_;
  asio::async_write(socket_, asio::buffer(in_flight_),
                    [self = shared_from_this(), gen](const error_code& ec, size_t) {
                      if (gen != self->generation_) return;
                      self->writing_ = false;
                      self->in_flight_.clear();
                      if (ec) {
                        self->failAll("redis write failed: " + ec.message());
                        return;
                      }
                      self->flush();
                    });
}

void RedisClient::read() {
  if (reading_ || !connected_) return;
  reading_ = true;
  const uint64_t gen = generation_;
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this(), gen](const error_code& ec, size_t n) {
                            if (gen != self->generation_) return;
                            self->reading_ = false;
                            if (ec) {
                              self->failAll("redis connection lost: " + ec.message());
                              return;
                            }
                            self->reader_.feed(std::string_view(self->buffer_.data(), n));
                            while (!self->pending_.empty()) {
                              auto reply = self->reader_.next();
                              if (!reply) {
                                self->failAll(reply.error().message);
                                return;
                              }
                              if (!reply.value()) break;
                              Pending& front = self->pending_.front();
                              front.replies.push_back(std::move(*reply.value()));
                              if (front.replies.size() < front.expected) continue;
                              Pending done = std::move(front);
                              self->pending_.pop_front();
                              done.done(std::move(done.replies));
                              if (gen != self->generation_)
                                return;  // the callback closed the client
                            }
                            self->armTimer();
                            self->read();
                          });
}

void RedisClient::armTimer() {
  if (pending_.empty()) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(pending_.front().deadline);
  const uint64_t gen = generation_;
  timer_.async_wait([self = shared_from_this(), gen](const error_code& ec) {
    if (ec || gen != self->generation_) return;
    if (!self->pending_.empty() &&
        self->pending_.front().deadline <= std::chrono::steady_clock::now()) {
      self->failAll("redis did not answer in time");
    }
  });
}

void RedisClient::failAll(const std::string& why) {
  std::deque<Pending> failed;
  failed.swap(pending_);
  close();
  for (auto& p : failed) p.done(proxy::Error{why});
}

void RedisClient::close() {
  ++generation_;  // handlers of this connection are stale from now on
  error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  connected_ = connecting_ = writing_ = reading_ = false;
  outgoing_.clear();
  in_flight_.clear();
  reader_ = RedisReplyReader();  // a half-read reply belongs to the closed connection
  pending_.clear();
}

}  // namespace ctplab::live
