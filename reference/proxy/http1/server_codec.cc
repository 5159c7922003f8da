// The HTTP/1.1 server codec's state machine: read window, one request at a time, response
// framing and connection close decisions.
#include "ctplab/proxy/http1/server_codec.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "request_decoder.h"
#include "response_writer.h"

namespace ctplab::proxy::http1 {

ServerCodec::ServerCodec(CodecConfigPtr config, CodecStats& stats)
    : config_(std::move(config)),
      stats_(&stats),
      decoder_(std::make_unique<RequestDecoder>(config_, stats)) {
  ++stats_->downstream_cx_http1_total;
}

ServerCodec::~ServerCodec() = default;
ServerCodec::ServerCodec(ServerCodec&&) noexcept = default;
ServerCodec& ServerCodec::operator=(ServerCodec&&) noexcept = default;

size_t ServerCodec::bufferedBytes() const {
  return pending_input_.size() + events_.queuedBodyBytes();
}

bool ServerCodec::readBlocked() const {
  return state_ != State::kClosing && !discard_input_ &&
         bufferedBytes() >= config_->options().read_window_bytes;
}

size_t ServerCodec::feed(std::string_view bytes) {
  if (state_ == State::kClosing || discard_input_) return bytes.size();
  const size_t window = config_->options().read_window_bytes;
  const size_t room = window > bufferedBytes() ? window - bufferedBytes() : 0;
  const std::string_view in = bytes.substr(0, room);
  switch (state_) {
    case State::kTunnel:
      if (!in.empty()) events_.push(BodyData{decoder_->request().id, std::string(in)});
      break;
    case State::kAwaitingResponse:
      pending_input_.append(in);
      break;
    case State::kReading: {
      // Parsed bytes never wait while reading: pending input is drained before kReading.
      assert(pending_input_.empty());
      const DecodeOutcome outcome = decoder_->execute(in, events_);
      onOutcome(outcome, in.substr(std::min(outcome.consumed, in.size())));
      break;
    }
    case State::kClosing:
      break;
  }
  return in.size();
}

void ServerCodec::onOutcome(const DecodeOutcome& outcome, std::string_view leftover) {
  switch (outcome.stop) {
    case DecodeOutcome::Stop::kNeedMore:
      break;
    case DecodeOutcome::Stop::kMessageComplete:
      state_ = State::kAwaitingResponse;
      // After `Connection: close` (or HTTP/1.0 without keep-alive) nothing else is served.
      if (decoder_->request().keep_alive) {
        pending_input_.append(leftover);
      } else {
        discard_input_ = true;
      }
      break;
    case DecodeOutcome::Stop::kTunnel:
      state_ = State::kTunnel;
      ++stats_->downstream_cx_upgrades_total;
      if (!leftover.empty()) events_.push(BodyData{decoder_->request().id, std::string(leftover)});
      break;
    case DecodeOutcome::Stop::kRejected:
      fail(outcome.rejection);
      break;
  }
}

void ServerCodec::parsePending() {
  if (state_ != State::kReading || pending_input_.empty()) return;
  // One pass suffices: it either consumes everything or stops at a state change.
  const std::string input = std::move(pending_input_);
  pending_input_.clear();
  const DecodeOutcome outcome = decoder_->execute(input, events_);
  onOutcome(outcome, std::string_view(input).substr(std::min(outcome.consumed, input.size())));
}

void ServerCodec::fail(const Rejection& rejection) {
  switch (rejection.kind) {
    case Rejection::Kind::kProtocolError:
      ++stats_->downstream_cx_protocol_error;
      break;
    case Rejection::Kind::kPayloadTooLarge:
      ++stats_->downstream_rq_too_large;
      break;
    case Rejection::Kind::kUpgradeRejected:
      ++stats_->downstream_rq_ws_on_non_ws_route;
      break;
  }
  const uint64_t id = decoder_->requestIdForError();
  // Once a response has begun, a second status line would corrupt it: just close.
  const bool replied = !(response_id_ == id && response_ != Response::kNone);
  if (replied) {
    const bool head = decoder_->request().id == id && decoder_->request().head_method;
    writeLocalReply(rejection.status, head, output_);
  }
  events_.push(ProtocolError{id, rejection.status, rejection.details, replied});
  enterClosing();
}

void ServerCodec::enterClosing() {
  state_ = State::kClosing;
  pending_input_.clear();
  pending_input_.shrink_to_fit();
}

void ServerCodec::onPeerClosed() {
  if (state_ == State::kClosing || peer_closed_) return;
  peer_closed_ = true;
  switch (state_) {
    case State::kTunnel:
      decoder_->markTunnelClosed();
      events_.push(RequestComplete{decoder_->request().id, {}});
      break;
    case State::kReading:
      if (decoder_->inMessage()) events_.push(PeerReset{decoder_->request().id});
      enterClosing();
      break;
    case State::kAwaitingResponse:  // decided once the response completes
    case State::kClosing:
      break;
  }
}

bool ServerCodec::setRequestBodyLimit(uint64_t request_id, uint64_t max_bytes) {
  if (state_ == State::kClosing || !decoder_->inMessage()) return false;
  if (decoder_->request().id != request_id) return false;
  if (auto rejection = decoder_->setBodyLimit(max_bytes)) fail(*rejection);
  return true;
}

void ServerCodec::startDrain() {
  draining_ = true;
  // Idle: no request has begun and no response is open, so closing loses nothing.
  if (state_ == State::kReading && !decoder_->inMessage() && !responseStreaming()) {
    enterClosing();
  }
}

bool ServerCodec::responseStreaming() const {
  return response_id_ == decoder_->request().id && response_ == Response::kStreaming;
}

EncodeResult ServerCodec::encodeHeaders(const ResponseHead& head, bool end_stream) {
  if (state_ == State::kClosing) return EncodeResult::kClosed;
  const RequestInfo& rq = decoder_->request();
  if (!rq.head_parsed || (response_id_ == rq.id && response_ != Response::kNone)) {
    return EncodeResult::kNoRequest;
  }
  std::optional<uint64_t> content_length;
  if (!validateResponseHead(head, content_length)) return EncodeResult::kInvalidHeader;
  const bool upgrade_accepted = rq.tunnel && head.status == 101;
  if (head.status < 200 && !upgrade_accepted) {
    if (head.status == 101) return EncodeResult::kInvalidHeader;  // nothing to switch to
    writeInformationalHead(head, config_->options().preserve_header_case, output_);
    return EncodeResult::kOk;
  }
  response_id_ = rq.id;
  response_ = Response::kStreaming;
  close_after_response_ = draining_ || !rq.keep_alive;
  if (!rq.complete && !upgrade_accepted) {
    // HTTP/1 cannot skip the rest of a request it did not read, so the connection must go.
    ++stats_->downstream_rq_response_before_rq_complete;
    close_after_response_ = true;
  }
  ResponseContext ctx;
  ctx.head_request = rq.head_method;
  ctx.request_version = rq.version;
  ctx.request_keep_alive = rq.keep_alive;
  ctx.close = close_after_response_;
  ctx.upgrade_accepted = upgrade_accepted;
  ctx.preserve_case = config_->options().preserve_header_case;
  const WrittenHead written = writeResponseHead(head, content_length, end_stream, ctx, output_);
  framing_ = written.framing;
  body_remaining_ = written.content_length;
  close_after_response_ = close_after_response_ || written.close;
  if (end_stream) {
    finishBody(nullptr);
    completeResponse();
  }
  return EncodeResult::kOk;
}

EncodeResult ServerCodec::encodeData(std::string_view data, bool end_stream) {
  if (state_ == State::kClosing) return EncodeResult::kClosed;
  if (!responseStreaming()) return EncodeResult::kNoRequest;
  switch (framing_) {
    case ResponseFraming::kNoBody:
      break;  // HEAD, 204, 304: the body never goes on the wire
    case ResponseFraming::kContentLength:
      if (data.size() > body_remaining_) return EncodeResult::kBodyTooLong;
      output_.append(data);
      body_remaining_ -= data.size();
      break;
    case ResponseFraming::kChunked:
      writeChunk(data, output_);
      break;
    case ResponseFraming::kCloseDelimited:
    case ResponseFraming::kTunnel:
      output_.append(data);
      break;
  }
  if (end_stream) {
    finishBody(nullptr);
    completeResponse();
  }
  return EncodeResult::kOk;
}

EncodeResult ServerCodec::encodeTrailers(const HeaderList& trailers) {
  if (state_ == State::kClosing) return EncodeResult::kClosed;
  if (!responseStreaming()) return EncodeResult::kNoRequest;
  if (!validateTrailers(trailers)) return EncodeResult::kInvalidHeader;
  finishBody(&trailers);
  completeResponse();
  return EncodeResult::kOk;
}

void ServerCodec::finishBody(const HeaderList* trailers) {
  if (framing_ == ResponseFraming::kChunked) {
    const bool keep = trailers != nullptr && config_->options().enable_trailers;
    writeLastChunk(keep ? trailers : nullptr, config_->options().preserve_header_case, output_);
  }
  // Fewer bytes than announced: the client cannot find the next response, so close.
  if (framing_ == ResponseFraming::kContentLength && body_remaining_ > 0) {
    close_after_response_ = true;
  }
}

void ServerCodec::completeResponse() {
  response_ = Response::kComplete;
  const RequestInfo& rq = decoder_->request();
  // A drain that began after the head was written still ends the connection here.
  if (close_after_response_ || draining_ || framing_ == ResponseFraming::kTunnel || !rq.complete) {
    enterClosing();
    return;
  }
  state_ = State::kReading;
  decoder_->resume();
  parsePending();
  if (state_ == State::kReading && peer_closed_) {
    // The peer is gone and what it sent before leaving has been read: a partial request is a
    // reset, and nothing more can arrive.
    if (decoder_->inMessage()) events_.push(PeerReset{decoder_->request().id});
    enterClosing();
  }
}

std::string_view ServerCodec::pendingOutput() const {
  return std::string_view(output_).substr(output_head_);
}

void ServerCodec::consumeOutput(size_t n) {
  output_head_ = std::min(output_.size(), output_head_ + n);
  if (output_head_ == output_.size()) {
    // Released, not just cleared: an idle keep-alive connection should hold no output buffer
    // (the simulator keeps hundreds of thousands of them).
    std::string().swap(output_);
    output_head_ = 0;
  } else if (output_head_ > output_.size() / 2) {
    // Amortized: the prefix is dropped once it is the larger half.
    output_.erase(0, output_head_);
    output_head_ = 0;
  }
}

}  // namespace ctplab::proxy::http1
