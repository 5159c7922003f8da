// One request between the downstream codec (HTTP/1.1 or an HTTP/2 stream) and the backend: the
// request flow (client IP, request stage, routing, authorization), then the echo or the upstream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "asio.h"
#include "ctplab/common/ip_address.h"
#include "ctplab/live/worker_stats.h"
#include "ctplab/proxy/http1/events.h"
#include "ctplab/proxy/http1/response_head.h"
#include "ctplab/proxy/http1/server_codec.h"
#include "ctplab/proxy/http_flow/request_flow.h"
#include "generation.h"

namespace ctplab::live {

class UpstreamClient;
struct UpstreamResult;
class Worker;

// What every request of one connection shares; fixed once the filter chain is chosen.
struct ConnectionContext {
  Worker* worker = nullptr;
  std::shared_ptr<const Generation> generation;
  WorkerStats* stats = nullptr;
  size_t port_index = 0;
  int chain_listener = -1;  // the filter chain's listener
  IpAddress peer;           // after the PROXY protocol
  std::string sni;
  std::optional<proxy::http_flow::TlsPeer> tls_peer;  // set on TLS connections once established
};

// The connection an exchange answers on.
class ExchangeHost {
 public:
  virtual ~ExchangeHost() = default;
  // Writes the answer to request `id` (nothing when it was already answered, e.g. by a timeout).
  virtual proxy::http1::EncodeResult respond(TimePoint now, uint64_t id,
                                             const proxy::http1::ResponseHead& head,
                                             std::string_view body, bool count_status) = 0;
  virtual bool isOpen(uint64_t id) const = 0;
  // The request left for the backend (its filters are done): the request timer may stop.
  virtual void requestForwarded(TimePoint now, uint64_t id) = 0;
  // An answer arrived outside the connection's own event handling (timer, upstream).
  virtual void afterAsyncAnswer(TimePoint now) = 0;
};

class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  // `host` must stay valid until cancel() or the answer, whichever comes first.
  Exchange(std::shared_ptr<const ConnectionContext> context, ExchangeHost& host,
           uint64_t request_id);
  // `executor`: where the echo backend's delay timer runs (default: the worker's loop).
  Exchange(std::shared_ptr<const ConnectionContext> context, ExchangeHost& host,
           asio::any_io_executor executor, uint64_t request_id);
  ~Exchange();

  // The request head as the codec parsed it; the flow rewrites it into what goes upstream.
  void onHead(TimePoint now, proxy::http1::RequestHead& head);
  void onBody(std::string_view data);
  void onComplete(TimePoint now);
  // The connection is going away or the request was answered otherwise: no callback touches the
  // host after this.
  void cancel();
  // Answered (or being answered) without the backend: later events of this request are ignored.
  bool answeredEarly() const { return answered_early_; }
  uint64_t id() const { return id_; }

 private:
  // Every filter let the request on: the backend (or the echo) answers it.
  void proceed(TimePoint now, proxy::http_flow::RouteOutcome& routed);
  void answerFromEcho(TimePoint now, std::string_view route);
  void answerFromUpstream();
  void onUpstreamResult(UpstreamResult result);
  void respondLocal(TimePoint now, int status, std::string_view body,
                    proxy::http1::HeaderList extra = {}, bool count_status = true);
  void respondBackend(TimePoint now, int status, std::string_view reason,
                      proxy::http1::HeaderList headers, std::string_view body, bool keep_length);
  Worker& worker() const { return *context_->worker; }
  const GatewayPlan& plan() const { return context_->generation->plan; }

  std::shared_ptr<const ConnectionContext> context_;
  ExchangeHost* host_;
  // The echo backend's `?delay=`; made only when a request asks for one (a timer costs a
  // service lookup to construct).
  std::optional<asio::steady_timer> backend_timer_;
  asio::any_io_executor timer_executor_;
  uint64_t id_;
  bool cancelled_ = false;
  bool answered_early_ = false;
  std::optional<proxy::http_flow::HeadOutcome> head_;
  // What the route appends to its responses, the backend's and the router's own (alt-svc).
  proxy::http1::HeaderList route_headers_;
  std::optional<proxy::http1::RequestHead> forwarded_;
  int vhost_listener_ = -1;  // the virtual host's listener
  std::string body_;
  bool body_too_large_ = false;
  std::shared_ptr<UpstreamClient> upstream_;
};

}  // namespace ctplab::live
