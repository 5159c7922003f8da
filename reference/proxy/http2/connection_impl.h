// The state behind ServerConnection: one nghttp2 server session, the streams it carries, the
// events waiting for the application, and the connection, stream and keepalive timers.
#pragma once

#include <nghttp2/nghttp2.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctplab/proxy/http2/request_assembler.h"
#include "ctplab/proxy/http2/server_connection.h"
#include "http2/nghttp2_handles.h"
#include "http2/stream_state.h"

namespace ctplab::proxy::http2 {

class ServerConnection::Impl {
 public:
  Impl(TimePoint opened, const Http2Options& options, Http2Stats& h2_stats,
       connection::HttpConnectionStats& hcm_stats, connection::HttpConnectionSettings settings);
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void onBytes(TimePoint now, std::string_view bytes);
  void onPeerClosed(TimePoint now);
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);
  std::optional<http1::Event> nextEvent();
  http1::EncodeResult respond(TimePoint now, uint64_t stream_id, const http1::ResponseHead& head,
                              std::string_view body, bool count_status);
  void resetStream(TimePoint now, uint64_t stream_id);
  void requestForwarded(TimePoint now, uint64_t stream_id);
  void drain(TimePoint now);
  std::string_view pendingOutput() const;
  void consumeOutput(size_t n);
  bool shouldClose() const { return close_reason_ != connection::CloseReason::kNone; }
  connection::CloseReason closeReason() const { return close_reason_; }
  size_t openStreams() const;
  bool isOpen(uint64_t stream_id) const;

  // nghttp2 callbacks (session_callbacks.cc); they run inside mem_recv/mem_send and therefore
  // only record and submit, never send.
  int onBeginFrame(const nghttp2_frame_hd& hd);
  int onBeginHeaders(const nghttp2_frame& frame);
  int onHeader(const nghttp2_frame& frame, std::string_view name, std::string_view value);
  int onFrameRecv(const nghttp2_frame& frame);
  int onDataChunk(int32_t stream_id, std::string_view data);
  int onStreamClose(int32_t stream_id);
  int onFrameSend(const nghttp2_frame& frame);
  int onInvalidFrame(const nghttp2_frame& frame, int lib_error_code);
  ssize_t readBody(int32_t stream_id, uint8_t* buf, size_t length, uint32_t* data_flags);

 private:
  enum class Abandon { kPeerClosed, kPeerGone, kProtocolError };

  StreamState* find(int32_t stream_id);
  // Stream ids as the application names them; null for ids nghttp2 cannot have.
  const StreamState* lookup(uint64_t stream_id) const;
  void see(TimePoint now);
  void push(http1::Event event);
  void openStream(int32_t stream_id);
  void touch(StreamState& s);
  void requestComplete(StreamState& s, int32_t stream_id, http1::HeaderList trailers);
  // The stream is refused while its request arrives: one ProtocolError, then nghttp2 resets it.
  void refuse(StreamState& s, int32_t stream_id, int status, std::string_view details);
  http1::EncodeResult submitResponse(StreamState& s, int32_t stream_id,
                                     const http1::ResponseHead& head, std::string_view body,
                                     bool count_status);
  void localReply(StreamState& s, int32_t stream_id, int status, std::string_view body);
  void submitReset(StreamState& s, int32_t stream_id);
  // A stream timer fired: a local reply while unanswered, else a reset.
  void expire(StreamState& s, int32_t stream_id, int status, std::string_view body);
  void expireStreams(TimePoint now);
  void keepaliveTick(TimePoint now);
  void onPingAck();
  void startDrain();
  void failConnection();
  void protocolError();
  void abandonStreams(Abandon why);
  void closeWith(connection::CloseReason reason);
  // After any input or call: deferred window consumption and drain, then output and close.
  void afterActivity();
  void flush();

  Http2Options options_;
  Http2Stats* h2_;
  connection::HttpConnectionStats* hcm_;
  connection::HttpConnectionSettings settings_;
  HeaderPolicy header_policy_;
  TimePoint now_;  // the latest time any call reported; callbacks run at this time

  std::map<int32_t, StreamState> streams_;  // ordered: events for many streams go out by id
  std::vector<http1::Event> events_;
  size_t events_head_ = 0;
  // Bytes the application will never pull (dropped DATA): returned to the windows after the
  // current nghttp2 call, since the session must not be re-entered from its callbacks.
  std::vector<std::pair<int32_t, size_t>> pending_consume_;
  std::string output_;
  size_t output_head_ = 0;  // output_[0, output_head_) was already consumed

  std::optional<TimePoint> idle_deadline_;
  std::optional<TimePoint> max_duration_deadline_;
  std::optional<TimePoint> ping_due_;       // next keepalive PING
  std::optional<TimePoint> ping_deadline_;  // ACK expected by then
  uint64_t pings_sent_ = 0;
  uint32_t requests_ = 0;
  bool drain_requested_ = false;  // max requests reached inside a callback
  bool draining_ = false;
  bool protocol_error_ = false;
  bool discard_output_ = false;  // closed without flushing (keepalive timeout)
  bool in_session_ = false;      // inside nghttp2_session_mem_recv/mem_send
  connection::CloseReason close_reason_ = connection::CloseReason::kNone;
  // Last member: destroyed first, while everything its callbacks could touch still exists.
  SessionPtr session_;
};

}  // namespace ctplab::proxy::http2
