#include "exchange.h"

#include <algorithm>
#include <utility>

#include "ctplab/live/echo_backend.h"
#include "ctplab/live/upstream_codec.h"
#include "ctplab/proxy/request/response_stage.h"
#include "upstream_client.h"
#include "upstream_pool.h"
#include "worker.h"

namespace ctplab::live {

namespace {

using namespace std::string_view_literals;

// Every relayed field is checked against these: lengths compared first, inline.
bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && proxy::http1::equalsIgnoreCase(a, b);
}

bool isHopByHopResponseField(std::string_view name) {
  for (std::string_view h : {"connection"sv, "keep-alive"sv, "proxy-connection"sv,
                             "transfer-encoding"sv, "upgrade"sv, "te"sv, "trailer"sv}) {
    if (sameName(name, h)) return true;
  }
  return false;
}

constexpr std::string_view kUpstreamFailure =
    "upstream connect error or disconnect/reset before headers. reset reason: ";

}  // namespace

Exchange::Exchange(std::shared_ptr<const ConnectionContext> context, ExchangeHost& host,
                   uint64_t request_id)
    : context_(std::move(context)), host_(&host), id_(request_id) {}

Exchange::Exchange(std::shared_ptr<const ConnectionContext> context, ExchangeHost& host,
                   asio::any_io_executor executor, uint64_t request_id)
    : context_(std::move(context)),
      host_(&host),
      timer_executor_(std::move(executor)),
      id_(request_id) {}

Exchange::~Exchange() { cancel(); }

void Exchange::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  if (backend_timer_) backend_timer_->cancel();
  // An abandoned upstream request owns its connection: its response may still arrive on it.
  if (upstream_) upstream_->cancel();
  upstream_.reset();
}

void Exchange::onHead(TimePoint now, proxy::http1::RequestHead& head) {
  const PlannedListener& chain = plan().listeners()[static_cast<size_t>(context_->chain_listener)];
  proxy::request::RequestContext request_context;
  request_context.request_id_bits = {worker().random(), worker().random()};
  request_context.draining = worker().draining();
  auto& stats = context_->stats->prefixes[chain.prefix_index];
  const auto* tls = context_->tls_peer ? &*context_->tls_peer : nullptr;
  auto outcome = proxy::http_flow::onRequestHead(*chain.flow, stats.flowStats(), context_->peer,
                                                 request_context, head, tls);
  if (auto& reply = outcome.reply) {
    answered_early_ = true;
    respondLocal(now, reply->status, reply->body, std::move(reply->headers), reply->count_status);
    return;
  }
  const PlannedPort& port = plan().ports()[context_->port_index];
  vhost_listener_ =
      port.tls ? context_->chain_listener : plan().listenerForHost(port, outcome.host);
  forwarded_ = std::move(head);  // rewritten by the flow: what goes upstream
  head_ = std::move(outcome);
}

void Exchange::onBody(std::string_view data) {
  // The forwarding backend gets the whole body; the echo backend ignores it.
  if (answered_early_ || !worker().shared().backend || body_too_large_) return;
  if (body_.size() + data.size() > worker().shared().options->max_buffered_body_bytes) {
    body_too_large_ = true;
    body_.clear();
    return;
  }
  body_.append(data);
}

void Exchange::onComplete(TimePoint now) {
  if (answered_early_) return;
  if (vhost_listener_ < 0 || !head_) {
    respondLocal(now, 404, "");
    return;
  }
  const PlannedListener& vhost = plan().listeners()[static_cast<size_t>(vhost_listener_)];
  auto& stats = context_->stats->prefixes[vhost.prefix_index];
  auto* state = context_->generation->listener_states[static_cast<size_t>(vhost_listener_)].get();
  auto routed = proxy::http_flow::routeRequest(*vhost.flow, stats.flowStats(), *head_,
                                               {now, state, &*forwarded_});
  if (auto& reply = routed.reply) {
    respondLocal(now, reply->status, reply->body, std::move(reply->headers), reply->count_status);
    return;
  }
  if (routed.global_check.empty()) {
    proceed(now, routed);
    return;
  }
  // The request waits for the global counters; a failed or late answer lets it through.
  auto pending = std::make_shared<proxy::http_flow::RouteOutcome>(std::move(routed));
  std::weak_ptr<Exchange> weak = shared_from_this();
  worker().globalRateLimits().check(
      pending->global_check, now, [weak, pending](proxy::ratelimit::GlobalCheckReply reply) {
        auto self = weak.lock();
        if (!self || self->cancelled_ || !self->host_->isOpen(self->id_)) return;
        const TimePoint at = self->worker().shared().clock->now();
        const PlannedListener& vhost =
            self->plan().listeners()[static_cast<size_t>(self->vhost_listener_)];
        auto& stats = self->context_->stats->prefixes[vhost.prefix_index];
        proxy::http_flow::applyGlobalReply(*vhost.flow, stats.flowStats(), *pending, reply);
        if (auto& r = pending->reply) {
          self->respondLocal(at, r->status, r->body, std::move(r->headers), r->count_status);
        } else {
          self->proceed(at, *pending);
        }
        self->host_->afterAsyncAnswer(at);
      });
}

