// The connection table of one UDP port (connection IDs → connections), what arrives for no
// connection (new Initials, version negotiation, stateless resets, garbage), the mapping of
// HTTP/3 streams to the HTTP/1 request events the data plane consumes, and the streams' timers.
#include "ctplab/proxy/http3/http3_server.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "ctplab/proxy/http2/request_assembler.h"
#include "http2/response_fields.h"
#include "http3/quic_lib.h"
#include "http3/stream_state.h"
#include "http3/tls_credentials.h"

namespace ctplab::proxy::http3 {

namespace {

// A client Initial is padded to at least this many bytes (RFC 9000 14.1); smaller long-header
// datagrams of an unknown version get no Version Negotiation (no amplification).
constexpr size_t kMinInitialSize = 1200;

// A chain's timers for connections whose handshake never chose one (they carry no streams).
const StreamTimeouts kNoChainTimeouts;

lib::TransportLimits limitsOf(const ServerConfig& c) {
  return {c.idle_timeout,  c.initial_rtt,       c.max_streams_bidi,
          c.stream_window, c.connection_window, c.pacing};
}

}  // namespace

class ServerConnection;

class Http3Server::Impl {
 public:
  Impl(ServerSetupPtr setup_in, Http3Stats& stats_in, std::optional<uint8_t> cid_tag_in)
      : setup(std::move(setup_in)), stats(&stats_in), cid_tag(cid_tag_in) {
    lib::randomBytes(secret.data(), secret.size());
  }

  void onDatagram(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                  std::string_view bytes);
  void accept(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
              std::string_view bytes, const lib::PacketHeader& header);
  // After a read, an expiry or an answer: act on the result and mark the connection for
  // writing. Writes wait for takeOutput(), so a burst of datagrams and the answers they cause
  // leave in as few packets as ngtcp2 can pack them into (one per answer otherwise).
  void service(ServerConnection& c, TimePoint now, lib::IoResult result);
  void writePending();
  void startClosing(ServerConnection& c, TimePoint now, CloseCause cause);
  void forget(ServerConnection& c, CloseCause cause);
  void reportClosed(ServerConnection& c, CloseCause cause);
  ServerConnection* find(uint64_t id) const;
  // Connections' timers, ordered, so the next expiry and the due connections are found without
  // visiting every connection: a connection whose timer may have moved is marked, and the index
  // catches up before it is read.
  void markTimer(ServerConnection& c);
  void updateTimers();
  // The final answer of one stream, head and whole body (kOk: submitted).
  http1::EncodeResult submitAnswer(ServerConnection& c, int64_t stream, StreamState& s,
                                   const http1::ResponseHead& head, std::string_view body);

  ServerSetupPtr setup;
  Http3Stats* stats;
  std::optional<uint8_t> cid_tag;
  lib::ResetSecret secret{};
  std::unordered_map<lib::Cid, std::shared_ptr<ServerConnection>> by_cid;
  std::map<uint64_t, std::shared_ptr<ServerConnection>> by_id;
  // Events not yet taken, from events_head on: a vector emptied when drained, so the queue
  // settles at its capacity instead of allocating blocks as it moves.
  std::vector<ServerEvent> events;
  size_t events_head = 0;
  std::vector<Datagram> out;
  std::vector<uint64_t> to_write;  // connections service() marked, by id
  std::set<std::pair<TimePoint, uint64_t>> timers;
  std::vector<uint64_t> timers_moved;     // connections markTimer() listed, by id
  http2::ResponseFields response_fields;  // respond()'s, kept for its capacity
  uint64_t next_id = 1;
  bool draining = false;
};

class ServerConnection final : public lib::ConnectionSink {
 public:
  enum class State { kHandshaking, kOpen, kClosing, kDraining };

  ServerConnection(Http3Server::Impl& server, uint64_t id, ServerSetupPtr setup)
      : server_(server), id_(id), setup_(std::move(setup)) {}

