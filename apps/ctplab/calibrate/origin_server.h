// The upstream the proxy forwards to during calibration: HTTP/1.1 on loopback, kept alive,
// `/bytes/N` answering N bytes; its threads report their CPU time so it is not the proxy's.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "cpu_time.h"
#include "ctplab/proxy/result.h"
#include "loopback_socket.h"

namespace ctplab::cli::calibrate {

// The largest `/bytes/N` answer; larger N are capped.
inline constexpr uint64_t kMaxOriginBody = 16u << 20;

class OriginServer {
 public:
  // Listens on 127.0.0.1 (any port) and serves until destroyed. Request bodies (sent with a
  // content-length, as the proxy re-frames them) are read and dropped; any path other than
  // `/bytes/N` gets a two-byte body.
  static proxy::Result<std::unique_ptr<OriginServer>> start(CpuLedger& ledger);

  struct Key {  // only start() constructs
   private:
    friend class OriginServer;
    Key() = default;
  };
  OriginServer(Key, Socket listener, uint16_t port, CpuLedger& ledger);
  // Closes the listener and every connection, then joins the threads.
  ~OriginServer();
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  uint16_t port() const { return port_; }

 private:
  void acceptLoop();
  void serve(int fd);

  Socket listener_;
  uint16_t port_;
  CpuLedger* ledger_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::set<int> open_;  // connections being served, shut down on stop
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace ctplab::cli::calibrate
