#include "downstream_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <variant>

#include "ctplab/proxy/http2/preface.h"
#include "worker.h"

namespace ctplab::live {

namespace {

constexpr size_t kWriteChunk = 65536;
// How often one event may write at once and go on (each write takes at most kWriteChunk).
constexpr int kWritePasses = 64;
// What one read takes at most. Each connection has a buffer of this size once it reads: small,
// so that many idle connections stay cheap; a bigger burst takes a few reads.
constexpr size_t kReadChunk = 4096;
// Envoy's delayed_close_timeout default: how long a closing connection waits for the peer to read
// what is left, and then for the peer's FIN after ours.
constexpr Duration kDelayedClose = Duration::seconds(1);

using TcpKeepIdle = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPIDLE>;
using TcpKeepInterval = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPINTVL>;
using TcpKeepCount = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPCNT>;

// SO_KEEPALIVE and the fields the policy sets (spec 4.4); unset fields keep the kernel's
// defaults. Zero values are refused by Linux; the option is then left as it was.
void applyKeepalive(tcp::socket& socket, const std::optional<policy::ir::TCPKeepalive>& ka) {
  if (!ka) return;
  error_code ignored;
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
  if (ka->idle_time_s) socket.set_option(TcpKeepIdle(static_cast<int>(*ka->idle_time_s)), ignored);
  if (ka->interval_s) {
    socket.set_option(TcpKeepInterval(static_cast<int>(*ka->interval_s)), ignored);
  }
  if (ka->probes) socket.set_option(TcpKeepCount(static_cast<int>(*ka->probes)), ignored);
}

// The peer as the data plane sees addresses: an IPv4-mapped IPv6 peer (a dual-stack socket) is
// the IPv4 client it stands for.
IpAddress peerAddress(const tcp::endpoint& endpoint) {
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return IpAddress::parse(address.to_string()).value_or(IpAddress());
}

}  // namespace

DownstreamConnection::DownstreamConnection(Worker& worker, uint64_t id, tcp::socket socket,
                                           size_t port_index,
                                           std::shared_ptr<const Generation> generation)
    : worker_(worker),
      id_(id),
      generation_(std::move(generation)),
      stats_(worker.stats(generation_)),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      port_index_(port_index) {}

DownstreamConnection::~DownstreamConnection() { cancelExchanges(); }

const PlannedPort& DownstreamConnection::shared_port() const {
  return generation_->plan.ports()[port_index_];
}

bool DownstreamConnection::listenerSurvives(const Generation& current) const {
  // Still in its listener filters: it goes on under the configuration it was accepted with.
  if (!chain_chosen_) return true;
  const std::string& name = generation_->plan.listeners()[static_cast<size_t>(listener_)].ir->name;
  for (const auto& l : current.plan.listeners()) {
    if (l.ir->name == name) return true;
  }
  return false;
}

void DownstreamConnection::start(const tcp::endpoint& remote) {
  const GatewayShared& shared = worker_.shared();
  const PlannedPort& port = generation_->plan.ports()[port_index_];
  PortStats& port_stats = stats_.ports[port_index_];
  ++port_stats.downstream_cx_total;
  ++port_stats.downstream_cx_active;
  const TimePoint now = shared.clock->now();
  peer_ = peerAddress(remote);
  // Costs nothing extra (Asio would make it non-blocking for its first operation anyway) and
  // keeps the synchronous close_notify write from ever blocking the worker.
  error_code ec;
  socket_.non_blocking(true, ec);
  applyKeepalive(socket_, port.keepalive);
  if (!port.proxy_protocol.enabled) {
    if (port.tls) {
      startTlsInspection(now);
    } else {
      chooseFilterChain(now);
    }
    return;
  }
  // Listener filters run before any filter chain: before the connection limit and HTTP.
  phase_ = Phase::kInspecting;
  proxy_protocol_ = std::make_unique<proxy::proxy_protocol::ProxyProtocolFilter>(
      port.proxy_protocol, proxy::proxy_protocol::Endpoint{peer_, remote.port()},
      stats_.proxy_protocol);
  if (port.inspection_timeout) inspect_deadline_ = now + *port.inspection_timeout;
  armTimer();
  maybeRead();
}

void DownstreamConnection::inspect(TimePoint now, std::string_view bytes) {
  auto& filter = *proxy_protocol_;
  const size_t taken = filter.feed(bytes);
  switch (filter.state()) {
    case proxy::proxy_protocol::FilterState::kPending:
      maybeRead();
      return;
    case proxy::proxy_protocol::FilterState::kClose:
      // Envoy's listener filters peek, so the refused bytes are still unread when it closes:
      // the client sees a reset (spec 4.5), not an orderly end.
      close(false, true);
      return;
    case proxy::proxy_protocol::FilterState::kContinue:
      break;
  }
  peer_ = filter.peer().address;
  // What the filter did not take is the connection's payload, after any bytes it held back.
  held_ = std::string(filter.passthrough()) + std::string(bytes.substr(taken));
  inspect_deadline_.reset();
  proxy_protocol_.reset();
  if (shared_port().tls) {
    startTlsInspection(now);
    return;
  }
  chooseFilterChain(now);
}

void DownstreamConnection::startTlsInspection(TimePoint now) {
  const PlannedPort& port = shared_port();
  phase_ = Phase::kInspecting;
  tls_inspector_ = std::make_unique<proxy::tls::ClientHelloInspector>();
  if (port.inspection_timeout) inspect_deadline_ = now + *port.inspection_timeout;
  // Bytes that came with the PROXY header are the ClientHello's beginning.
  const std::string already = std::move(held_);
  held_.clear();
  if (!already.empty()) {
    inspectClientHello(now, already);
    return;
  }
  armTimer();
  maybeRead();
}

void DownstreamConnection::inspectClientHello(TimePoint now, std::string_view bytes) {
  // The inspector peeks: every byte stays for the TLS session of the chosen chain.
  held_.append(bytes);
  const auto& info = tls_inspector_->feed(bytes);
  switch (info.kind) {
    case proxy::tls::ClientHelloInfo::Kind::kNeedMore:
      armTimer();
      maybeRead();
      return;
    case proxy::tls::ClientHelloInfo::Kind::kNotTls:
      // No filter chain of an HTTPS port takes plain text.
      ++stats_.ports[port_index_].no_filter_chain_match;
      close(false, true);
      return;
    case proxy::tls::ClientHelloInfo::Kind::kTls:
      break;
  }
  sni_ = info.sni;
  tls_inspector_.reset();
  inspect_deadline_.reset();
  chooseFilterChain(now);
}

void DownstreamConnection::chooseFilterChain(TimePoint now) {
  const PlannedPort& port = generation_->plan.ports()[port_index_];
  const int listener = generation_->plan.chainListener(port, sni_);
  if (listener < 0) {
    ++stats_.ports[port_index_].no_filter_chain_match;
    close(false, false);
    return;
  }
  listener_ = listener;
  chain_chosen_ = true;
  const PlannedListener& pl = generation_->plan.listeners()[static_cast<size_t>(listener)];
  auto& hcm = stats_.prefixes[pl.prefix_index].hcm;
  ++hcm.downstream_cx_total;
  ++hcm.downstream_cx_active;
  if (pl.tls) ++hcm.downstream_cx_ssl_total;
  const auto decision = generation_->counters.onOpened(static_cast<size_t>(listener), now);
  if (!decision.admitted) {
    // Spec 4.1: nothing it sends is processed; it is closed at closeDelay (or now).
    phase_ = Phase::kRejected;
    client_sent_data_ = !held_.empty();
    held_.clear();
    reject_close_at_ = decision.close_at.value_or(now);
    if (*reject_close_at_ <= now) {
      close(false, client_sent_data_);
      return;
    }
    armTimer();
    maybeRead();  // only to notice a remote close, which frees the slot at once
    return;
  }
  phase_ = Phase::kHttp;
  context_ = std::make_shared<ConnectionContext>();
  context_->worker = &worker_;
  context_->generation = generation_;
  context_->stats = &stats_;
  context_->port_index = port_index_;
  context_->chain_listener = listener_;
  context_->peer = peer_;
  context_->sni = sni_;
  // The codec is chosen by the first bytes (h2c preface) or by ALPN once TLS is up; until then
  // the idle timeout bounds the wait.
  admission_ = decision;
  admitted_at_ = now;
  if (pl.settings.idle_timeout) undecided_deadline_ = now + *pl.settings.idle_timeout;
  if (pl.tls_context) {
    tls_ = std::make_unique<proxy::tls::ServerSession>(pl.tls_context, now);
    // tcp.tlsHandshakeTimeout runs from here, as the simulator starts it at the chain's match.
    if (pl.settings.tls_handshake_timeout) {
      tls_handshake_deadline_ = now + *pl.settings.tls_handshake_timeout;
    }
    const std::string hello = std::move(held_);
    held_.clear();
    onTlsBytes(now, hello);
    return;
  }
  afterActivity(now);
}

void DownstreamConnection::onTlsBytes(TimePoint now, std::string_view bytes) {
  tls_->receive(bytes);
  if (!tls_counted_ && !tls_->stats().empty()) {
    tls_counted_ = true;
    auto& ssl = stats_.ports[port_index_].ssl;
    for (const auto& name : tls_->stats()) ++ssl[name];
    if (tls_->state() == proxy::tls::ServerSession::State::kEstablished) {
      // What XFCC reports about this connection, parsed once for all its requests.
      const PlannedListener& pl = generation_->plan.listeners()[static_cast<size_t>(listener_)];
      auto& tls_peer = context_->tls_peer.emplace();
      tls_peer.local_uri_sans = pl.tls_context->localUriSans();
      for (const auto& der : tls_->outcome().peer_chain_der) {
        auto cert = proxy::tls::PeerCertificate::fromDer(der);
        if (cert) tls_peer.client_chain.push_back(std::move(cert).value());
      }
    }
  }
  held_ += tls_->takePlaintext();
  if (tls_->state() != proxy::tls::ServerSession::State::kHandshaking) {
    tls_handshake_deadline_.reset();
  }
  if (tls_->state() == proxy::tls::ServerSession::State::kFailed) {
    // The alert (if any) goes out, then the connection closes: no HTTP on it.
    close_after_write_ = true;
    flush();
    if (!writing_) close(false, false);
    return;
  }
  if (tls_->peerClosed() && !peer_closed_) {
    afterActivity(now);
    onPeerEof(now);
    return;
  }
  afterActivity(now);
}

bool DownstreamConnection::decideCodec() {
  if (codec_) return true;
  bool http2 = false;
  if (tls_) {
    if (tls_->state() != proxy::tls::ServerSession::State::kEstablished) return false;
    http2 = tls_->outcome().alpn == "h2";
  } else {
    switch (proxy::http2::matchClientPreface(held_)) {
      case proxy::http2::PrefaceMatch::kNeedMore:
        return false;
      case proxy::http2::PrefaceMatch::kYes:
        http2 = true;
        break;
      case proxy::http2::PrefaceMatch::kNo:
        break;
    }
  }
  const PlannedListener& pl = generation_->plan.listeners()[static_cast<size_t>(listener_)];
  auto& prefix = stats_.prefixes[pl.prefix_index];
  // Timers run from admission, as they would had the codec existed from the start.
  if (http2) {
    codec_ = std::make_unique<ServingCodec>(std::make_unique<proxy::http2::ServerConnection>(
        admitted_at_, pl.http2, prefix.http2, prefix.connection, pl.settings));
  } else {
    codec_ = std::make_unique<ServingCodec>(std::make_unique<proxy::connection::HttpConnection>(
        admitted_at_, admission_, pl.codec, prefix.codec, prefix.connection, pl.settings,
        &stats_.ports[port_index_].phases));
  }
  undecided_deadline_.reset();
  return true;
}

void DownstreamConnection::afterActivity(TimePoint now) {
  // Each pass ends by writing what the socket takes at once; that may let the codec go on
  // (output it held back for drained), so a pass that wrote is followed by another.
  for (int pass = 0; pass < kWritePasses; ++pass) {
    // Bounded: each round hands the connection at least one byte or stops.
    for (int round = 0; round < 1024; ++round) {
      if (phase_ != Phase::kHttp || !decideCodec()) break;
      if (!held_.empty()) {
        const size_t n = std::min(held_.size(), codec_->readAllowance());
        if (n > 0) {
          codec_->onBytes(now, std::string_view(held_).substr(0, n));
          held_.erase(0, n);
        }
      }
      pump(now);
      if (phase_ != Phase::kHttp) return;
      if (held_.empty() || codec_->readAllowance() == 0) break;
    }
    if (phase_ != Phase::kHttp) return;
    if (!writeNow(now)) break;
    if (phase_ != Phase::kHttp) return;
  }
  if (phase_ != Phase::kHttp) return;
  flush();
  const bool codec_done = codec_ && codec_->shouldClose();
  if (codec_done || peer_closed_) {
    if (!writing_ && (!codec_ || codec_->pendingOutput().empty()) && tls_out_.empty()) {
      const bool remote = peer_closed_ || (codec_ && codec_->closeReason() ==
                                                         proxy::connection::CloseReason::kPeer);
      close(remote, false);
      return;
    }
    if (!flush_deadline_) flush_deadline_ = now + kDelayedClose;
  } else if (draining_ && idle()) {
    close(false, false);
    return;
  }
  armTimer();
  maybeRead();
}

void DownstreamConnection::pump(TimePoint now) {
  for (int guard = 0; guard < 4096; ++guard) {
    if (phase_ != Phase::kHttp) return;
    auto event = codec_->nextEvent();
    if (!event) break;
    const uint64_t id = proxy::http1::requestIdOf(*event);
    if (auto* head = std::get_if<proxy::http1::RequestHead>(&*event)) {
      // HTTP/1 serves one request at a time: a new head means the previous one is over.
      if (!codec_->isHttp2()) cancelExchanges();
      ExchangeHost& host = *this;
      auto exchange = std::make_shared<Exchange>(context_, host, id);
      if (auto it = findExchange(id); it != exchanges_.end()) {
        it->second = exchange;
      } else {
        exchanges_.emplace_back(id, exchange);
      }
      exchange->onHead(now, *head);
      continue;
    }
    auto it = findExchange(id);
    if (it == exchanges_.end()) continue;  // answered already (early reply, timeout)
    const std::shared_ptr<Exchange> exchange = it->second;
    if (auto* body = std::get_if<proxy::http1::BodyData>(&*event)) {
      exchange->onBody(body->data);
    } else if (std::holds_alternative<proxy::http1::RequestComplete>(*event)) {
      exchange->onComplete(now);
    } else {
      // ProtocolError and PeerReset: the codec answered or reset it; the backend's answer, if
      // one is on its way, has nowhere to go.
      exchange->cancel();
      if (auto gone = findExchange(id); gone != exchanges_.end()) exchanges_.erase(gone);
    }
  }
  forgetAnswered();
}

std::vector<std::pair<uint64_t, std::shared_ptr<Exchange>>>::iterator
DownstreamConnection::findExchange(uint64_t id) {
  return std::find_if(exchanges_.begin(), exchanges_.end(),
                      [id](const auto& entry) { return entry.first == id; });
}

void DownstreamConnection::forgetAnswered() {
  for (auto it = exchanges_.begin(); it != exchanges_.end();) {
    if (phase_ == Phase::kHttp && codec_ && codec_->isOpen(it->first)) {
      ++it;
      continue;
    }
    it->second->cancel();
    it = exchanges_.erase(it);
  }
}

void DownstreamConnection::cancelExchanges() {
  for (auto& [id, exchange] : exchanges_) exchange->cancel();
  exchanges_.clear();
}

proxy::http1::EncodeResult DownstreamConnection::respond(TimePoint now, uint64_t id,
                                                         const proxy::http1::ResponseHead& head,
                                                         std::string_view body, bool count_status) {
  if (!isOpen(id)) return proxy::http1::EncodeResult::kNoRequest;
  return codec_->respond(now, id, head, body, count_status);
}

bool DownstreamConnection::isOpen(uint64_t id) const {
  return phase_ == Phase::kHttp && codec_ && codec_->isOpen(id);
}

void DownstreamConnection::requestForwarded(TimePoint now, uint64_t id) {
  if (isOpen(id)) codec_->requestForwarded(now, id);
}

void DownstreamConnection::afterAsyncAnswer(TimePoint now) {
  if (phase_ == Phase::kHttp) afterActivity(now);
}

bool DownstreamConnection::idle() const {
  // No open request also means no backend work that matters: a late answer is dropped.
  return phase_ == Phase::kHttp && (!codec_ || codec_->idle()) && !writing_ && held_.empty() &&
         tls_out_.empty();
}

void DownstreamConnection::drain() {
  draining_ = true;
  switch (phase_) {
    case Phase::kInspecting:
    case Phase::kRejected:
      close(false, false);
      return;
    case Phase::kHttp:
      if (idle()) {
        close(false, false);
        return;
      }
      if (codec_) {
        // HTTP/2 announces it (GOAWAY); open streams finish, then afterActivity closes.
        const TimePoint now = worker_.shared().clock->now();
        codec_->drain(now);
        afterActivity(now);
      }
      return;
    case Phase::kLingering:
    case Phase::kClosed:
      return;
  }
}

void DownstreamConnection::forceClose() {
  if (phase_ == Phase::kLingering) {
    finalClose();
    return;
  }
  close(false, true);
}

size_t DownstreamConnection::readSize() const {
  size_t size = kReadChunk;
  if (phase_ == Phase::kHttp) {
    if (!held_.empty()) return 0;
    if (codec_) size = std::min(size, codec_->readAllowance());
  }
  return size;
}

void DownstreamConnection::maybeRead() {
  if (reading_ || phase_ == Phase::kClosed || peer_closed_) return;
  const size_t size = readSize();
  if (size == 0) return;
  reading_ = true;
  // A read of its own buffer, not a readiness wait followed by a read: Asio tries it at once
  // and otherwise queues it behind the socket's registration, where a wait would re-arm the
  // descriptor in epoll (one more system call per request).
  if (!read_buffer_) read_buffer_ = std::make_unique_for_overwrite<char[]>(kReadChunk);
  socket_.async_read_some(
      asio::buffer(read_buffer_.get(), size),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->onRead(ec, n); });
}