  // lib::ConnectionSink
  const TlsCredentials* chooseCredentials(std::string_view sni) override {
    const TlsCredentials* chosen = setup_->choose(sni);
    if (chosen == nullptr) {
      no_chain_ = true;
      return nullptr;
    }
    chain_tag_ = chosen->tag();
    for (const ChainConfig& chain : setup_->config().chains) {
      if (chain.tag == chain_tag_) timeouts_ = &chain.timeouts;
    }
    return chosen;
  }
  void onHandshakeCompleted() override {
    handshake_completed = true;
    if (quic->resumed()) ++server_.stats->downstream_cx_resumed;
    if (quic->earlyDataAccepted()) ++server_.stats->downstream_cx_zero_rtt;
    open();
  }
  // Reported to the caller at the end of the handshake, or before it with a 0-RTT request: the
  // client's first flight carried it, and it is answered at once (0.5-RTT), as Envoy does.
  void open() {
    if (opened) return;
    state = State::kOpen;
    opened = true;
    ++server_.stats->downstream_cx_total;
    server_.events.push_back(ConnectionOpened{id_, chain_tag_, quic->sni(), quic->remote(),
                                              quic->local(), setup_->config().context});
  }
  void onNewCid(const lib::Cid& cid) override {
    cids.push_back(cid);
    server_.by_cid[cid] = self.lock();
  }
  void onRetiredCid(const lib::Cid& cid) override {
    cids.erase(std::remove(cids.begin(), cids.end(), cid), cids.end());
    server_.by_cid.erase(cid);
  }
  void onHeaderField(int64_t stream, bool, std::string_view name, std::string_view value) override {
    StreamState& s = stateOf(stream);
    if (s.rejected || s.answered) return;
    const ServerConfig& c = setup_->config();
    const http2::HeaderPolicy policy{c.max_header_bytes, c.max_header_count, c.underscores};
    switch (s.assembler.add(policy, name, value)) {
      case http2::FieldVerdict::kKept:
        return;
      case http2::FieldVerdict::kDropped:
        ++codec_stats->dropped_headers_with_underscores;
        return;
      case http2::FieldVerdict::kRejected:
        ++codec_stats->requests_rejected_with_underscores_in_headers;
        [[fallthrough]];
      case http2::FieldVerdict::kOverflow:
        s.rejected = true;
        s.answered = true;
        s.clearTimers();
        to_reset.push_back(stream);
        return;
    }
  }
  void onHeadersEnd(int64_t stream, bool trailers, bool fin) override {
    StreamState& s = stateOf(stream);
    if (s.rejected || s.answered) return;
    s.touch(now, *timeouts_);
    if (trailers) {
      s.trailers = s.assembler.takeTrailers();
      return;
    }
    s.headers_deadline.reset();
    http1::RequestHead head = s.assembler.takeHead(static_cast<uint64_t>(stream), fin);
    head.version = {3, 0};
    if (!handshake_completed) markEarlyData(head.headers);  // it came as 0-RTT data
    s.head_request = head.method == "HEAD";
    s.head_sent = true;
    open();
    emit(std::move(head));
  }
  void onBody(int64_t stream, std::string_view data) override {
    auto it = streams.find(stream);
    if (it == streams.end() || !it->second.head_sent || it->second.answered) return;
    it->second.touch(now, *timeouts_);
    emit(http1::BodyData{static_cast<uint64_t>(stream), std::string(data)});
  }
  void onRequestEnd(int64_t stream) override {
    auto it = streams.find(stream);
    if (it == streams.end() || !it->second.head_sent || it->second.ended) return;
    it->second.ended = true;
    // The request timer stops once the caller has also forwarded it (spec 4.3).
    if (it->second.forwarded) it->second.request_deadline.reset();
    it->second.touch(now, *timeouts_);
    if (it->second.answered) return;
    emit(http1::RequestComplete{static_cast<uint64_t>(stream), std::move(it->second.trailers)});
  }
  void onStreamReset(int64_t stream) override {
    auto it = streams.find(stream);
    if (it == streams.end()) return;
    it->second.clearTimers();  // the stream is going away: nothing left to time
    if (!it->second.head_sent || it->second.answered) return;
    it->second.answered = true;
    emit(http1::PeerReset{static_cast<uint64_t>(stream)});
  }
  void onStreamClosed(int64_t stream) override {
    onStreamReset(stream);  // closed before its answer: the client gave up on it
    if (cached_stream_ == stream) cached_state_ = nullptr;
    streams.erase(stream);
  }
  void onStreamDataAcked(int64_t stream) override {
    auto it = streams.find(stream);
    if (it != streams.end()) it->second.touch(now, *timeouts_);
  }