void Exchange::proceed(TimePoint now, proxy::http_flow::RouteOutcome& routed) {
  route_headers_ = std::move(routed.response_headers);
  if (body_too_large_) {
    respondLocal(now, 413, "Payload Too Large");
    return;
  }
  // Every filter let it through and it was buffered whole: it leaves for the backend now.
  host_->requestForwarded(now, id_);
  if (worker().shared().backend) {
    answerFromUpstream();
  } else {
    answerFromEcho(now, routed.route.name);
  }
}

void Exchange::answerFromEcho(TimePoint now, std::string_view route) {
  const PlannedListener& vhost = plan().listeners()[static_cast<size_t>(vhost_listener_)];
  const std::string client = head_->detection.client.toString();
  const std::string peer = context_->peer.toString();
  EchoReply reply = echoRespond({&*forwarded_, route, vhost.ir->name, client, peer, context_->sni});
  if (reply.delay <= Duration()) {
    respondBackend(now, reply.status, "", std::move(reply.headers), reply.body, false);
    return;
  }
  if (timer_executor_) {
    backend_timer_.emplace(timer_executor_);
  } else {
    backend_timer_.emplace(worker().context());
  }
  backend_timer_->expires_after(std::chrono::nanoseconds(reply.delay.ns()));
  backend_timer_->async_wait(
      [self = shared_from_this(), reply = std::move(reply)](const error_code& ec) mutable {
        // A local reply (a timeout) may have answered the request while the backend waited.
        if (ec || self->cancelled_ || !self->host_->isOpen(self->id_)) return;
        const TimePoint at = self->worker().shared().clock->now();
        self->respondBackend(at, reply.status, "", std::move(reply.headers), reply.body, false);
        self->host_->afterAsyncAnswer(at);
      });
}

void Exchange::answerFromUpstream() {
  upstream_ = worker().upstreamPool().acquire();
  // A plain pointer fits the callback's inline storage (no allocation per request). It cannot
  // dangle: an exchange that goes away cancels its upstream request, which drops the callback.
  Exchange* exchange = this;
  upstream_->send(serializeUpstreamRequest(*forwarded_, body_), forwarded_->method == "HEAD",
                  [exchange](UpstreamResult result) {
                    // Answering may drop the connection's last reference to the exchange.
                    const auto self = exchange->shared_from_this();
                    self->onUpstreamResult(std::move(result));
                  });
  body_.clear();
}

void Exchange::onUpstreamResult(UpstreamResult result) {
  worker().upstreamPool().release(std::move(upstream_));
  upstream_.reset();
  if (cancelled_ || !host_->isOpen(id_)) return;
  const TimePoint now = worker().shared().clock->now();
  switch (result.kind) {
    case UpstreamResult::Kind::kOk: {
      const bool head = forwarded_->method == "HEAD";
      // Filtered in place: the list the parser built becomes the response's.
      std::erase_if(result.headers, [head](const proxy::http1::Header& h) {
        // The body is relayed whole, so its length is ours to state (HEAD keeps the upstream's).
        return isHopByHopResponseField(h.name) || (!head && sameName(h.name, "content-length"sv));
      });
      respondBackend(now, result.status, result.reason, std::move(result.headers), result.body,
                     head);
      break;
    }
    case UpstreamResult::Kind::kTimeout:
      respondLocal(now, 504, "upstream request timeout", route_headers_);
      break;
    case UpstreamResult::Kind::kConnectFailure:
      respondLocal(now, 503, std::string(kUpstreamFailure) + "connection failure", route_headers_);
      break;
    case UpstreamResult::Kind::kReset:
      respondLocal(now, 503, std::string(kUpstreamFailure) + "connection termination",
                   route_headers_);
      break;
    case UpstreamResult::Kind::kProtocolError:
      respondLocal(now, 503, std::string(kUpstreamFailure) + "protocol error", route_headers_);
      break;
  }
  host_->afterAsyncAnswer(now);
}

void Exchange::respondLocal(TimePoint now, int status, std::string_view body,
                            proxy::http1::HeaderList extra, bool count_status) {
  proxy::http1::ResponseHead head;
  head.status = status;
  head.headers = std::move(extra);
  head.headers.push_back({"content-length", std::to_string(body.size())});
  if (!body.empty()) head.headers.push_back({"content-type", "text/plain"});
  host_->respond(now, id_, head, body, count_status);
}

void Exchange::respondBackend(TimePoint now, int status, std::string_view reason,
                              proxy::http1::HeaderList headers, std::string_view body,
                              bool keep_length) {
  proxy::http1::ResponseHead head;
  head.status = status;
  head.reason = std::string(reason);
  head.headers = std::move(headers);
  if (!keep_length) head.headers.push_back({"content-length", std::to_string(body.size())});
  head.headers.insert(head.headers.end(), route_headers_.begin(), route_headers_.end());
  const PlannedListener& vhost =
      plan().listeners()[static_cast<size_t>(std::max(0, vhost_listener_))];
  proxy::request::applyLateResponseHeaders(vhost.flow->pipeline(), head);
  const auto result = host_->respond(now, id_, head, body, true);
  if (result == proxy::http1::EncodeResult::kInvalidHeader ||
      result == proxy::http1::EncodeResult::kBodyTooLong) {
    // Nothing was written: the backend's answer cannot be relayed as it is.
    respondLocal(now, 502, "upstream sent a response the proxy cannot relay");
  }
}

}  // namespace ctplab::live