void DownstreamConnection::onRead(const error_code& ec, size_t n) {
  reading_ = false;
  if (phase_ == Phase::kClosed) return;
  const TimePoint now = worker_.shared().clock->now();
  if (ec == asio::error::eof) {
    onPeerEof(now);
    return;
  }
  if (ec) {
    if (phase_ == Phase::kLingering) {
      finalClose();
    } else {
      close(true, false);
    }
    return;
  }
  const std::string_view bytes(read_buffer_.get(), n);
  switch (phase_) {
    case Phase::kInspecting:
      if (proxy_protocol_) {
        inspect(now, bytes);
      } else {
        inspectClientHello(now, bytes);
      }
      return;
    case Phase::kRejected:
      client_sent_data_ = true;
      maybeRead();
      return;
    case Phase::kLingering:
      maybeRead();  // discarded: the connection is over, only the peer's FIN is awaited
      return;
    case Phase::kHttp:
      if (tls_) {
        onTlsBytes(now, bytes);
        return;
      }
      held_.append(bytes);
      afterActivity(now);
      return;
    case Phase::kClosed:
      return;
  }
}

void DownstreamConnection::onPeerEof(TimePoint now) {
  switch (phase_) {
    case Phase::kInspecting:  // gone before saying who it is: nothing to serve
    case Phase::kRejected:    // spec 4.1 step 5: a remote close frees the slot at once
      close(true, false);
      return;
    case Phase::kLingering:
      finalClose();
      return;
    case Phase::kHttp:
      peer_closed_ = true;
      if (codec_) codec_->onPeerClosed(now);
      afterActivity(now);
      return;
    case Phase::kClosed:
      return;
  }
}