  // Answers or resets every stream whose timer is due (spec 4.3, as HTTP/2 streams); true when
  // one did.
  bool expireStreams(TimePoint at);
  // The earliest timer of its streams.
  std::optional<TimePoint> streamDeadline() const {
    std::optional<TimePoint> best;
    for (const auto& [id, s] : streams) {
      const std::optional<TimePoint> d = s.nextDeadline();
      if (d && (!best || *d < *best)) best = d;
    }
    return best;
  }

  uint64_t id() const { return id_; }
  bool noChain() const { return no_chain_; }
  const ServerConfig& config() const { return setup_->config(); }
  // Requests still waiting for their answer, or answers not yet acknowledged.
  bool busy() const { return !streams.empty(); }

  std::unique_ptr<lib::Connection> quic;
  std::weak_ptr<ServerConnection> self;
  State state = State::kHandshaking;
  bool opened = false;
  bool handshake_completed = false;  // until then requests can only be 0-RTT data
  bool closed_reported = false;
  bool goaway = false;
  std::vector<lib::Cid> cids;  // ours, as the client addresses us (plus its first DCID)
  std::map<int64_t, StreamState> streams;
  std::vector<int64_t> to_reset;
  std::optional<TimePoint> gone_at;  // closing or draining: forgotten then
  std::string close_packet;          // resent when the client keeps sending while we close
  bool write_pending = false;        // listed in Impl::to_write
  bool timer_moved = false;          // listed in Impl::timers_moved
  // Header checks count here until the caller says where (setListenerStats): the first request
  // often arrives with the handshake's last packet, before the caller has seen the connection.
  Http3CodecStats early_codec_stats;
  Http3CodecStats* codec_stats = &early_codec_stats;
  // Timed-out streams count here: the listener's HCM counters once the caller has said where;
  // before that (no caller has seen the connection) into a record nobody reads.
  connection::HttpConnectionStats unread_request_stats;
  connection::HttpConnectionStats* request_stats = &unread_request_stats;
  uint64_t unread_http3_requests = 0;
  uint64_t* http3_requests = &unread_http3_requests;  // the listener's downstream_rq_http3_total
  TimePoint now;                                      // of the read, expiry or answer being handled
  std::optional<TimePoint> timer;                     // its entry in Impl::timers
  TimePoint write_at;  // the latest time it was serviced: its writes' timestamp

 private:
  // A header block's fields arrive one callback each: the stream found for the last one is kept.
  StreamState& stateOf(int64_t stream) {
    if (cached_state_ == nullptr || cached_stream_ != stream) {
      auto [it, created] = streams.try_emplace(stream);
      if (created) it->second.startTimers(now, *timeouts_);
      cached_state_ = &it->second;
      cached_stream_ = stream;
    }
    return *cached_state_;
  }
  void expire(int64_t stream, StreamState& s, StreamTimer timer);
  void emit(http1::Event event) { server_.events.push_back(StreamEvent{id_, std::move(event)}); }

