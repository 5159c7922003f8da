#include "admin_server.h"

#include <variant>

#include "ctplab/proxy/http1/codec_stats.h"
#include "ctplab/proxy/http1/server_codec.h"

namespace ctplab::live {

namespace {

// One admin client. The codec serves one request at a time; an admin client that stops reading
// only fills its own socket.
class AdminConnection : public std::enable_shared_from_this<AdminConnection> {
 public:
  AdminConnection(tcp::socket socket, std::shared_ptr<const AdminHandler> handler,
                  proxy::http1::CodecConfigPtr config)
      : socket_(std::move(socket)),
        idle_(socket_.get_executor()),
        handler_(std::move(handler)),
        codec_(std::move(config), stats_),
        buffer_(8192) {}

  void start() { read(); }

 private:
  void read() {
    if (reading_ || closed_ || codec_.shouldClose()) return;
    reading_ = true;
    // Admin clients are expected to ask and go: an idle minute closes the connection.
    idle_.expires_after(std::chrono::seconds(60));
    idle_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) self->close();
    });
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const error_code& ec, size_t n) {
                              self->reading_ = false;
                              if (ec) {
                                self->close();
                                return;
                              }
                              self->pending_.append(self->buffer_.data(), n);
                              self->process();
                            });
  }

  void process() {
    for (int guard = 0; guard < 64 && !closed_; ++guard) {
      const size_t taken = codec_.feed(pending_);
      pending_.erase(0, taken);
      bool progressed = taken > 0;
      while (auto event = codec_.nextEvent()) {
        progressed = true;
        if (auto* head = std::get_if<proxy::http1::RequestHead>(&*event)) {
          method_ = head->method;
          target_ = head->target;
        } else if (std::holds_alternative<proxy::http1::RequestComplete>(*event)) {
          answer();
        }
      }
      if (!progressed || pending_.empty()) break;
    }
    flush();
  }

  void answer() {
    AdminResponse r = (*handler_)(method_, target_);
    proxy::http1::ResponseHead head;
    head.status = r.status;
    head.headers = {{"content-type", r.content_type},
                    {"content-length", std::to_string(r.body.size())},
                    {"cache-control", "no-cache, max-age=0"}};
    if (r.body.empty()) {
      codec_.encodeHeaders(head, true);
    } else {
      codec_.encodeHeaders(head, false);
      codec_.encodeData(r.body, true);
    }
  }

  void flush() {
    if (writing_ || closed_) return;
    const std::string_view out = codec_.pendingOutput();
    if (out.empty()) {
      if (codec_.shouldClose()) {
        close();
      } else {
        read();
      }
      return;
    }
    writing_ = true;
    write_buffer_.assign(out);
    asio::async_write(socket_, asio::buffer(write_buffer_),
                      [self = shared_from_this()](const error_code& ec, size_t n) {
                        self->writing_ = false;
                        if (ec) {
                          self->close();
                          return;
                        }
                        self->codec_.consumeOutput(n);
                        self->process();
                      });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    idle_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer idle_;
  std::shared_ptr<const AdminHandler> handler_;
  proxy::http1::CodecStats stats_;  // the admin's own traffic is not the gateway's
  proxy::http1::ServerCodec codec_;
  std::vector<char> buffer_;
  std::string pending_, write_buffer_, method_, target_;
  bool reading_ = false, writing_ = false, closed_ = false;
};

}  // namespace

AdminServer::AdminServer(asio::io_context& context, const tcp::endpoint& endpoint,
                         AdminHandler handler, error_code& ec)
    : context_(context),
      acceptor_(context),
      handler_(std::make_shared<const AdminHandler>(std::move(handler))) {
  codec_ = proxy::http1::CodecConfig::create(proxy::http1::CodecOptions{}).value();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
}

tcp::endpoint AdminServer::localEndpoint() const {
  error_code ignored;
  return acceptor_.local_endpoint(ignored);
}

void AdminServer::start() { accept(); }

void AdminServer::stop() {
  error_code ignored;
  acceptor_.close(ignored);
}

void AdminServer::accept() {
  acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<AdminConnection>(std::move(socket), handler_, codec_)->start();
    accept();
  });
}

}  // namespace ctplab::live