bool DownstreamConnection::writeNow(TimePoint now) {
  if (writing_ || tls_ || !codec_) return false;
  const std::string_view out = codec_->pendingOutput();
  if (out.empty()) return false;
  // The socket is non-blocking: what it does not take now, flush() sends once it can.
  error_code ec;
  const size_t n =
      socket_.write_some(asio::buffer(out.data(), std::min(out.size(), kWriteChunk)), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) return false;
  if (ec) {
    close(true, false);
    return false;
  }
  codec_->consumeOutput(now, n);
  return n > 0;
}

void DownstreamConnection::flush() {
  if (writing_ || phase_ != Phase::kHttp) return;
  if (tls_) {
    // HTTP output becomes TLS records at once (the session buffers them), so flow control sees
    // the encrypted backlog rather than the plaintext one.
    const std::string_view plain = codec_ ? codec_->pendingOutput() : std::string_view();
    if (!plain.empty() && tls_->state() == proxy::tls::ServerSession::State::kEstablished) {
      tls_->send(plain);
      codec_->consumeOutput(worker_.shared().clock->now(), plain.size());
    }
    tls_out_ += tls_->takeCiphertext();
    if (tls_out_.empty()) return;
    const size_t n = std::min(tls_out_.size(), kWriteChunk);
    write_buffer_.assign(tls_out_, 0, n);
    tls_out_.erase(0, n);
    writing_ = true;
    asio::async_write(
        socket_, asio::buffer(write_buffer_),
        [self = shared_from_this()](const error_code& ec, size_t n) { self->onWritten(ec, n); });
    return;
  }
  const std::string_view out = codec_ ? codec_->pendingOutput() : std::string_view();
  if (out.empty()) return;
  // The connection keeps its output until the socket took it, so its flow control sees
  // what the peer has not read yet.
  write_buffer_.assign(out.substr(0, kWriteChunk));
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(write_buffer_),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->onWritten(ec, n); });
}

