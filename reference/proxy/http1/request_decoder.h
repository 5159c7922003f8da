// Turns request bytes into events with llhttp, and applies the codec's request-side rules:
// header size/count limits, underscores, HTTP/1.0, upgrades, trailers, the body limit.
#pragma once

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/codec_stats.h"
#include "ctplab/proxy/http1/event_queue.h"
#include "ctplab/proxy/http1/request_head.h"

namespace ctplab::proxy::http1 {

// Why a request is refused; the kind selects the counter the codec bumps.
struct Rejection {
  enum class Kind { kProtocolError, kPayloadTooLarge, kUpgradeRejected };
  int status = 400;
  std::string_view details;
  Kind kind = Kind::kProtocolError;
};

// What the codec needs about the request it is serving (the last one whose head was parsed).
struct RequestInfo {
  uint64_t id = 0;
  bool head_parsed = false;
  bool complete = false;  // the whole request (or, for a tunnel, the peer's half) arrived
  bool head_method = false;
  bool keep_alive = true;
  bool tunnel = false;
  Version version;
};

// Where one execute() stopped and why.
struct DecodeOutcome {
  enum class Stop {
    kNeedMore,         // everything consumed
    kMessageComplete,  // a request completed; the rest waits until resume()
    kTunnel,           // an accepted upgrade: the rest is tunnel payload
    kRejected,
  };
  size_t consumed = 0;
  Stop stop = Stop::kNeedMore;
  Rejection rejection;  // with kRejected
};

class RequestDecoder {
 public:
  RequestDecoder(CodecConfigPtr config, CodecStats& stats);
  // llhttp keeps a pointer to this object; it stays where it was created.
  RequestDecoder(const RequestDecoder&) = delete;
  RequestDecoder& operator=(const RequestDecoder&) = delete;

  // Parses `bytes`, appending events to `events`. After kRejected the decoder is dead.
  DecodeOutcome execute(std::string_view bytes, EventQueue& events);
  void resume();

  const RequestInfo& request() const { return info_; }
  // A request has begun and not completed (a peer close now is a reset).
  bool inMessage() const { return in_message_; }
  // Id for an error raised before any byte of a request was parsed.
  uint64_t requestIdForError();
  void markTunnelClosed() { info_.complete = true; }

  // Applies a body limit to the current request; returns a 413 rejection if already exceeded.
  std::optional<Rejection> setBodyLimit(uint64_t max_bytes);

 private:
  friend struct DecoderCallbacks;

  int onMessageBegin();
  int onUrl(const char* at, size_t length);
  int onHeaderField(const char* at, size_t length);
  int onHeaderValue(const char* at, size_t length);
  int onHeaderValueComplete();
  int onHeadersComplete();
  int onBody(const char* at, size_t length);
  int onMessageComplete();

  int reject(int status, std::string_view details,
             Rejection::Kind kind = Rejection::Kind::kProtocolError);
  bool chargeHeaderBytes(size_t length);
  bool inTrailers() const { return info_.head_parsed && in_message_; }
  int checkVersion();
  int decideUpgrade();
  char byteBefore(const char* at) const;

  CodecConfigPtr config_;
  CodecStats* stats_;
  llhttp_t parser_;
  EventQueue* sink_ = nullptr;  // set for the duration of execute()
  const char* chunk_begin_ = nullptr;
  char last_byte_ = '\n';  // last byte of the previous chunk, for obs-fold detection

  RequestInfo info_;
  uint64_t next_id_ = 1;
  bool in_message_ = false;
  RequestHead head_;  // being built until headers complete
  HeaderList trailers_;
  std::string field_;
  std::string value_;
  uint64_t header_bytes_ = 0;
  uint32_t header_count_ = 0;
  uint64_t body_bytes_ = 0;
  std::optional<uint64_t> body_limit_;
  std::optional<Rejection> rejection_;
};

}  // namespace ctplab::proxy::http1
