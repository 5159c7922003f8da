#include "upstream_client.h"

#include <chrono>

namespace ctplab::live {

UpstreamClient::UpstreamClient(const asio::any_io_executor& executor, tcp::endpoint endpoint,
                               Limits limits)
    : socket_(executor),
      timer_(executor),
      endpoint_(endpoint),
      limits_(limits),
      parser_(false, limits.max_body_bytes),
      buffer_(16384) {}

void UpstreamClient::send(std::string request, bool head_request,
                          std::function<void(UpstreamResult)> done) {
  // The previous request was abandoned (a local reply answered it): its response may still
  // arrive on this connection, so the connection goes with it.
  if (done_) closeSocket();
  request_ = std::move(request);
  head_request_ = head_request;
  done_ = std::move(done);
  retried_ = false;
  reused_ = connected_;
  parser_.reset(head_request_);
  ++generation_;
  if (connected_) {
    write();
  } else {
    connect();
  }
}

void UpstreamClient::cancel() {
  done_ = nullptr;
  ++generation_;
  stopTimer();
  closeSocket();
}

void UpstreamClient::connect() {
  closeSocket();
  const uint64_t gen = ++generation_;
  armTimer(limits_.connect_timeout, UpstreamResult::Kind::kConnectFailure);
  socket_.async_connect(endpoint_, [self = shared_from_this(), gen](const error_code& ec) {
    if (gen != self->generation_) return;
    if (ec) {
      self->fail(UpstreamResult::Kind::kConnectFailure, ec.message());
      return;
    }
    self->connected_ = true;
    error_code ignored;
    self->socket_.set_option(tcp::no_delay(true), ignored);
    self->write();
  });
}

void UpstreamClient::write() {
  const uint64_t gen = generation_;
  armTimer(limits_.response_timeout, UpstreamResult::Kind::kTimeout);
  asio::async_write(socket_, asio::buffer(request_),
                    [self = shared_from_this(), gen](const error_code& ec, size_t) {
                      if (gen != self->generation_) return;
                      if (ec) {
                        if (!self->retryOnFreshConnection()) {
                          self->fail(UpstreamResult::Kind::kReset, ec.message());
                        }
                        return;
                      }
                      self->read();
                    });
}

void UpstreamClient::read() {
  const uint64_t gen = generation_;
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this(), gen](const error_code& ec, size_t n) {
                            if (gen != self->generation_) return;
                            if (ec == asio::error::eof) {
                              self->onEof();
                            } else if (ec) {
                              if (!self->retryOnFreshConnection()) {
                                self->fail(UpstreamResult::Kind::kReset, ec.message());
                              }
                            } else {
                              self->onBytes(n);
                            }
                          });
}

void UpstreamClient::onBytes(size_t n) {
  switch (parser_.feed(std::string_view(buffer_.data(), n))) {
    case UpstreamResponseParser::State::kNeedMore:
      read();
      return;
    case UpstreamResponseParser::State::kError:
      fail(UpstreamResult::Kind::kProtocolError, parser_.error());
      return;
    case UpstreamResponseParser::State::kComplete:
      break;
  }
  UpstreamResult result;
  result.status = parser_.status();
  result.reason = parser_.reason();
  result.headers = parser_.takeHeaders();
  result.body = parser_.takeBody();
  if (!parser_.keepAlive()) closeSocket();
  finish(std::move(result));
}

void UpstreamClient::onEof() {
  connected_ = false;
  if (parser_.finish() == UpstreamResponseParser::State::kComplete) {
    UpstreamResult result;
    result.status = parser_.status();
    result.reason = parser_.reason();
    result.headers = parser_.takeHeaders();
    result.body = parser_.takeBody();
    closeSocket();
    finish(std::move(result));
    return;
  }
  if (retryOnFreshConnection()) return;
  fail(UpstreamResult::Kind::kReset, parser_.error());
}

bool UpstreamClient::retryOnFreshConnection() {
  // A kept-alive connection the upstream closed while idle fails the next request before any
  // response byte: that request never reached the application, so one retry is safe.
  if (!reused_ || retried_ || parser_.started()) return false;
  retried_ = true;
  reused_ = false;
  parser_.reset(head_request_);
  connect();
  return true;
}

void UpstreamClient::finish(UpstreamResult result) {
  ++generation_;
  deadline_.reset();
  // A kept connection keeps its wait for the next request; a closed one is let go now.
  if (!connected_) stopTimer();
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(result));
}

void UpstreamClient::fail(UpstreamResult::Kind kind, std::string detail) {
  closeSocket();
  UpstreamResult result;
  result.kind = kind;
  result.detail = std::move(detail);
  finish(std::move(result));
}

void UpstreamClient::armTimer(std::chrono::nanoseconds after, UpstreamResult::Kind kind) {
  deadline_ = std::chrono::steady_clock::now() + after;
  deadline_kind_ = kind;
  if (timer_at_ && *timer_at_ <= *deadline_) return;
  waitUntil(*deadline_);
}

void UpstreamClient::waitUntil(std::chrono::steady_clock::time_point at) {
  timer_at_ = at;
  const uint64_t gen = ++timer_generation_;
  timer_.expires_at(at);
  timer_.async_wait([self = shared_from_this(), gen](const error_code& ec) {
    if (ec || gen != self->timer_generation_) return;
    self->timer_at_.reset();
    self->onTimer();
  });
}

void UpstreamClient::onTimer() {
  if (!deadline_) return;  // between requests: the next one arms it again
  if (std::chrono::steady_clock::now() < *deadline_) {
    waitUntil(*deadline_);
    return;
  }
  const UpstreamResult::Kind kind = deadline_kind_;
  fail(kind, kind == UpstreamResult::Kind::kTimeout ? "response timeout" : "connect timeout");
}

void UpstreamClient::stopTimer() {
  deadline_.reset();
  if (!timer_at_) return;
  timer_at_.reset();
  ++timer_generation_;
  timer_.cancel();
}

void UpstreamClient::closeSocket() {
  connected_ = false;
  error_code ignored;
  socket_.close(ignored);
}

}  // namespace ctplab::live