  Http3Server::Impl& server_;
  uint64_t id_;
  ServerSetupPtr setup_;  // the configuration it was accepted under
  int chain_tag_ = -1;
  const StreamTimeouts* timeouts_ = &kNoChainTimeouts;  // the chosen chain's
  bool no_chain_ = false;
  StreamState* cached_state_ = nullptr;  // streams' node for cached_stream_ (nodes do not move)
  int64_t cached_stream_ = -1;
};

bool ServerConnection::expireStreams(TimePoint at) {
  now = at;
  std::vector<std::pair<int64_t, StreamTimer>> due;
  for (const auto& [id, s] : streams) {
    if (const StreamTimer timer = s.due(at); timer != StreamTimer::kNone)
      due.push_back({id, timer});
  }
  for (const auto& [id, timer] : due) {
    auto it = streams.find(id);
    if (it != streams.end()) expire(id, it->second, timer);
  }
  return !due.empty();
}

void ServerConnection::expire(int64_t stream, StreamState& s, StreamTimer timer) {
  connection::HttpConnectionStats& stats = *request_stats;
  // Envoy's local replies and response code details; a request timer firing after the whole
  // request arrived (the answer is late, not the client) is the gateway's timeout: 504.
  int status = s.ended ? 504 : 408;
  std::string_view body, details;
  switch (timer) {
    case StreamTimer::kNone:
      return;
    case StreamTimer::kHeaders:
      ++stats.downstream_rq_header_timeout;
      body = "request header timeout";
      details = "request_header_timeout";
      break;
    case StreamTimer::kRequest:
      ++stats.downstream_rq_timeout;
      body = "request timeout";
      details = "request_overall_timeout";
      break;
    case StreamTimer::kMaxDuration:
      ++stats.downstream_rq_max_duration_reached;
      body = "downstream duration timeout";
      details = "max_duration_timeout";
      break;
    case StreamTimer::kIdle:
      ++stats.downstream_rq_idle_timeout;
      status = 408;
      body = "stream timeout";
      details = "stream_idle_timeout";
      break;
  }
  s.clearTimers();
  if (s.answered) {
    // The answer is out but stalled (or the client never finished sending): give the stream up.
    quic->resetStream(stream, lib::kH3RequestCancelled);
    return;
  }
  // A stream whose head never completed was not counted by the caller, which never saw it.
  if (!s.head_sent) {
    ++stats.downstream_rq_total;
    ++*http3_requests;
  }
  if (server_.submitAnswer(*this, stream, s, http1::localReplyHead(status, body), body) !=
      http1::EncodeResult::kOk) {
    s.answered = true;
    quic->resetStream(stream, lib::kH3RequestCancelled);
  } else {
    stats.countResponse(status);
    // The reply itself may stall on a client that stops reading: the idle timer guards it.
    if (timeouts_->stream_idle) s.idle_deadline = now + *timeouts_->stream_idle;
  }
  // The rest of the request would only be discarded: the client may stop sending it.
  if (!s.ended) quic->stopReading(stream, lib::kH3NoError);
  if (s.head_sent) emit(http1::ProtocolError{static_cast<uint64_t>(stream), status, details, true});
}

http1::EncodeResult Http3Server::Impl::submitAnswer(ServerConnection& c, int64_t stream,
                                                    StreamState& s, const http1::ResponseHead& head,
                                                    std::string_view body) {
  const http2::ResponseBody kind = http2::responseBodyKind(head.status, s.head_request);
  // Interim answers are not relayed: the data plane only produces final ones.
  if (kind == http2::ResponseBody::kInformational) return http1::EncodeResult::kInvalidHeader;
  const http1::EncodeResult built =
      http2::buildResponseFields(head, kind, body.size(), response_fields);
  if (built != http1::EncodeResult::kOk) return built;
  const std::string_view payload =
      kind == http2::ResponseBody::kAllowed ? body : std::string_view();
  if (!c.quic->submitResponse(stream, response_fields.list, payload)) {
    return http1::EncodeResult::kClosed;
  }
  s.answered = true;
  // The response has started: the request timers have no answer left to give.
  s.headers_deadline.reset();
  s.request_deadline.reset();
  return http1::EncodeResult::kOk;
}

void Http3Server::Impl::onDatagram(TimePoint now, const UdpEndpoint& local,
                                   const UdpEndpoint& remote, std::string_view bytes) {
  const lib::PacketHeader header = lib::decodeHeader(bytes);
  switch (header.kind) {
    case lib::HeaderKind::kInvalid:
      ++stats->downstream_rx_datagram_dropped;
      return;
    case lib::HeaderKind::kUnsupportedVersion: {
      if (bytes.size() < kMinInitialSize) {
        ++stats->downstream_rx_datagram_dropped;
        return;
      }
      std::string vn = lib::versionNegotiation(header);
      if (vn.empty()) {
        ++stats->downstream_rx_datagram_dropped;
        return;
      }
      ++stats->version_negotiation_sent;
      out.push_back({local, remote, std::move(vn)});
      return;
    }
    case lib::HeaderKind::kLong:
    case lib::HeaderKind::kShort:
      break;
  }
  auto it = by_cid.find(header.dcid);
  if (it == by_cid.end()) {
    if (header.kind == lib::HeaderKind::kLong) {
      accept(now, local, remote, bytes, header);
      return;
    }
    // A short header for a connection we do not know (forgotten, or another server's): tell the
    // client to stop, in fewer bytes than it sent.
    std::string reset = lib::statelessReset(secret, header.dcid, bytes.size());
    if (reset.empty()) {
      ++stats->downstream_rx_datagram_dropped;
      return;
    }
    ++stats->stateless_reset_sent;
    out.push_back({local, remote, std::move(reset)});
    return;
  }
  const std::shared_ptr<ServerConnection> c = it->second;
  switch (c->state) {
    case ServerConnection::State::kClosing:
      if (!c->close_packet.empty()) out.push_back({local, remote, c->close_packet});
      return;
    case ServerConnection::State::kDraining:
      return;
    case ServerConnection::State::kHandshaking:
    case ServerConnection::State::kOpen:
      break;
  }
  c->now = now;
  service(*c, now, c->quic->read(now, local, remote, bytes));
}

void Http3Server::Impl::accept(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                               std::string_view bytes, const lib::PacketHeader& header) {
  const ServerConfig& config = setup->config();
  if (draining || by_id.size() >= config.max_connections || !lib::isAcceptableInitial(bytes)) {
    ++stats->downstream_rx_datagram_dropped;
    return;
  }
  const uint64_t id = next_id++;
  auto c = std::make_shared<ServerConnection>(*this, id, setup);
  c->self = c;
  const lib::Cid scid = lib::newServerCid(cid_tag);
  c->quic = lib::Connection::accept(now, local, remote, bytes, scid, cid_tag, secret,
                                    limitsOf(config), &setup->resumption(), *c);
  if (!c->quic) {
    ++stats->downstream_rx_datagram_dropped;
    return;
  }
  by_id[id] = c;
  // The client's first DCID routes its retransmitted Initials until it learns ours.
  c->cids = {scid, header.dcid};
  by_cid[scid] = c;
  by_cid[header.dcid] = c;
  c->now = now;
  service(*c, now, c->quic->read(now, local, remote, bytes));
}

void Http3Server::Impl::service(ServerConnection& c, TimePoint now, lib::IoResult result) {
  const std::shared_ptr<ServerConnection> keep = c.self.lock();
  switch (result) {
    case lib::IoResult::kOk:
      break;
    case lib::IoResult::kDraining:
      c.state = ServerConnection::State::kDraining;
      c.gone_at = now + c.quic->closingPeriod();
      markTimer(c);
      reportClosed(c, CloseCause::kPeer);
      return;
    case lib::IoResult::kClose:
      if (!c.opened) {
        ++stats->handshake_failed;
        if (c.noChain()) ++stats->no_filter_chain_match;
      }
      startClosing(c, now, CloseCause::kError);
      return;
    case lib::IoResult::kDrop:
      forget(c, CloseCause::kError);
      return;
    case lib::IoResult::kIdleClose:
      ++stats->downstream_cx_idle_timeout;
      forget(c, CloseCause::kIdleTimeout);
      return;
  }
  for (int64_t stream : c.to_reset) c.quic->resetStream(stream, lib::kH3MessageError);
  c.to_reset.clear();
  if (c.goaway && !c.busy()) {
    // The GOAWAY leaves before the close, so the client can tell a graceful end from a refusal.
    c.quic->write(now, out);
    startClosing(c, now, CloseCause::kLocal);
    return;
  }
  markTimer(c);
  c.write_at = now;
  if (!c.write_pending) {
    c.write_pending = true;
    to_write.push_back(c.id());
  }
}

void Http3Server::Impl::writePending() {
  for (const uint64_t id : std::exchange(to_write, {})) {
    ServerConnection* c = find(id);
    if (c == nullptr || !c->write_pending) continue;
    c->write_pending = false;
    if (c->state != ServerConnection::State::kHandshaking &&
        c->state != ServerConnection::State::kOpen) {
      continue;
    }
    const std::shared_ptr<ServerConnection> keep = c->self.lock();
    markTimer(*c);
    if (c->quic->write(c->write_at, out) == lib::IoResult::kClose) {
      startClosing(*c, c->write_at, CloseCause::kError);
    }
  }
}

void Http3Server::Impl::startClosing(ServerConnection& c, TimePoint now, CloseCause cause) {
  if (c.state == ServerConnection::State::kClosing ||
      c.state == ServerConnection::State::kDraining) {
    return;
  }
  c.close_packet = c.quic->closePacket(now);
  c.state = ServerConnection::State::kClosing;
  c.gone_at = now + c.quic->closingPeriod();
  markTimer(c);
  if (!c.close_packet.empty()) {
    ++stats->connection_close_sent;
    out.push_back({c.quic->local(), c.quic->remote(), c.close_packet});
  }
  reportClosed(c, cause);
}

void Http3Server::Impl::reportClosed(ServerConnection& c, CloseCause cause) {
  if (!c.opened || c.closed_reported) return;
  c.closed_reported = true;
  events.push_back(ConnectionClosed{c.id(), cause});
}

void Http3Server::Impl::forget(ServerConnection& c, CloseCause cause) {
  const std::shared_ptr<ServerConnection> keep = c.self.lock();
  reportClosed(c, cause);
  for (const lib::Cid& cid : c.cids) {
    auto it = by_cid.find(cid);
    if (it != by_cid.end() && it->second.get() == &c) by_cid.erase(it);
  }
  if (c.timer) timers.erase({*c.timer, c.id()});
  c.timer.reset();
  by_id.erase(c.id());
}

void Http3Server::Impl::markTimer(ServerConnection& c) {
  if (c.timer_moved) return;
  c.timer_moved = true;
  timers_moved.push_back(c.id());
}

void Http3Server::Impl::updateTimers() {
  for (const uint64_t id : std::exchange(timers_moved, {})) {
    ServerConnection* c = find(id);
    if (c == nullptr) continue;
    c->timer_moved = false;
    TimePoint t = c->gone_at ? *c->gone_at : c->quic->expiry();
    if (!c->gone_at) {
      if (const auto streams = c->streamDeadline(); streams && *streams < t) t = *streams;
    }
    if (c->timer == t) continue;
    if (c->timer) timers.erase({*c->timer, id});
    c->timer = t;
    timers.insert({t, id});
  }
}

ServerConnection* Http3Server::Impl::find(uint64_t id) const {
  auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : it->second.get();
}

// ---------------------------------------------------------------------------------------------

void markEarlyData(http1::HeaderList& headers) {
  std::erase_if(headers, [](const http1::Header& h) {
    return http1::equalsIgnoreCase(h.name, "early-data");
  });
  headers.push_back({"early-data", "1"});
}

std::optional<uint8_t> serverTagOf(std::string_view datagram) {
  if (datagram.empty()) return std::nullopt;
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(datagram[i]); };
  // RFC 9000 17.3: a short header is the form bit clear, then our connection ID.
  if ((byte(0) & 0x80) == 0) {
    if (datagram.size() < 1 + lib::kServerCidLength) return std::nullopt;
    return byte(1);
  }
  // 17.2: form bit, type, version (4 bytes), DCID length, DCID. Only a QUIC v1 Handshake packet
  // is sure to be addressed to a CID of ours: Initial and 0-RTT carry one the client chose.
  constexpr size_t kDcidAt = 6;
  constexpr uint8_t kHandshake = 2;
  if (datagram.size() < kDcidAt + lib::kServerCidLength) return std::nullopt;
  const uint32_t version = (uint32_t{byte(1)} << 24) | (uint32_t{byte(2)} << 16) |
                           (uint32_t{byte(3)} << 8) | uint32_t{byte(4)};
  if (version != 1 || ((byte(0) >> 4) & 0x3) != kHandshake) return std::nullopt;
  if (byte(5) != lib::kServerCidLength) return std::nullopt;
  return byte(kDcidAt);
}