void DownstreamConnection::onWritten(const error_code& ec, size_t n) {
  writing_ = false;
  if (phase_ != Phase::kHttp) return;
  if (ec) {
    close(true, false);
    return;
  }
  const TimePoint now = worker_.shared().clock->now();
  if (tls_) {
    if (close_after_write_) {
      flush();
      if (!writing_) close(false, false);
      return;
    }
  } else if (codec_) {
    codec_->consumeOutput(now, n);
  }
  afterActivity(now);
}

std::optional<TimePoint> DownstreamConnection::nextDeadline() const {
  std::optional<TimePoint> next;
  auto earliest = [&next](const std::optional<TimePoint>& t) {
    if (t && (!next || *t < *next)) next = t;
  };
  switch (phase_) {
    case Phase::kInspecting:
      earliest(inspect_deadline_);
      break;
    case Phase::kRejected:
      earliest(reject_close_at_);
      break;
    case Phase::kHttp:
      earliest(codec_ ? codec_->nextDeadline() : undecided_deadline_);
      earliest(flush_deadline_);
      earliest(tls_handshake_deadline_);
      break;
    case Phase::kLingering:
      earliest(linger_deadline_);
      break;
    case Phase::kClosed:
      break;
  }
  return next;
}

void DownstreamConnection::armTimer() {
  const std::optional<TimePoint> next = nextDeadline();
  if (next == timer_at_) return;
  // Keep-alive moves the deadline with every request (stream idle, then connection idle, each
  // later than the last): a wait already due no later is kept, and when it fires early it only
  // re-arms. That spares a cancel and a new wait per request.
  if (next && timer_at_ && *timer_at_ <= *next) return;
  timer_at_ = next;
  const uint64_t generation = ++timer_generation_;
  if (!next) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(worker_.shared().clock->toSteady(*next));
  timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
    if (ec || generation != self->timer_generation_ || self->phase_ == Phase::kClosed) return;
    self->timer_at_.reset();
    const TimePoint now = self->worker_.shared().clock->now();
    const std::optional<TimePoint> due = self->nextDeadline();
    if (due && now < *due) {
      self->armTimer();
      return;
    }
    self->onTimer(now);
  });
}

