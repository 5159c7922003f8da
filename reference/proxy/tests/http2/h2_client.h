// Test support for the HTTP/2 server connection: a real nghttp2 client session in memory, wired
// to a ServerConnection, so every test is also an interop check; plus raw frame builders for the
// inputs a well-behaved client never sends.
#pragma once

#include <gtest/gtest.h>
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctplab/proxy/http2/preface.h"
#include "ctplab/proxy/http2/server_connection.h"

namespace ctplab::proxy::http2::test_support {

inline TimePoint at(int64_t ms) { return TimePoint::fromUnixNanos(ms * 1'000'000); }

// What the client saw on one stream.
struct ClientStream {
  std::vector<int> statuses;  // informational ones first, then the final one
  http1::HeaderList headers;  // of the final response, as received (lower case)
  std::string body;
  bool ended = false;                  // END_STREAM received
  std::optional<uint32_t> reset_code;  // RST_STREAM received
  std::optional<uint32_t> close_code;  // the stream closed with this error code
  int status() const { return statuses.empty() ? 0 : statuses.back(); }
};

struct GoAway {
  int32_t last_stream_id = 0;
  uint32_t error_code = 0;
};

class Client {
 public:
  struct Options {
    // nghttp2 clients assume 100 until the server's SETTINGS arrive; more lets a test open
    // streams beyond the server's limit before it has announced it.
    uint32_t peer_max_concurrent_streams = 100;
    bool auto_window_update = true;
    bool auto_ping_ack = true;  // false: a client that never answers keepalive PINGs
  };