Http3Server::Http3Server(ServerSetupPtr setup, Http3Stats& stats, std::optional<uint8_t> cid_tag)
    : impl_(std::make_unique<Impl>(std::move(setup), stats, cid_tag)) {}

Http3Server::~Http3Server() = default;

void Http3Server::setSetup(ServerSetupPtr setup) { impl_->setup = std::move(setup); }

void Http3Server::setStats(Http3Stats& stats) { impl_->stats = &stats; }

void Http3Server::onDatagram(TimePoint now, const UdpEndpoint& local, const UdpEndpoint& remote,
                             std::string_view bytes) {
  impl_->onDatagram(now, local, remote, bytes);
}

std::optional<TimePoint> Http3Server::nextExpiry() const {
  impl_->updateTimers();
  if (impl_->timers.empty()) return std::nullopt;
  return impl_->timers.begin()->first;
}

void Http3Server::onExpiry(TimePoint now) {
  impl_->updateTimers();
  std::vector<std::shared_ptr<ServerConnection>> due;
  for (const auto& [t, id] : impl_->timers) {
    if (t > now) break;
    if (auto it = impl_->by_id.find(id); it != impl_->by_id.end()) due.push_back(it->second);
  }
  for (const auto& c : due) {
    if (c->gone_at) {
      if (now >= *c->gone_at) impl_->forget(*c, CloseCause::kLocal);
      continue;
    }
    c->now = now;
    const bool expired = c->state == ServerConnection::State::kOpen && c->expireStreams(now);
    if (c->quic->expiry() <= now) {
      impl_->service(*c, now, c->quic->handleExpiry(now));
    } else if (expired) {
      impl_->service(*c, now, lib::IoResult::kOk);
    } else {
      impl_->markTimer(*c);  // its entry was early (a timer cleared since): index it again
    }
  }
}

