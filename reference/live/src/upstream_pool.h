// A worker's idle upstream connections, shared by all its downstream connections and streams, so
// a client that opens a connection per request does not cost the backend a connection too.
// One request per upstream connection at a time (HTTP/1.1 without pipelining), as Envoy's pool.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "asio.h"
#include "upstream_client.h"

namespace ctplab::live {

class UpstreamPool {
 public:
  UpstreamPool(asio::any_io_executor executor, tcp::endpoint endpoint,
               UpstreamClient::Limits limits, size_t max_idle);

  // An idle kept-alive connection when there is one (most recently used first: the one least
  // likely to have been closed by the upstream's idle timeout), else a new client.
  std::shared_ptr<UpstreamClient> acquire();
  // A finished request's client comes back; kept only if its connection is still open.
  void release(std::shared_ptr<UpstreamClient> client);
  void closeAll();

  size_t idle() const { return idle_.size(); }
  size_t created() const { return created_; }

 private:
  asio::any_io_executor executor_;
  tcp::endpoint endpoint_;
  UpstreamClient::Limits limits_;
  size_t max_idle_;
  std::vector<std::shared_ptr<UpstreamClient>> idle_;
  size_t created_ = 0;
};

}  // namespace ctplab::live