  Client() : Client(Options{}) {}
  explicit Client(Options options) {
    nghttp2_session_callbacks* cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &Client::onHeader);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &Client::onBeginHeaders);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &Client::onData);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &Client::onFrameRecv);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &Client::onStreamClose);
    nghttp2_option* opt = nullptr;
    nghttp2_option_new(&opt);
    nghttp2_option_set_peer_max_concurrent_streams(opt, options.peer_max_concurrent_streams);
    if (!options.auto_window_update) nghttp2_option_set_no_auto_window_update(opt, 1);
    if (!options.auto_ping_ack) nghttp2_option_set_no_auto_ping_ack(opt, 1);
    nghttp2_session* session = nullptr;
    nghttp2_session_client_new2(&session, cbs, this, opt);
    session_.reset(session);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    nghttp2_submit_settings(session_.get(), NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A request; `body` (when set) is sent from memory in DATA frames after the HEADERS.
  int32_t request(std::string_view method, std::string_view path, std::string_view authority,
                  const http1::HeaderList& extra = {},
                  std::optional<std::string> body = std::nullopt) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {":method", std::string(method)},
        {":scheme", "http"},
        {":path", std::string(path)},
        {":authority", std::string(authority)}};
    for (const auto& h : extra) fields.emplace_back(h.name, h.value);
    return submit(fields, std::move(body));
  }

  // Fields exactly as given (pseudo-headers included), for malformed requests.
  int32_t submit(const std::vector<std::pair<std::string, std::string>>& fields,
                 std::optional<std::string> body = std::nullopt) {
    std::vector<nghttp2_nv> nva = toNv(fields);
    nghttp2_data_provider provider{};
    provider.read_callback = &Client::readBody;
    const int32_t id = nghttp2_submit_request(session_.get(), nullptr, nva.data(), nva.size(),
                                              body ? &provider : nullptr, nullptr);
    if (id > 0 && body) bodies_[id] = {std::move(*body), 0};
    return id;
  }

  // HEADERS without END_STREAM: the request body follows with sendData (or never does).
  int32_t openRequest(std::string_view method, std::string_view path, std::string_view authority,
                      const http1::HeaderList& extra = {}) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {":method", std::string(method)},
        {":scheme", "http"},
        {":path", std::string(path)},
        {":authority", std::string(authority)}};
    for (const auto& h : extra) fields.emplace_back(h.name, h.value);
    std::vector<nghttp2_nv> nva = toNv(fields);
    return nghttp2_submit_headers(session_.get(), NGHTTP2_FLAG_NONE, -1, nullptr, nva.data(),
                                  nva.size(), nullptr);
  }
  void sendData(int32_t stream_id, std::string data, bool end_stream) {
    bodies_[stream_id] = {std::move(data), 0};
    nghttp2_data_provider provider{};
    provider.read_callback = &Client::readBody;
    nghttp2_submit_data(session_.get(), end_stream ? NGHTTP2_FLAG_END_STREAM : NGHTTP2_FLAG_NONE,
                        stream_id, &provider);
  }
  void sendTrailers(int32_t stream_id, const std::vector<std::pair<std::string, std::string>>& f) {
    std::vector<nghttp2_nv> nva = toNv(f);
    nghttp2_submit_trailer(session_.get(), stream_id, nva.data(), nva.size());
  }

  void reset(int32_t stream_id, uint32_t code = NGHTTP2_CANCEL) {
    nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, stream_id, code);
  }
  // Returns bytes of a stream's window to the server (with auto_window_update off).
  void consume(int32_t stream_id, size_t n) {
    nghttp2_session_consume(session_.get(), stream_id, n);
  }

  std::string takeOutput() {
    std::string out;
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_.get(), &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    return out;
  }
  // Feeds server bytes; false once the client session refused them.
  bool receive(std::string_view bytes) {
    const ssize_t rv = nghttp2_session_mem_recv(
        session_.get(), reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (rv < 0) failed_ = true;
    return rv >= 0;
  }

  ClientStream& stream(int32_t id) { return streams_[id]; }
  const std::map<int32_t, ClientStream>& streams() const { return streams_; }
  const std::optional<GoAway>& goaway() const { return goaway_; }
  bool failed() const { return failed_; }
  int pingsReceived() const { return pings_; }
  nghttp2_session* session() { return session_.get(); }

 private:
  struct SessionDel {
    void operator()(nghttp2_session* s) const { nghttp2_session_del(s); }
  };
  struct PendingBody {
    std::string data;
    size_t sent = 0;
  };
  static Client& self(void* p) { return *static_cast<Client*>(p); }
  static std::vector<nghttp2_nv> toNv(const std::vector<std::pair<std::string, std::string>>& f) {
    std::vector<nghttp2_nv> nva;
    for (const auto& [name, value] : f) {
      nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                     reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                     value.size(), NGHTTP2_NV_FLAG_NONE});
    }
    return nva;
  }

  static int onBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    // A final response after informational ones starts a fresh header list.
    self(user).streams_[frame->hd.stream_id].headers.clear();
    return 0;
  }
  static int onHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* user) {
    ClientStream& s = self(user).streams_[frame->hd.stream_id];
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      s.statuses.push_back(std::stoi(v));
    } else {
      s.headers.push_back({std::move(n), std::move(v)});
    }
    return 0;
  }
  static int onData(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len,
                    void* user) {
    self(user).streams_[id].body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }
  static int onFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    Client& c = self(user);
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      c.streams_[frame->hd.stream_id].ended = true;
    }
    if (frame->hd.type == NGHTTP2_RST_STREAM) {
      c.streams_[frame->hd.stream_id].reset_code = frame->rst_stream.error_code;
    }
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      c.goaway_ = GoAway{frame->goaway.last_stream_id, frame->goaway.error_code};
    }
    if (frame->hd.type == NGHTTP2_PING && !(frame->hd.flags & NGHTTP2_FLAG_ACK)) ++c.pings_;
    return 0;
  }
  static int onStreamClose(nghttp2_session*, int32_t id, uint32_t code, void* user) {
    self(user).streams_[id].close_code = code;
    return 0;
  }
  static ssize_t readBody(nghttp2_session*, int32_t id, uint8_t* buf, size_t length,
                          uint32_t* flags, nghttp2_data_source*, void* user) {
    PendingBody& b = self(user).bodies_[id];
    const size_t n = std::min(length, b.data.size() - b.sent);
    std::memcpy(buf, b.data.data() + b.sent, n);
    b.sent += n;
    if (b.sent == b.data.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  std::unique_ptr<nghttp2_session, SessionDel> session_;
  std::map<int32_t, ClientStream> streams_;
  std::map<int32_t, PendingBody> bodies_;
  std::optional<GoAway> goaway_;
  bool failed_ = false;
  int pings_ = 0;
};

// A server connection opened at t=0 with its stats, and a client talking to it.
class Pair {
 public:
  explicit Pair(Http2Options options = {}, connection::HttpConnectionSettings settings = {},
                Client::Options client_options = {})
      : client(client_options), server(at(0), options, h2, hcm, std::move(settings)) {}

  // Moves bytes both ways until neither side has anything to say. Server output is handed to
  // the client only while it still parses it (after a GOAWAY with an error it stops).
  void pump(TimePoint now) {
    for (int round = 0; round < 10'000; ++round) {
      bool moved = false;
      if (!server.shouldClose()) {
        const std::string out = client.takeOutput();
        if (!out.empty()) {
          server.onBytes(now, out);
          moved = true;
        }
      }
      const std::string_view in = server.pendingOutput();
      if (!in.empty()) {
        const std::string copy(in);
        server.consumeOutput(copy.size());
        if (!client.failed()) client.receive(copy);
        moved = true;
      }
      if (!moved) return;
    }
    ADD_FAILURE() << "pump did not settle";
  }

  // Everything the server has for the application, pulled (which reopens the windows).
  std::vector<http1::Event> events() {
    std::vector<http1::Event> out;
    while (auto e = server.nextEvent()) out.push_back(std::move(*e));
    return out;
  }

  // Every counter of both groups that is not zero, by Envoy name, for exact comparisons.
  std::map<std::string, uint64_t> nonZeroStats() const {
    std::map<std::string, uint64_t> out;
    auto add = [&](std::string_view name, uint64_t v) {
      if (v != 0) out[std::string(name)] += v;
    };
    h2.forEach(add);
    hcm.forEach(add);
    return out;
  }

  http1::EncodeResult ok(int64_t ms, int32_t stream_id, std::string_view body = "ok") {
    http1::ResponseHead head;
    head.headers = {{"content-length", std::to_string(body.size())}};
    return server.respond(at(ms), static_cast<uint64_t>(stream_id), head, body);
  }

  Http2Stats h2;
  connection::HttpConnectionStats hcm;
  Client client;
  ServerConnection server;
};

template <typename T>
std::vector<T> eventsOf(const std::vector<http1::Event>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const auto* v = std::get_if<T>(&e)) out.push_back(*v);
  }
  return out;
}