std::optional<ServerEvent> Http3Server::nextEvent() {
  if (impl_->events_head == impl_->events.size()) {
    impl_->events.clear();
    impl_->events_head = 0;
    return std::nullopt;
  }
  return std::move(impl_->events[impl_->events_head++]);
}

http1::EncodeResult Http3Server::respond(TimePoint now, uint64_t connection, uint64_t stream,
                                         const http1::ResponseHead& head, std::string_view body) {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr || c->state != ServerConnection::State::kOpen) {
    return http1::EncodeResult::kNoRequest;
  }
  auto it = c->streams.find(static_cast<int64_t>(stream));
  if (it == c->streams.end() || !it->second.head_sent || it->second.answered) {
    return http1::EncodeResult::kNoRequest;
  }
  c->now = now;
  const http1::EncodeResult result =
      impl_->submitAnswer(*c, static_cast<int64_t>(stream), it->second, head, body);
  if (result == http1::EncodeResult::kOk) impl_->service(*c, now, lib::IoResult::kOk);
  return result;
}

bool Http3Server::isOpen(uint64_t connection, uint64_t stream) const {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr || c->state != ServerConnection::State::kOpen) return false;
  auto it = c->streams.find(static_cast<int64_t>(stream));
  return it != c->streams.end() && it->second.head_sent && !it->second.answered;
}

