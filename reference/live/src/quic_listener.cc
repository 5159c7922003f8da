#include "quic_listener.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>
#include <variant>

#include "ctplab/live/gso_runs.h"
#include "quic_session.h"
#include "worker.h"

namespace ctplab::live {

namespace {

// Datagrams taken per readiness before the loop serves others; what is left waits for the next.
constexpr int kReceiveBatch = 64;
// Datagrams taken per recvmmsg call (each into a slot of kReceiveSlot bytes).
constexpr size_t kReceiveSlots = 16;
constexpr size_t kReceiveSlot = 65536;

// The peer as the socket API wants it; a dual-stack IPv6 socket reaches IPv4 peers through
// v4-mapped addresses.
// The sender as the data plane names it (a v4-mapped IPv6 sender is its IPv4 address).
proxy::http3::UdpEndpoint fromSockaddr(const sockaddr_storage& from) {
  if (from.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&from);
    std::array<uint8_t, 4> b;
    std::memcpy(b.data(), &in->sin_addr, 4);
    return {IpAddress::v4(b), ntohs(in->sin_port)};
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&from);
  std::array<uint8_t, 16> b;
  std::memcpy(b.data(), &in6->sin6_addr, 16);
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b.data(), kMapped, sizeof kMapped) == 0) {
    return {IpAddress::v4({b[12], b[13], b[14], b[15]}), ntohs(in6->sin6_port)};
  }
  return {IpAddress::v6(b), ntohs(in6->sin6_port)};
}

socklen_t toSockaddr(const proxy::http3::UdpEndpoint& to, bool v6_socket, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof out);
  const auto& b = to.address.bytes();
  if (to.address.family() == IpAddress::Family::kV4 && !v6_socket) {
    auto* in = reinterpret_cast<sockaddr_in*>(&out);
    in->sin_family = AF_INET;
    in->sin_port = htons(to.port);
    std::memcpy(&in->sin_addr, b.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(to.port);
  if (to.address.family() == IpAddress::Family::kV4) {
    in6->sin6_addr.s6_addr[10] = 0xff;
    in6->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&in6->sin6_addr.s6_addr[12], b.data(), 4);
  } else {
    std::memcpy(&in6->sin6_addr, b.data(), 16);
  }
  return sizeof(sockaddr_in6);
}

}  // namespace

QuicListener::QuicListener(Worker& worker, udp::socket socket, proxy::http3::UdpEndpoint local,
                           uint8_t tag, std::shared_ptr<const QuicPortGroup> group)
    : worker_(worker),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      local_(local),
      tag_(tag),
      group_(std::move(group)) {
  error_code ec;
  v6_socket_ = socket_.local_endpoint(ec).address().is_v6();
}

QuicListener::~QuicListener() {
  sessions_.clear();  // before the server their exchanges answer through
}

void QuicListener::start(QuicPortConfig config) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), config = std::move(config)] {
    self->applyConfig(config);
    error_code ignored;
    self->socket_.non_blocking(true, ignored);
    self->receive();
  });
}

void QuicListener::reconfigure(QuicPortConfig config) {
  asio::post(socket_.get_executor(), [self = shared_from_this(), config = std::move(config)] {
    if (self->closed_) return;
    self->applyConfig(config);
    // Connections of listeners the new configuration no longer has are closed; the others keep
    // the configuration they were accepted under.
    const TimePoint now = self->worker_.shared().clock->now();
    std::vector<uint64_t> gone;
    for (const auto& [id, s] : self->sessions_) {
      if (!s->listenerSurvives(*config.generation)) gone.push_back(id);
    }
    for (uint64_t id : gone) self->server_->closeConnection(now, id);
    self->afterActivity(now);
  });
}

void QuicListener::applyConfig(QuicPortConfig config) {
  config_ = std::move(config);
  proxy::http3::Http3Stats& stats =
      worker_.stats(config_.generation).ports[config_.port_index].http3;
  stats_ = &stats;
  if (!server_) {
    server_ = std::make_unique<proxy::http3::Http3Server>(config_.setup, stats, tag_);
  } else {
    server_->setSetup(config_.setup);
    server_->setStats(stats);
  }
}

void QuicListener::drain() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->closed_ || !self->server_) return;
    const TimePoint now = self->worker_.shared().clock->now();
    self->server_->drain(now);
    self->afterActivity(now);
  });
}

void QuicListener::close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->closeNow(); });
}

