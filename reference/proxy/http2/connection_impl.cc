// The HTTP/2 server connection over nghttp2: input and output pumping, stream bookkeeping from
// the session callbacks, answers, resets, drain and connection-level failure.
#include "http2/connection_impl.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

#include "http1/status_text.h"
#include "http2/response_fields.h"
#include "http2/session_callbacks.h"

namespace ctplab::proxy::http2 {
namespace {

using connection::CloseReason;

// Response-code details, as Envoy names them where it has a name.
constexpr std::string_view kTooManyHeaders = "http2.too_many_headers";
constexpr std::string_view kUnderscore = "http2.unexpected_underscore";
constexpr std::string_view kInvalidHeaderField = "http2.invalid.header.field";
constexpr std::string_view kMessagingRule = "http2.violation.of.messaging.rule";
constexpr std::string_view kCodecError = "http2.codec_error";
constexpr std::string_view kPayloadTooLarge = "request_payload_too_large";

std::vector<nghttp2_nv> toNv(const ResponseFields& fields) {
  std::vector<nghttp2_nv> nva;
  nva.reserve(fields.list.size());
  for (const ResponseField& f : fields.list) {
    // nghttp2 copies names and values (no NO_COPY flag), so the strings only live for the call.
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(f.name.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(f.value.data())), f.name.size(),
                   f.value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  return nva;
}

}  // namespace

ServerConnection::Impl::Impl(TimePoint opened, const Http2Options& options, Http2Stats& h2_stats,
                             connection::HttpConnectionStats& hcm_stats,
                             connection::HttpConnectionSettings settings)
    : options_(options),
      h2_(&h2_stats),
      hcm_(&hcm_stats),
      settings_(std::move(settings)),
      header_policy_{uint64_t{options.max_request_headers_kb} * 1024,
                     options.max_request_headers_count, options.headers_with_underscores_action},
      now_(opened) {
  ++h2_->downstream_cx_http2_total;
  session_ = newServerSession(*this);
  if (!session_) {
    close_reason_ = CloseReason::kCodec;
    return;
  }
  const nghttp2_settings_entry entries[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, options_.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, options_.initial_stream_window_size},
  };
  int rv = nghttp2_submit_settings(session_.get(), NGHTTP2_FLAG_NONE, entries, 2);
  const int32_t connection_window = static_cast<int32_t>(std::min<uint32_t>(
      options_.initial_connection_window_size, std::numeric_limits<int32_t>::max()));
  if (rv == 0 && connection_window > NGHTTP2_INITIAL_CONNECTION_WINDOW_SIZE) {
    // Sends the WINDOW_UPDATE that raises the connection window from the protocol's 65535.
    rv = nghttp2_session_set_local_window_size(session_.get(), NGHTTP2_FLAG_NONE, 0,
                                               connection_window);
  }
  if (rv != 0) {
    close_reason_ = CloseReason::kCodec;
    return;
  }
  if (settings_.idle_timeout) idle_deadline_ = opened + *settings_.idle_timeout;
  if (settings_.max_connection_duration) {
    max_duration_deadline_ = opened + *settings_.max_connection_duration;
  }
  if (options_.keepalive_interval) ping_due_ = opened + *options_.keepalive_interval;
  flush();
}

StreamState* ServerConnection::Impl::find(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : &it->second;
}

const StreamState* ServerConnection::Impl::lookup(uint64_t stream_id) const {
  if (stream_id == 0 || stream_id > uint64_t{std::numeric_limits<int32_t>::max()}) return nullptr;
  auto it = streams_.find(static_cast<int32_t>(stream_id));
  return it == streams_.end() ? nullptr : &it->second;
}

void ServerConnection::Impl::see(TimePoint now) { now_ = std::max(now_, now); }

void ServerConnection::Impl::push(http1::Event event) {
  // Adjacent data of one stream is merged, so how the client split its DATA frames does not
  // change how many events the application sees (unless it pulls in between).
  if (auto* body = std::get_if<http1::BodyData>(&event); body && events_head_ < events_.size()) {
    if (auto* last = std::get_if<http1::BodyData>(&events_.back());
        last && last->request_id == body->request_id) {
      last->data += body->data;
      return;
    }
  }
  events_.push_back(std::move(event));
}

// --- Input -------------------------------------------------------------------------------------

void ServerConnection::Impl::onBytes(TimePoint now, std::string_view bytes) {
  see(now);
  if (shouldClose() || bytes.empty()) return;
  in_session_ = true;
  const ssize_t rv = nghttp2_session_mem_recv(
      session_.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  in_session_ = false;
  // Negative: a callback refused to go on (Envoy's rule for invalid frames) or the bytes were
  // not HTTP/2 at all (bad preface); either way the connection ends.
  if (rv < 0) failConnection();
  afterActivity();
}

void ServerConnection::Impl::onPeerClosed(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  abandonStreams(Abandon::kPeerClosed);
  closeWith(CloseReason::kPeer);
}

std::optional<http1::Event> ServerConnection::Impl::nextEvent() {
  if (events_head_ == events_.size()) return std::nullopt;
  http1::Event event = std::move(events_[events_head_++]);
  if (events_head_ == events_.size()) {
    std::vector<http1::Event>().swap(events_);
    events_head_ = 0;
  }
  if (const auto* body = std::get_if<http1::BodyData>(&event);
      body && !body->data.empty() && session_ && !shouldClose()) {
    // The application took the bytes: they leave the windows, and WINDOW_UPDATEs may follow.
    nghttp2_session_consume(session_.get(), static_cast<int32_t>(body->request_id),
                            body->data.size());
    afterActivity();
  }
  return event;
}

// --- Callbacks ---------------------------------------------------------------------------------

int ServerConnection::Impl::onBeginFrame(const nghttp2_frame_hd& hd) {
  // Any frame shows the peer is alive; a PING ACK stuck behind other frames should not kill a
  // busy connection (Envoy extends the timeout the same way).
  const bool ping_ack = hd.type == NGHTTP2_PING && (hd.flags & NGHTTP2_FLAG_ACK) != 0;
  if (ping_deadline_ && !ping_ack && options_.keepalive_timeout) {
    ping_deadline_ = now_ + *options_.keepalive_timeout;
  }
  return 0;
}

int ServerConnection::Impl::onBeginHeaders(const nghttp2_frame& frame) {
  if (frame.hd.type != NGHTTP2_HEADERS) return 0;
  if (frame.headers.cat == NGHTTP2_HCAT_REQUEST) {
    openStream(frame.hd.stream_id);
  } else if (StreamState* s = find(frame.hd.stream_id)) {
    s->request.beginBlock();  // trailers
  }
  return 0;
}

void ServerConnection::Impl::openStream(int32_t stream_id) {
  StreamState& s = streams_[stream_id];
  idle_deadline_.reset();
  // Envoy creates the HCM stream, and counts the request, when the first HEADERS frame begins.
  ++hcm_->downstream_rq_total;
  ++h2_->downstream_rq_http2_total;
  if (settings_.request_headers_received_timeout) {
    s.header_deadline = now_ + *settings_.request_headers_received_timeout;
  }
  if (settings_.request_received_timeout) {
    s.request_deadline = now_ + *settings_.request_received_timeout;
  }
  if (settings_.max_stream_duration) s.max_stream_deadline = now_ + *settings_.max_stream_duration;
  if (settings_.stream_idle_timeout) s.idle_deadline = now_ + *settings_.stream_idle_timeout;
  ++requests_;
  const auto max = settings_.max_requests_per_connection;
  if (max && requests_ >= *max) {
    // Counted per stream at or past the limit, as Envoy does; the GOAWAY waits until this read
    // is parsed so that its last stream id covers every stream already accepted.
    ++hcm_->downstream_cx_max_requests_reached;
    drain_requested_ = true;
  }
}

void ServerConnection::Impl::touch(StreamState& s) {
  if (settings_.stream_idle_timeout && !s.response_done && !s.resetting) {
    s.idle_deadline = now_ + *settings_.stream_idle_timeout;
  }
}

int ServerConnection::Impl::onHeader(const nghttp2_frame& frame, std::string_view name,
                                     std::string_view value) {
  if (frame.hd.type != NGHTTP2_HEADERS) return 0;
  StreamState* s = find(frame.hd.stream_id);
  if (s == nullptr) return 0;
  switch (s->request.add(header_policy_, name, value)) {
    case FieldVerdict::kKept:
      return 0;
    case FieldVerdict::kDropped:
      ++h2_->http2_dropped_headers_with_underscores;
      return 0;
    case FieldVerdict::kRejected:
      ++h2_->http2_requests_rejected_with_underscores_in_headers;
      refuse(*s, frame.hd.stream_id, 400, kUnderscore);
      break;
    case FieldVerdict::kOverflow:
      ++h2_->http2_header_overflow;
      refuse(*s, frame.hd.stream_id, 431, kTooManyHeaders);
      break;
  }
  // nghttp2 resets the stream with RST_STREAM(INTERNAL_ERROR), as it does for Envoy.
  return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

void ServerConnection::Impl::refuse(StreamState& s, int32_t stream_id, int status,
                                    std::string_view details) {
  if (!s.events_done) {
    push(http1::ProtocolError{static_cast<uint64_t>(stream_id), status, details, false});
    s.events_done = true;
  }
  s.resetting = true;
  s.clearTimers();
}

int ServerConnection::Impl::onFrameRecv(const nghttp2_frame& frame) {
  const int32_t id = frame.hd.stream_id;
  const bool end_stream = (frame.hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  switch (frame.hd.type) {
    case NGHTTP2_HEADERS: {
      StreamState* s = find(id);
      if (s == nullptr) break;
      touch(*s);
      if (frame.headers.cat == NGHTTP2_HCAT_REQUEST) {
        s->header_deadline.reset();
        http1::RequestHead head = s->request.takeHead(static_cast<uint64_t>(id), end_stream);
        s->head_request = head.method == "HEAD";
        s->head_emitted = true;
        push(std::move(head));
        if (end_stream) requestComplete(*s, id, {});
      } else {
        ++h2_->http2_trailers;
        if (end_stream) requestComplete(*s, id, s->request.takeTrailers());
      }
      break;
    }
    case NGHTTP2_DATA:
      if (StreamState* s = find(id)) {
        touch(*s);
        if (end_stream) requestComplete(*s, id, {});
      }
      break;
    case NGHTTP2_RST_STREAM:
      if (StreamState* s = find(id)) {
        ++h2_->http2_rx_reset;
        s->peer_reset = true;
      }
      break;
    case NGHTTP2_PING:
      if ((frame.hd.flags & NGHTTP2_FLAG_ACK) != 0) onPingAck();
      break;
    default:
      break;
  }
  return 0;
}

void ServerConnection::Impl::requestComplete(StreamState& s, int32_t stream_id,
                                             http1::HeaderList trailers) {
  s.request_complete = true;
  // The request timer stops once the application has also forwarded it (spec 4.3).
  if (s.forwarded) s.request_deadline.reset();
  if (s.awaitingAnswer()) {
    push(http1::RequestComplete{static_cast<uint64_t>(stream_id), std::move(trailers)});
  }
}

int ServerConnection::Impl::onDataChunk(int32_t stream_id, std::string_view data) {
  StreamState* s = find(stream_id);
  if (s == nullptr || !s->awaitingAnswer()) {
    // Answered, refused or gone: nobody will pull these bytes, so they reopen the windows now.
    pending_consume_.emplace_back(stream_id, data.size());
    return 0;
  }
  touch(*s);
  const auto limit = options_.max_request_body_bytes;
  if (limit && s->body_bytes + data.size() > *limit) {
    // Pass on what fits first, so the events do not depend on how the bytes were split.
    const uint64_t fits = *limit > s->body_bytes ? *limit - s->body_bytes : 0;
    if (fits > 0) {
      push(http1::BodyData{static_cast<uint64_t>(stream_id), std::string(data.substr(0, fits))});
    }
    pending_consume_.emplace_back(stream_id, data.size() - fits);
    s->body_bytes += data.size();
    ++h2_->downstream_rq_too_large;
    push(http1::ProtocolError{static_cast<uint64_t>(stream_id), 413, kPayloadTooLarge, true});
    s->events_done = true;
    localReply(*s, stream_id, 413, http1::reasonPhrase(413));
    return 0;
  }
  s->body_bytes += data.size();
  push(http1::BodyData{static_cast<uint64_t>(stream_id), std::string(data)});
  return 0;
}

int ServerConnection::Impl::onStreamClose(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return 0;
  StreamState& s = it->second;
  if (s.awaitingAnswer()) {
    if (s.peer_reset) {
      push(http1::PeerReset{static_cast<uint64_t>(stream_id)});
      ++hcm_->downstream_rq_rx_reset;
    } else {
      // nghttp2 reset it on its own, e.g. more DATA than the request's content-length.
      push(http1::ProtocolError{static_cast<uint64_t>(stream_id), 400, kMessagingRule, false});
    }
  }
  streams_.erase(it);
  if (streams_.empty() && settings_.idle_timeout) {
    idle_deadline_ = now_ + *settings_.idle_timeout;
  }
  return 0;
}

int ServerConnection::Impl::onFrameSend(const nghttp2_frame& frame) {
  switch (frame.hd.type) {
    case NGHTTP2_RST_STREAM:
      ++h2_->http2_tx_reset;
      break;
    case NGHTTP2_GOAWAY:
      // nghttp2 sends a GOAWAY with an error code for every connection error it detects.
      if (frame.goaway.error_code != NGHTTP2_NO_ERROR) protocolError();
      break;
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA: {
      StreamState* s = find(frame.hd.stream_id);
      if (s == nullptr) break;
      touch(*s);
      if ((frame.hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) break;
      s->response_done = true;
      s->clearTimers();
      // The answer is complete but the request is not: ask the client to stop sending, as
      // RFC 9113 8.1 allows and Envoy does.
      if (!s->request_complete && !s->peer_reset && !s->resetting) {
        submitReset(*s, frame.hd.stream_id);
      }
      break;
    }
    default:
      break;
  }
  return 0;
}

int ServerConnection::Impl::onInvalidFrame(const nghttp2_frame& frame, int lib_error_code) {
  switch (lib_error_code) {
    case NGHTTP2_ERR_REFUSED_STREAM:
      // Beyond max_concurrent_streams before the client acknowledged our SETTINGS.
      ++h2_->http2_stream_refused_errors;
      return 0;
    case NGHTTP2_ERR_HTTP_HEADER:
    case NGHTTP2_ERR_HTTP_MESSAGING:
      ++h2_->http2_rx_messaging_error;
      if (!options_.terminate_stream_on_invalid) return NGHTTP2_ERR_CALLBACK_FAILURE;
      if (StreamState* s = find(frame.hd.stream_id)) {
        refuse(*s, frame.hd.stream_id, 400,
               lib_error_code == NGHTTP2_ERR_HTTP_HEADER ? kInvalidHeaderField : kMessagingRule);
      }
      return 0;  // nghttp2 resets only this stream (PROTOCOL_ERROR)
    default:
      // Flow-control, framing and stream-state violations end the connection whatever
      // onInvalidMessage says, as in Envoy.
      return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
}

ssize_t ServerConnection::Impl::readBody(int32_t stream_id, uint8_t* buf, size_t length,
                                         uint32_t* data_flags) {
  StreamState* s = find(stream_id);
  if (s == nullptr) {
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return 0;
  }
  const size_t n = std::min(length, s->response_body.size() - s->response_sent);
  std::memcpy(buf, s->response_body.data() + s->response_sent, n);
  s->response_sent += n;
  if (s->response_sent == s->response_body.size()) {
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    std::string().swap(s->response_body);
    s->response_sent = 0;
  }
  return static_cast<ssize_t>(n);
}

// --- Answers -----------------------------------------------------------------------------------

http1::EncodeResult ServerConnection::Impl::respond(TimePoint now, uint64_t stream_id,
                                                    const http1::ResponseHead& head,
                                                    std::string_view body, bool count_status) {
  see(now);
  if (shouldClose()) return http1::EncodeResult::kClosed;
  if (const StreamState* s = lookup(stream_id); s == nullptr || !s->awaitingAnswer()) {
    return http1::EncodeResult::kNoRequest;
  }
  const auto id = static_cast<int32_t>(stream_id);
  const http1::EncodeResult r = submitResponse(*find(id), id, head, body, count_status);
  afterActivity();
  return r;
}

http1::EncodeResult ServerConnection::Impl::submitResponse(StreamState& s, int32_t stream_id,
                                                           const http1::ResponseHead& head,
                                                           std::string_view body,
                                                           bool count_status) {
  const ResponseBody kind = responseBodyKind(head.status, s.head_request);
  ResponseFields fields;
  const http1::EncodeResult r = buildResponseFields(head, kind, body.size(), fields);
  if (r != http1::EncodeResult::kOk) return r;
  std::vector<nghttp2_nv> nva = toNv(fields);
  if (kind == ResponseBody::kInformational) {
    const int32_t rv = nghttp2_submit_headers(session_.get(), NGHTTP2_FLAG_NONE, stream_id, nullptr,
                                              nva.data(), nva.size(), nullptr);
    return rv == 0 ? http1::EncodeResult::kOk : http1::EncodeResult::kNoRequest;
  }
  if (kind == ResponseBody::kAllowed) s.response_body.assign(body);
  const nghttp2_data_provider provider = bodyProvider();
  const int rv = nghttp2_submit_response(session_.get(), stream_id, nva.data(), nva.size(),
                                         s.response_body.empty() ? nullptr : &provider);
  if (rv != 0) {
    std::string().swap(s.response_body);
    return http1::EncodeResult::kNoRequest;
  }
  s.answered = true;
  // The response has started: the request timers have no reply left to give.
  s.header_deadline.reset();
  s.request_deadline.reset();
  if (count_status) hcm_->countResponse(head.status);
  return http1::EncodeResult::kOk;
}

void ServerConnection::Impl::localReply(StreamState& s, int32_t stream_id, int status,
                                        std::string_view body) {
  if (submitResponse(s, stream_id, http1::localReplyHead(status, body), body, true) !=
      http1::EncodeResult::kOk) {
    submitReset(s, stream_id);
  }
}

void ServerConnection::Impl::submitReset(StreamState& s, int32_t stream_id) {
  if (s.resetting) return;
  s.resetting = true;
  s.clearTimers();
  // Envoy maps a local reset to NO_ERROR.
  nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_NO_ERROR);
}

void ServerConnection::Impl::resetStream(TimePoint now, uint64_t stream_id) {
  see(now);
  if (shouldClose() || lookup(stream_id) == nullptr) return;
  const auto id = static_cast<int32_t>(stream_id);
  StreamState& s = *find(id);
  s.events_done = true;  // the application asked for it: no PeerReset or ProtocolError follows
  submitReset(s, id);
  afterActivity();
}

void ServerConnection::Impl::requestForwarded(TimePoint now, uint64_t stream_id) {
  see(now);
  if (shouldClose() || lookup(stream_id) == nullptr) return;
  StreamState& s = *find(static_cast<int32_t>(stream_id));
  s.forwarded = true;
  if (s.request_complete) s.request_deadline.reset();
}

// --- Connection --------------------------------------------------------------------------------

void ServerConnection::Impl::drain(TimePoint now) {
  see(now);
  if (shouldClose()) return;
  startDrain();
  afterActivity();
}

void ServerConnection::Impl::startDrain() {
  if (draining_ || !session_) return;
  draining_ = true;
  // Single-phase: the streams already accepted finish; later ones are ignored by nghttp2 and
  // the client retries them elsewhere.
  nghttp2_submit_goaway(session_.get(), NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(session_.get()), NGHTTP2_NO_ERROR,
                        nullptr, 0);
  ++h2_->http2_goaway_sent;
}

void ServerConnection::Impl::failConnection() {
  // No-op when nghttp2 already queued its own terminating GOAWAY.
  nghttp2_session_terminate_session(session_.get(), NGHTTP2_PROTOCOL_ERROR);
  protocolError();
}

void ServerConnection::Impl::protocolError() {
  if (protocol_error_) return;
  protocol_error_ = true;
  ++h2_->downstream_cx_protocol_error;
  abandonStreams(Abandon::kProtocolError);
  closeWith(CloseReason::kCodec);
}

void ServerConnection::Impl::abandonStreams(Abandon why) {
  for (auto& [id, s] : streams_) {
    if (!s.awaitingAnswer()) continue;
    const auto request_id = static_cast<uint64_t>(id);
    if (why == Abandon::kProtocolError) {
      push(http1::ProtocolError{request_id, 400, kCodecError, false});
    } else {
      push(http1::PeerReset{request_id});
      if (why == Abandon::kPeerClosed) ++hcm_->downstream_rq_rx_reset;
    }
    s.events_done = true;
    s.clearTimers();
  }
}

void ServerConnection::Impl::closeWith(CloseReason reason) {
  if (close_reason_ == CloseReason::kNone) close_reason_ = reason;
}

void ServerConnection::Impl::afterActivity() {
  if (!session_) return;
  for (const auto& [id, n] : pending_consume_) nghttp2_session_consume(session_.get(), id, n);
  pending_consume_.clear();
  if (drain_requested_) {
    drain_requested_ = false;
    if (!shouldClose()) startDrain();
  }
  flush();
  // nghttp2 wants neither to read nor to write once a terminating GOAWAY went out, or once a
  // GOAWAY was exchanged and no stream is left: the connection is done.
  if (!nghttp2_session_want_read(session_.get()) && !nghttp2_session_want_write(session_.get())) {
    closeWith(CloseReason::kCodec);
  }
}

void ServerConnection::Impl::flush() {
  // Callbacks may submit frames (replies, resets); they go out when the outer call returns.
  if (!session_ || in_session_) return;
  in_session_ = true;
  for (;;) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_.get(), &data);
    if (n <= 0) {
      // Negative only on allocation failure: nothing more can be sent.
      if (n < 0) {
        abandonStreams(Abandon::kProtocolError);
        closeWith(CloseReason::kCodec);
      }
      break;
    }
    if (!discard_output_)
      output_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
  }
  in_session_ = false;
}

std::string_view ServerConnection::Impl::pendingOutput() const {
  return std::string_view(output_).substr(output_head_);
}

void ServerConnection::Impl::consumeOutput(size_t n) {
  output_head_ = std::min(output_.size(), output_head_ + n);
  // Compact once the consumed prefix dominates, so a long-lived connection does not keep
  // everything it ever sent.
  if (output_head_ == output_.size()) {
    output_.clear();
    output_head_ = 0;
  } else if (output_head_ > output_.size() / 2) {
    output_.erase(0, output_head_);
    output_head_ = 0;
  }
}

size_t ServerConnection::Impl::openStreams() const {
  return static_cast<size_t>(std::count_if(streams_.begin(), streams_.end(), [](const auto& e) {
    return e.second.head_emitted && !e.second.response_done && !e.second.resetting;
  }));
}

bool ServerConnection::Impl::isOpen(uint64_t stream_id) const {
  const StreamState* s = lookup(stream_id);
  return s != nullptr && s->awaitingAnswer();
}

}  // namespace ctplab::proxy::http2