void Http3Server::setListenerStats(uint64_t connection, Http3CodecStats* codec,
                                   connection::HttpConnectionStats* requests,
                                   uint64_t* http3_requests) {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr) return;
  if (codec != nullptr) {
    codec->dropped_headers_with_underscores +=
        c->early_codec_stats.dropped_headers_with_underscores;
    codec->requests_rejected_with_underscores_in_headers +=
        c->early_codec_stats.requests_rejected_with_underscores_in_headers;
    c->early_codec_stats = {};
    c->codec_stats = codec;
  }
  if (requests != nullptr) c->request_stats = requests;
  if (http3_requests != nullptr) c->http3_requests = http3_requests;
}

void Http3Server::resetStream(TimePoint now, uint64_t connection, uint64_t stream) {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr || c->state != ServerConnection::State::kOpen) return;
  auto it = c->streams.find(static_cast<int64_t>(stream));
  if (it == c->streams.end() || it->second.answered) return;
  it->second.answered = true;
  it->second.clearTimers();
  c->quic->resetStream(static_cast<int64_t>(stream), lib::kH3RequestCancelled);
  impl_->service(*c, now, lib::IoResult::kOk);
}

void Http3Server::requestForwarded(TimePoint now, uint64_t connection, uint64_t stream) {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr) return;
  auto it = c->streams.find(static_cast<int64_t>(stream));
  if (it == c->streams.end()) return;
  c->now = now;
  it->second.forwarded = true;
  if (it->second.ended) {
    it->second.request_deadline.reset();
    impl_->markTimer(*c);
  }
}

