#include "serving_codec.h"

#include <limits>
#include <utility>

namespace ctplab::live {

ServingCodec::ServingCodec(std::unique_ptr<proxy::connection::HttpConnection> http1)
    : http1_(std::move(http1)) {}

ServingCodec::ServingCodec(std::unique_ptr<proxy::http2::ServerConnection> http2)
    : http2_(std::move(http2)) {}

size_t ServingCodec::readAllowance() const {
  if (http2_) return http2_->shouldClose() ? 0 : std::numeric_limits<size_t>::max();
  if (http1_->shouldClose() || http1_->readPaused()) return 0;
  return http1_->readAllowance();
}

void ServingCodec::onBytes(TimePoint now, std::string_view bytes) {
  if (http2_) {
    http2_->onBytes(now, bytes);
  } else {
    http1_->onBytes(now, bytes);
  }
}

void ServingCodec::onPeerClosed(TimePoint now) {
  if (http2_) {
    http2_->onPeerClosed(now);
  } else {
    http1_->onPeerClosed(now);
  }
}

std::optional<TimePoint> ServingCodec::nextDeadline() const {
  return http2_ ? http2_->nextDeadline() : http1_->nextDeadline();
}

void ServingCodec::onDeadline(TimePoint now) {
  if (http2_) {
    http2_->onDeadline(now);
  } else {
    http1_->onDeadline(now);
  }
}

std::optional<proxy::http1::Event> ServingCodec::nextEvent() {
  return http2_ ? http2_->nextEvent() : http1_->nextEvent();
}

proxy::http1::EncodeResult ServingCodec::respond(TimePoint now, uint64_t id,
                                                 const proxy::http1::ResponseHead& head,
                                                 std::string_view body, bool count_status) {
  if (http2_) return http2_->respond(now, id, head, body, count_status);
  if (http1_->openRequest() != id) return proxy::http1::EncodeResult::kNoRequest;
  return http1_->respond(now, head, body, count_status);
}

void ServingCodec::requestForwarded(TimePoint now, uint64_t id) {
  if (http2_) {
    http2_->requestForwarded(now, id);
  } else if (http1_->openRequest() == id) {
    http1_->requestForwarded(now);
  }
}

bool ServingCodec::isOpen(uint64_t id) const {
  return http2_ ? http2_->isOpen(id) : http1_->openRequest() == id;
}

std::string_view ServingCodec::pendingOutput() const {
  return http2_ ? http2_->pendingOutput() : http1_->pendingOutput();
}

void ServingCodec::consumeOutput(TimePoint now, size_t n) {
  if (http2_) {
    http2_->consumeOutput(n);
  } else {
    http1_->consumeOutput(now, n);
  }
}

bool ServingCodec::shouldClose() const {
  return http2_ ? http2_->shouldClose() : http1_->shouldClose();
}

proxy::connection::CloseReason ServingCodec::closeReason() const {
  return http2_ ? http2_->closeReason() : http1_->closeReason();
}

bool ServingCodec::idle() const {
  if (http2_) return http2_->openStreams() == 0 && http2_->pendingOutput().empty();
  return http1_->openRequest() == 0 && http1_->pendingOutput().empty() &&
         http1_->bufferedInputBytes() == 0;
}

void ServingCodec::drain(TimePoint now) {
  if (http2_) http2_->drain(now);
}

}  // namespace ctplab::live