void DownstreamConnection::onTimer(TimePoint now) {
  switch (phase_) {
    case Phase::kInspecting:
      if (inspect_deadline_ && now >= *inspect_deadline_) {
        ++stats_.ports[port_index_].phases.downstream_pre_cx_timeout;
        close(false, false);
        return;
      }
      break;
    case Phase::kRejected:
      if (reject_close_at_ && now >= *reject_close_at_) {
        close(false, client_sent_data_);
        return;
      }
      break;
    case Phase::kHttp:
      if (flush_deadline_ && now >= *flush_deadline_) {
        close(false, true);  // the peer does not read: drop what is left, as Envoy does
        return;
      }
      if (tls_handshake_deadline_ && now >= *tls_handshake_deadline_) {
        ++stats_.ports[port_index_].phases.downstream_cx_transport_socket_connect_timeout;
        close(false, false);
        return;
      }
      if (!codec_) {
        if (undecided_deadline_ && now >= *undecided_deadline_) {
          // Nothing to read a protocol from within the idle timeout (Envoy's idle timer).
          const PlannedListener& pl = generation_->plan.listeners()[static_cast<size_t>(listener_)];
          ++stats_.prefixes[pl.prefix_index].connection.downstream_cx_idle_timeout;
          close(false, false);
          return;
        }
        armTimer();
        return;
      }
      codec_->onDeadline(now);
      afterActivity(now);
      return;
    case Phase::kLingering:
      if (linger_deadline_ && now >= *linger_deadline_) {
        finalClose();
        return;
      }
      break;
    case Phase::kClosed:
      return;
  }
  armTimer();
}