// --- Raw frames --------------------------------------------------------------------------------

inline std::string frame(uint8_t type, uint8_t flags, uint32_t stream_id,
                         std::string_view payload) {
  std::string out;
  const size_t n = payload.size();
  out += static_cast<char>((n >> 16) & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>(type);
  out += static_cast<char>(flags);
  out += static_cast<char>((stream_id >> 24) & 0x7f);
  out += static_cast<char>((stream_id >> 16) & 0xff);
  out += static_cast<char>((stream_id >> 8) & 0xff);
  out += static_cast<char>(stream_id & 0xff);
  out += payload;
  return out;
}

// An HPACK encoder with its own dynamic table, for hand-built HEADERS frames.
class Hpack {
 public:
  Hpack() {
    nghttp2_hd_deflater* d = nullptr;
    nghttp2_hd_deflate_new(&d, 4096);
    deflater_.reset(d);
  }
  std::string encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<nghttp2_nv> nva;
    for (const auto& [name, value] : fields) {
      nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                     reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                     value.size(), NGHTTP2_NV_FLAG_NONE});
    }
    std::string out(nghttp2_hd_deflate_bound(deflater_.get(), nva.data(), nva.size()), '\0');
    const ssize_t n = nghttp2_hd_deflate_hd(deflater_.get(), reinterpret_cast<uint8_t*>(out.data()),
                                            out.size(), nva.data(), nva.size());
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
  }

 private:
  struct Del {
    void operator()(nghttp2_hd_deflater* d) const { nghttp2_hd_deflate_del(d); }
  };
  std::unique_ptr<nghttp2_hd_deflater, Del> deflater_;
};

// The client preface plus an empty SETTINGS frame.
inline std::string clientStart() {
  return std::string(kClientPreface) + frame(NGHTTP2_SETTINGS, 0, 0, "");
}

inline std::string settingsAck() { return frame(NGHTTP2_SETTINGS, NGHTTP2_FLAG_ACK, 0, ""); }

struct RawFrame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream_id = 0;
  std::string payload;
};

// Splits server output into frames (the server sends no preface of its own).
inline std::vector<RawFrame> parseFrames(std::string_view bytes) {
  std::vector<RawFrame> out;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  while (bytes.size() >= 9) {
    const size_t length = (byte(0) << 16) | (byte(1) << 8) | byte(2);
    if (bytes.size() < 9 + length) break;
    RawFrame f;
    f.type = static_cast<uint8_t>(byte(3));
    f.flags = static_cast<uint8_t>(byte(4));
    f.stream_id = ((byte(5) & 0x7f) << 24) | (byte(6) << 16) | (byte(7) << 8) | byte(8);
    f.payload = std::string(bytes.substr(9, length));
    out.push_back(std::move(f));
    bytes.remove_prefix(9 + length);
  }
  return out;
}

// The error code of the GOAWAY among `frames`, if any.
inline std::optional<uint32_t> goAwayCode(const std::vector<RawFrame>& frames) {
  for (const RawFrame& f : frames) {
    if (f.type != NGHTTP2_GOAWAY || f.payload.size() < 8) continue;
    uint32_t code = 0;
    for (int i = 4; i < 8; ++i) code = (code << 8) | static_cast<uint8_t>(f.payload[i]);
    return code;
  }
  return std::nullopt;
}

// Everything the server wrote so far, consumed.
inline std::string takeOutput(ServerConnection& server) {
  std::string out(server.pendingOutput());
  server.consumeOutput(out.size());
  return out;
}

}  // namespace ctplab::proxy::http2::test_support
