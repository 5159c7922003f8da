// The codec an admitted connection is served with, HTTP/1.1 or HTTP/2, behind one interface, so
// the connection's socket, TLS and timer handling does not depend on the protocol chosen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ctplab/common/time.h"
#include "ctplab/proxy/connection/http_connection.h"
#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"
#include "ctplab/proxy/http2/server_connection.h"

namespace ctplab::live {

class ServingCodec {
 public:
  explicit ServingCodec(std::unique_ptr<proxy::connection::HttpConnection> http1);
  explicit ServingCodec(std::unique_ptr<proxy::http2::ServerConnection> http2);

  bool isHttp2() const { return http2_ != nullptr; }

  // How many bytes to hand over now (0: reading is paused). HTTP/2 takes whatever arrives: its
  // windows already bound what the peer may send.
  size_t readAllowance() const;
  void onBytes(TimePoint now, std::string_view bytes);
  void onPeerClosed(TimePoint now);
  std::optional<TimePoint> nextDeadline() const;
  void onDeadline(TimePoint now);

  // Events name their request: the HTTP/1 request number or the HTTP/2 stream id.
  std::optional<proxy::http1::Event> nextEvent();
  proxy::http1::EncodeResult respond(TimePoint now, uint64_t id,
                                     const proxy::http1::ResponseHead& head, std::string_view body,
                                     bool count_status);
  bool isOpen(uint64_t id) const;
  // Request `id` went upstream: its request timer may stop (spec 4.3).
  void requestForwarded(TimePoint now, uint64_t id);

  std::string_view pendingOutput() const;
  void consumeOutput(TimePoint now, size_t n);
  bool shouldClose() const;
  proxy::connection::CloseReason closeReason() const;
  // Nothing asked and unanswered, nothing received and unparsed.
  bool idle() const;
  // Shutdown or reload: HTTP/2 says GOAWAY and lets open streams finish; HTTP/1 closes once idle.
  void drain(TimePoint now);

 private:
  std::unique_ptr<proxy::connection::HttpConnection> http1_;
  std::unique_ptr<proxy::http2::ServerConnection> http2_;
};

}  // namespace ctplab::live
