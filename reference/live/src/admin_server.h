// The admin endpoint: a small HTTP/1.1 server (the data plane's own codec, default settings) on
// the main loop that answers from a handler; the handler decides what `/stats` and friends say.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "asio.h"
#include "ctplab/proxy/http1/codec_config.h"
#include "ctplab/proxy/http1/header_list.h"

namespace ctplab::live {

struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=UTF-8";
  std::string body;
};

// method, target → response. Runs on the admin's loop; it may block briefly (stats snapshots).
using AdminHandler = std::function<AdminResponse(const std::string&, const std::string&)>;

class AdminServer {
 public:
  // Binds and listens; errors say why (e.g. address in use).
  AdminServer(asio::io_context& context, const tcp::endpoint& endpoint, AdminHandler handler,
              error_code& ec);
  tcp::endpoint localEndpoint() const;
  void start();
  void stop();

 private:
  void accept();

  asio::io_context& context_;
  tcp::acceptor acceptor_;
  std::shared_ptr<const AdminHandler> handler_;
  proxy::http1::CodecConfigPtr codec_;
};

}  // namespace ctplab::live