void QuicListener::closeNow() {
  if (closed_) return;
  if (server_) {
    const TimePoint now = worker_.shared().clock->now();
    server_->closeAll(now);
    pumpEvents(now);
    flush();
  }
  closed_ = true;
  sessions_.clear();
  timer_.cancel();
  error_code ignored;
  socket_.close(ignored);
  worker_.quicSessionsChanged();
}

void QuicListener::receive() {
  if (closed_) return;
  socket_.async_wait(udp::socket::wait_read, [self = shared_from_this()](const error_code& ec) {
    self->onReceived(ec, 0);
  });
}

void QuicListener::onReceived(const error_code& ec, size_t) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  const TimePoint now = worker_.shared().clock->now();
  // Several datagrams per system call; a recvfrom per datagram cost as much as the reading.
  std::array<mmsghdr, kReceiveSlots> messages;
  std::array<iovec, kReceiveSlots> parts;
  std::array<sockaddr_storage, kReceiveSlots> senders;
  for (size_t taken = 0; taken < static_cast<size_t>(kReceiveBatch);) {
    for (size_t k = 0; k < kReceiveSlots; ++k) {
      messages[k] = {};
      parts[k] = {buffer_.data() + k * kReceiveSlot, kReceiveSlot};
      messages[k].msg_hdr.msg_name = &senders[k];
      messages[k].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      messages[k].msg_hdr.msg_iov = &parts[k];
      messages[k].msg_hdr.msg_iovlen = 1;
    }
    const int n =
        ::recvmmsg(socket_.native_handle(), messages.data(), kReceiveSlots, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // An ICMP error reported on the socket (a peer's port unreachable) is no reason to stop.
      ++taken;
      continue;
    }
    for (int k = 0; k < n && server_; ++k) {
      const size_t size = messages[k].msg_len;
      // No QUIC packet is larger than a slot; a truncated one would only be dropped later.
      if ((messages[k].msg_hdr.msg_flags & MSG_TRUNC) != 0) continue;
      const std::string_view bytes(buffer_.data() + k * kReceiveSlot, size);
      const proxy::http3::UdpEndpoint from = fromSockaddr(senders[k]);
      if (handOver(bytes, from)) continue;
      server_->onDatagram(now, local_, from, bytes);
    }
    taken += static_cast<size_t>(n);
    if (static_cast<size_t>(n) < kReceiveSlots) break;
  }
  afterActivity(now);
  receive();
}

bool QuicListener::handOver(std::string_view datagram, const proxy::http3::UdpEndpoint& from) {
  // One worker on the port: nothing to pass on, nothing to parse.
  if (!group_ || group_->by_tag.size() < 2) return false;
  const std::optional<uint8_t> tag = proxy::http3::serverTagOf(datagram);
  // A tag no listener of the port has is answered here, like any unknown connection ID.
  if (!tag || *tag == tag_ || *tag >= group_->by_tag.size()) return false;
  const std::shared_ptr<QuicListener> owner = group_->by_tag[*tag].lock();
  if (!owner) return false;
  ++stats_->downstream_rx_datagram_forwarded;
  asio::post(owner->executor(), [owner, from, bytes = std::string(datagram)]() mutable {
    owner->takeHandedOver(from, std::move(bytes));
  });
  return true;
}

void QuicListener::takeHandedOver(const proxy::http3::UdpEndpoint& from, std::string datagram) {
  if (closed_ || !server_) return;
  const TimePoint now = worker_.shared().clock->now();
  server_->onDatagram(now, local_, from, datagram);
  afterActivity(now);
}

void QuicListener::afterActivity(TimePoint now) {
  if (closed_ || !server_) return;
  pumpEvents(now);
  flush();
  armTimer();
}