void Http3Server::drain(TimePoint now) {
  impl_->draining = true;
  std::vector<std::shared_ptr<ServerConnection>> all;
  for (const auto& [id, c] : impl_->by_id) all.push_back(c);
  for (const auto& c : all) {
    if (c->state == ServerConnection::State::kHandshaking) {
      impl_->startClosing(*c, now, CloseCause::kLocal);
    } else {
      goaway(now, c->id());
    }
  }
}

void Http3Server::goaway(TimePoint now, uint64_t connection) {
  ServerConnection* c = impl_->find(connection);
  if (c == nullptr || c->state != ServerConnection::State::kOpen || c->goaway) return;
  c->goaway = true;
  c->quic->submitGoaway();
  impl_->service(*c, now, lib::IoResult::kOk);
}

void Http3Server::closeAll(TimePoint now) {
  std::vector<std::shared_ptr<ServerConnection>> all;
  for (const auto& [id, c] : impl_->by_id) all.push_back(c);
  for (const auto& c : all) impl_->startClosing(*c, now, CloseCause::kLocal);
}

void Http3Server::closeConnection(TimePoint now, uint64_t connection) {
  if (ServerConnection* c = impl_->find(connection)) {
    impl_->startClosing(*c, now, CloseCause::kLocal);
  }
}

std::vector<Datagram> Http3Server::takeOutput() {
  impl_->writePending();
  return std::exchange(impl_->out, {});
}

size_t Http3Server::connectionCount() const { return impl_->by_id.size(); }

std::string UdpEndpoint::toString() const {
  const std::string ip = address.toString();
  return (address.family() == IpAddress::Family::kV6 ? "[" + ip + "]" : ip) + ":" +
         std::to_string(port);
}

}  // namespace ctplab::proxy::http3