void DownstreamConnection::close(bool remote, bool reset) {
  if (phase_ == Phase::kClosed || phase_ == Phase::kLingering) return;
  const GatewayShared& shared = worker_.shared();
  PortStats& port_stats = stats_.ports[port_index_];
  --port_stats.downstream_cx_active;
  ++port_stats.downstream_cx_destroy;
  if (chain_chosen_) {
    generation_->counters.onClosed(static_cast<size_t>(listener_));
    const PlannedListener& pl = generation_->plan.listeners()[static_cast<size_t>(listener_)];
    auto& hcm = stats_.prefixes[pl.prefix_index].hcm;
    if (hcm.downstream_cx_active > 0) --hcm.downstream_cx_active;
    ++hcm.downstream_cx_destroy;
    ++(remote ? hcm.downstream_cx_destroy_remote : hcm.downstream_cx_destroy_local);
  }
  cancelExchanges();
  error_code ignored;
  if (reset || remote) {
    // Abortive close (RST) where the peer's bytes are left unread (a refused PROXY header, a
    // rejected connection that sent data, a peer not reading our output); a peer that already
    // closed needs no FIN exchange either.
    if (reset) socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    finalClose();
    return;
  }
  // A TLS connection ends with close_notify before the FIN, as Envoy's TLS socket does; what is
  // left is a few dozen bytes, written at once.
  if (tls_ && tls_->state() == proxy::tls::ServerSession::State::kEstablished) {
    tls_->shutdown();
    const std::string notify = tls_out_ + tls_->takeCiphertext();
    tls_out_.clear();
    if (!notify.empty()) asio::write(socket_, asio::buffer(notify), ignored);
  }
  // Delayed close: send our FIN, then discard input until the peer's FIN (or a second), so the
  // kernel does not answer late client bytes with a reset that could destroy our last response.
  phase_ = Phase::kLingering;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  linger_deadline_ = shared.clock->now() + kDelayedClose;
  armTimer();
  maybeRead();
  worker_.remove(id_);  // the connection is over for every count; the socket goes on alone
}

void DownstreamConnection::finalClose() {
  if (phase_ == Phase::kClosed) return;
  const bool was_registered = phase_ != Phase::kLingering;
  phase_ = Phase::kClosed;
  error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
  if (was_registered) worker_.remove(id_);
}

}  // namespace ctplab::live