void QuicListener::pumpEvents(TimePoint now) {
  // An exchange answering at once re-enters through respond(); events it causes wait in the
  // server's queue for this loop.
  if (pumping_) return;
  pumping_ = true;
  bool changed = false;
  for (int guard = 0; guard < 65536; ++guard) {
    auto event = server_->nextEvent();
    if (!event) break;
    if (auto* opened = std::get_if<proxy::http3::ConnectionOpened>(&*event)) {
      auto generation = std::static_pointer_cast<const Generation>(opened->context);
      if (!generation || opened->chain_tag < 0) {
        server_->closeConnection(now, opened->connection);
        continue;
      }
      auto session =
          std::make_shared<QuicSession>(now, *this, *opened, generation, config_.port_index);
      sessions_[opened->connection] = session;
      session->start();
      if (session->refused()) server_->closeConnection(now, opened->connection);
      changed = true;
    } else if (auto* closed = std::get_if<proxy::http3::ConnectionClosed>(&*event)) {
      auto it = sessions_.find(closed->connection);
      if (it == sessions_.end()) continue;
      const std::shared_ptr<QuicSession> session = it->second;
      sessions_.erase(it);
      session->onClosed(closed->cause);
      changed = true;
    } else if (auto* stream = std::get_if<proxy::http3::StreamEvent>(&*event)) {
      auto it = sessions_.find(stream->connection);
      if (it == sessions_.end()) continue;
      const std::shared_ptr<QuicSession> session = it->second;
      session->onEvent(now, stream->event);
    }
  }
  pumping_ = false;
  if (changed) worker_.quicSessionsChanged();
}

void QuicListener::flush() {
  const std::vector<proxy::http3::Datagram> out = server_->takeOutput();
  if (out.empty()) return;
  // One system call per batch, and datagrams to one peer as one GSO send where they can: a
  // sendto per datagram was a quarter of the CPU under load, and the kernel's per-datagram path
  // most of what was left of sending.
  parts_.resize(out.size());
  for (size_t k = 0; k < out.size(); ++k) {
    parts_[k] = {const_cast<char*>(out[k].bytes.data()), out[k].bytes.size()};
  }
  std::array<mmsghdr, kSendBatch> messages;
  std::array<sockaddr_storage, kSendBatch> peers;
  std::array<size_t, kSendBatch> first;  // each message's first datagram
  struct alignas(cmsghdr) Control {
    char bytes[CMSG_SPACE(sizeof(uint16_t))];
  };
  std::array<Control, kSendBatch> controls;
  size_t next = 0;
  while (next < out.size()) {
    size_t count = 0;
    size_t d = next;
    for (; count < kSendBatch && d < out.size(); ++count) {
      const size_t run = gso_ ? gsoRunLength(out, d, kMaxSegments, kMaxGsoBytes) : 1;
      mmsghdr& m = messages[count];
      m = {};
      m.msg_hdr.msg_name = &peers[count];
      m.msg_hdr.msg_namelen = toSockaddr(out[d].remote, v6_socket_, peers[count]);
      m.msg_hdr.msg_iov = &parts_[d];
      m.msg_hdr.msg_iovlen = run;
      if (run > 1) {
        m.msg_hdr.msg_control = controls[count].bytes;
        m.msg_hdr.msg_controllen = sizeof controls[count].bytes;
        cmsghdr* c = CMSG_FIRSTHDR(&m.msg_hdr);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        const auto segment = static_cast<uint16_t>(out[d].bytes.size());
        std::memcpy(CMSG_DATA(c), &segment, sizeof segment);
      }
      first[count] = d;
      d += run;
    }
    const int sent = ::sendmmsg(socket_.native_handle(), messages.data(),
                                static_cast<unsigned>(count), MSG_DONTWAIT);
    if (sent > 0) {
      next = static_cast<size_t>(sent) == count ? d : first[static_cast<size_t>(sent)];
      continue;
    }
    // Non-blocking: what a full socket buffer refuses is lost, and QUIC recovers it like any loss.
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    const bool segmented = messages[0].msg_hdr.msg_iovlen > 1;
    if (segmented &&
        (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT || errno == EOPNOTSUPP)) {
      // A kernel or device without UDP GSO: the same datagrams go one by one from now on.
      gso_ = false;
      continue;
    }
    // A message the kernel rejects is skipped.
    next = count > 1 ? first[1] : d;
  }
}

void QuicListener::armTimer() {
  const std::optional<TimePoint> next = server_->nextExpiry();
  if (next == timer_at_) return;
  // ngtcp2's expiry moves with nearly every packet; a timer already due no later is kept (at
  // worst it fires early, finds nothing due and re-arms), which spares a timerfd update each.
  if (next && timer_at_ && *timer_at_ <= *next) return;
  timer_at_ = next;
  const uint64_t generation = ++timer_generation_;
  if (!next) {
    timer_.cancel();
    return;
  }
  timer_.expires_at(worker_.shared().clock->toSteady(*next));
  timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
    if (ec || generation != self->timer_generation_ || self->closed_) return;
    self->timer_at_.reset();
    const TimePoint now = self->worker_.shared().clock->now();
    self->server_->onExpiry(now);
    self->afterActivity(now);
  });
}

}  // namespace ctplab::live
