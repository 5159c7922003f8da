// ServerConnection forwards to its Impl, which lives on the heap so that the pointer nghttp2
// holds as callback user data stays valid when the connection object moves.
#include "ctplab/proxy/http2/server_connection.h"

#include <utility>

#include "http2/connection_impl.h"

namespace ctplab::proxy::http2 {

ServerConnection::ServerConnection(TimePoint opened, const Http2Options& options,
                                   Http2Stats& h2_stats, connection::HttpConnectionStats& hcm_stats,
                                   connection::HttpConnectionSettings settings)
    : impl_(std::make_unique<Impl>(opened, options, h2_stats, hcm_stats, std::move(settings))) {}

ServerConnection::~ServerConnection() = default;
ServerConnection::ServerConnection(ServerConnection&&) noexcept = default;
ServerConnection& ServerConnection::operator=(ServerConnection&&) noexcept = default;

void ServerConnection::onBytes(TimePoint now, std::string_view bytes) {
  impl_->onBytes(now, bytes);
}
void ServerConnection::onPeerClosed(TimePoint now) { impl_->onPeerClosed(now); }
std::optional<TimePoint> ServerConnection::nextDeadline() const { return impl_->nextDeadline(); }
void ServerConnection::onDeadline(TimePoint now) { impl_->onDeadline(now); }
std::optional<http1::Event> ServerConnection::nextEvent() { return impl_->nextEvent(); }

http1::EncodeResult ServerConnection::respond(TimePoint now, uint64_t stream_id,
                                              const http1::ResponseHead& head,
                                              std::string_view body, bool count_status) {
  return impl_->respond(now, stream_id, head, body, count_status);
}

void ServerConnection::resetStream(TimePoint now, uint64_t stream_id) {
  impl_->resetStream(now, stream_id);
}
void ServerConnection::requestForwarded(TimePoint now, uint64_t stream_id) {
  impl_->requestForwarded(now, stream_id);
}
void ServerConnection::drain(TimePoint now) { impl_->drain(now); }
std::string_view ServerConnection::pendingOutput() const { return impl_->pendingOutput(); }
void ServerConnection::consumeOutput(size_t n) { impl_->consumeOutput(n); }
bool ServerConnection::shouldClose() const { return impl_->shouldClose(); }
connection::CloseReason ServerConnection::closeReason() const { return impl_->closeReason(); }
size_t ServerConnection::openStreams() const { return impl_->openStreams(); }
bool ServerConnection::isOpen(uint64_t stream_id) const { return impl_->isOpen(stream_id); }

}  // namespace ctplab::proxy::http2
