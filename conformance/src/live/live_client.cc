#include "live/live_client.h"

#include <algorithm>
#include <thread>

#include "ctplab/common/ip_address.h"
#include "ctplab/live/upstream_codec.h"
#include "ctplab/simulator/gateway/backend_model.h"
#include "live/echo_reply.h"

namespace ctplab::conformance::live {
namespace {

using Kind = sim::scenario::Behavior::Kind;
using Outcome = sim::run::RequestOutcome;
using Parser = ::ctplab::live::UpstreamResponseParser;

// Slowloris keeps a head open by sending one more header line at a time, as the simulator does.
constexpr std::string_view kDripFiller = "x-a: b\r\n";
constexpr uint64_t kMaxBody = 16u << 20;
constexpr auto kConnectTimeout = std::chrono::seconds(5);

Clock::duration toClock(Duration d) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(d.ns()));
}

Duration sinceClock(Clock::duration d) {
  return Duration::nanoseconds(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

}  // namespace

LiveClient::LiveClient(const PopulationPlan& plan, uint64_t client_index, Clock::time_point arrival,
                       Clock::time_point run_end, sim::Rng rng)
    : plan_(plan),
      behavior_(plan.spec->behavior),
      client_index_(client_index),
      arrival_(arrival),
      run_end_(run_end),
      rng_(rng) {
  out_.result.name = plan.spec->name;
}

bool LiveClient::sleepUntil(Clock::time_point when) {
  // Short slices, so the run's end is noticed promptly.
  while (Clock::now() < when) {
    if (stopped()) return false;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(when - Clock::now(), std::chrono::milliseconds(20)));
  }
  return !stopped();
}

ClientObservations LiveClient::run() {
  if (!sleepUntil(arrival_)) return std::move(out_);
  auto& connections = out_.result.connections;
  out_.result.clients = 1;
  intended_ = Clock::now();
  requests_left_ = behavior_.kind == Kind::kRequests
                       ? uint64_t{behavior_.connections} * behavior_.requests_per_connection
                       : 1;
  for (;;) {
    if (stopped()) break;
    ++connections.attempted;
    std::string detail;
    const auto status =
        socket_.connect(plan_.host, plan_.port, bounded(Clock::now() + kConnectTimeout), detail);
    if (status != BlockingSocket::Status::kOk) {
      ++connections.connect_failed;
      const bool pending = behavior_.kind == Kind::kRequests ||
                           (behavior_.kind == Kind::kHold && behavior_.hold_sends_request);
      if (connectionEnded(true, Outcome::kConnectFailed, pending) == Next::kDone) break;
      continue;
    }
    ++connections.established;
    pending_.clear();
    on_connection_ = 0;
    if (!plan_.preamble.empty()) socket_.writeAll(plan_.preamble, run_end_);
    Next next = Next::kDone;
    switch (behavior_.kind) {
      case Kind::kRequests:
      case Kind::kVanish:  // not offered live (a kernel answers keepalive probes): see capability
        next = runRequests();
        break;
      case Kind::kHold:
        next = runHold();
        break;
      case Kind::kSlowloris:
        next = runSlowloris();
        break;
    }
    if (next == Next::kDone) break;
  }
  out_.still_open = std::move(socket_);
  return std::move(out_);
}

LiveClient::Next LiveClient::runRequests() {
  for (;;) {
    if (failures_ == 0) ++out_.result.requests.sent;  // a retry re-sends the same request
    socket_.writeAll(plan_.request_bytes, run_end_);
    if (behavior_.half_close) socket_.shutdownWrite();
    const auto deadline = behavior_.request_timeout
                              ? bounded(Clock::now() + toClock(*behavior_.request_timeout))
                              : run_end_;
    Response response;
    switch (const Read read = readResponse(deadline, response)) {
      case Read::kResponse:
        break;
      case Read::kClosed:
      case Read::kReset:
        return connectionEnded(true, read == Read::kReset ? Outcome::kReset : Outcome::kClosed,
                               true);
      case Read::kTimeout:
        // The client's own request timeout: it gives up on the request and the connection.
        finishRequest(Outcome::kTimeout);
        closeByClient();
        return connectionEnded(false, Outcome::kTimeout, false);
      case Read::kRunEnd:
        finishRequest(Outcome::kUnfinished);
        return Next::kDone;
      case Read::kMalformed:
        finishRequest(Outcome::kReset);
        closeByClient();
        return connectionEnded(true, Outcome::kReset, false);
    }
    failures_ = 0;
    ++on_connection_;
    finishRequest(Outcome::kResponse, response.status);
    recordBackend(response.body);
    if (requests_left_ == 0) {
      closeByClient();
      return Next::kDone;
    }
    const bool reuse = response.keep_alive && !behavior_.half_close &&
                       on_connection_ < behavior_.requests_per_connection;
    if (!reuse) closeByClient();
    // Thinking on an open connection: the gateway may close it meanwhile (idle timeout), and
    // the next request then opens a new one, without that counting as a failure.
    const auto until =
        Clock::now() + toClock(sim::gateway::drawDuration(behavior_.think_time, rng_));
    while (socket_.open() && Clock::now() < until && !stopped()) {
      std::string bytes;
      const auto status = socket_.readSome(bytes, bounded(until));
      if (status == BlockingSocket::Status::kClosed) serverEnded(Read::kClosed);
      if (status == BlockingSocket::Status::kReset) serverEnded(Read::kReset);
      if (status == BlockingSocket::Status::kOk) pending_ += bytes;
    }
    if (!sleepUntil(until)) return Next::kDone;
    intended_ = Clock::now();
    if (!socket_.open()) return Next::kReconnect;
  }
}

LiveClient::Next LiveClient::runHold() {
  const auto hold_until = Clock::now() + toClock(behavior_.hold_for);
  if (behavior_.hold_sends_request) {
    if (failures_ == 0) ++out_.result.requests.sent;
    socket_.writeAll(plan_.request_bytes, run_end_);
    Response response;
    switch (const Read read = readResponse(run_end_, response)) {
      case Read::kResponse:
        failures_ = 0;
        ++on_connection_;
        finishRequest(Outcome::kResponse, response.status);
        recordBackend(response.body);
        break;
      case Read::kClosed:
      case Read::kReset:
        return connectionEnded(true, read == Read::kReset ? Outcome::kReset : Outcome::kClosed,
                               true);
      case Read::kTimeout:
      case Read::kRunEnd:
        finishRequest(Outcome::kUnfinished);
        return Next::kDone;
      case Read::kMalformed:
        finishRequest(Outcome::kReset);
        closeByClient();
        return connectionEnded(true, Outcome::kReset, false);
    }
  }
  // Holding: whatever the gateway sends now (a late response) is counted; a close ends the hold.
  for (;;) {
    if (Clock::now() >= hold_until) {
      ++out_.result.hold_completed;
      closeByClient();
      return Next::kDone;
    }
    Response response;
    switch (const Read read = readResponse(bounded(hold_until), response)) {
      case Read::kResponse:
        ++on_connection_;
        finishRequest(Outcome::kResponse, response.status);
        continue;
      case Read::kClosed:
      case Read::kReset:
        return connectionEnded(true, read == Read::kReset ? Outcome::kReset : Outcome::kClosed,
                               false);
      case Read::kTimeout:
        continue;
      case Read::kRunEnd:
        return Next::kDone;
      case Read::kMalformed:
        closeByClient();
        return connectionEnded(true, Outcome::kReset, false);
    }
  }
}

LiveClient::Next LiveClient::runSlowloris() {
  ++out_.result.requests.sent;  // every connection drips a new request
  intended_ = Clock::now();
  const std::string& head = plan_.request_head;
  const size_t open_part = head.size() - 2;  // without the final CRLF
  uint64_t dripped = 0;
  for (;;) {
    std::string chunk;
    for (uint32_t i = 0; i < behavior_.drip_bytes; ++i) {
      const uint64_t pos = dripped + i;
      if (pos < open_part) {
        chunk += head[pos];
      } else if (behavior_.drip_completes) {
        if (pos < head.size()) chunk += head[pos];
      } else {
        chunk += kDripFiller[(pos - open_part) % kDripFiller.size()];
      }
    }
    dripped += behavior_.drip_bytes;
    if (!chunk.empty()) socket_.writeAll(chunk, run_end_);
    const bool complete = behavior_.drip_completes && dripped >= head.size();
    if (complete && plan_.request_bytes.size() > head.size()) {
      socket_.writeAll(std::string_view(plan_.request_bytes).substr(head.size()), run_end_);
    }
    const auto deadline =
        complete ? run_end_ : bounded(Clock::now() + toClock(behavior_.drip_interval));
    Response response;
    switch (const Read read = readResponse(deadline, response)) {
      case Read::kResponse:
        finishRequest(Outcome::kResponse, response.status);
        // The attack goes on: an answered slow request is a reason to reconnect.
        closeByClient();
        return connectionEnded(true, Outcome::kResponse, false);
      case Read::kClosed:
      case Read::kReset:
        return connectionEnded(true, read == Read::kReset ? Outcome::kReset : Outcome::kClosed,
                               true);
      case Read::kTimeout:
        if (complete) {
          finishRequest(Outcome::kUnfinished);
          return Next::kDone;
        }
        continue;
      case Read::kRunEnd:
        finishRequest(Outcome::kUnfinished);
        return Next::kDone;
      case Read::kMalformed:
        finishRequest(Outcome::kReset);
        closeByClient();
        return connectionEnded(true, Outcome::kReset, false);
    }
  }
}

LiveClient::Read LiveClient::readResponse(Clock::time_point deadline, Response& out) {
  Parser parser(plan_.head_request, kMaxBody);
  auto consume = [&](std::string_view bytes) {
    const auto state = parser.feed(bytes);
    // The parser takes bytes up to the end of the response; what it left is the next one's.
    pending_.clear();
    return state;
  };
  auto done = [&]() {
    out.status = parser.status();
    out.keep_alive = parser.keepAlive();
    out.body = parser.body();
    return Read::kResponse;
  };
  if (!pending_.empty()) {
    const std::string buffered = std::move(pending_);
    const auto state = consume(buffered);
    if (state == Parser::State::kComplete) return done();
    if (state == Parser::State::kError) return Read::kMalformed;
  }
  for (;;) {
    std::string bytes;
    const auto status = socket_.readSome(bytes, deadline);
    switch (status) {
      case BlockingSocket::Status::kOk: {
        const auto state = consume(bytes);
        if (state == Parser::State::kComplete) return done();
        if (state == Parser::State::kError) return Read::kMalformed;
        continue;
      }
      case BlockingSocket::Status::kClosed:
        // A close-delimited body ends here.
        if (parser.started() && parser.finish() == Parser::State::kComplete) {
          const Read read = done();
          serverEnded(Read::kClosed);
          return read;
        }
        serverEnded(Read::kClosed);
        return Read::kClosed;
      case BlockingSocket::Status::kTimeout:
        return Clock::now() >= run_end_ || stopped() ? Read::kRunEnd : Read::kTimeout;
      case BlockingSocket::Status::kReset:
      case BlockingSocket::Status::kFailed:
        serverEnded(Read::kReset);
        return Read::kReset;
    }
  }
}

void LiveClient::serverEnded(Read how) {
  auto& counts = out_.result.connections;
  ++(how == Read::kReset ? counts.reset_by_server : counts.closed_by_server);
  socket_.close();
  pending_.clear();
}

void LiveClient::closeByClient() {
  if (!socket_.open()) return;
  ++out_.result.connections.closed_by_client;
  socket_.close();
  pending_.clear();
}

LiveClient::Next LiveClient::connectionEnded(bool failure, Outcome outcome, bool request_pending) {
  const auto& retry = plan_.spec->retry;
  if (failure && failures_ + 1 < retry.max_attempts) {
    ++failures_;
    ++out_.result.connections.retries;
    int64_t delay = retry.backoff_base.ns();
    for (uint32_t i = 1; i < failures_ && delay < retry.backoff_max.ns(); ++i) delay *= 2;
    delay = std::min(delay, retry.backoff_max.ns());
    if (retry.jitter && delay > 0) delay = rng_.uniformInt(0, delay);
    return sleepUntil(Clock::now() + toClock(Duration::nanoseconds(delay))) ? Next::kReconnect
                                                                            : Next::kDone;
  }
  failures_ = 0;
  if (failure && request_pending) finishRequest(outcome);
  if (behavior_.kind == Kind::kRequests && requests_left_ > 0) {
    think();
    intended_ = Clock::now();
    return stopped() ? Next::kDone : Next::kReconnect;
  }
  return Next::kDone;
}

void LiveClient::think() {
  sleepUntil(Clock::now() + toClock(sim::gateway::drawDuration(behavior_.think_time, rng_)));
}

void LiveClient::finishRequest(Outcome outcome, int status) {
  auto& r = out_.result.requests;
  if (requests_left_ > 0) --requests_left_;
  switch (outcome) {
    case Outcome::kResponse:
      ++r.by_status[status];
      out_.result.latency.record(sinceClock(Clock::now() - intended_));
      break;
    case Outcome::kReset:
      ++r.reset;
      break;
    case Outcome::kClosed:
      ++r.closed;
      break;
    case Outcome::kTimeout:
      ++r.timeout;
      break;
    case Outcome::kConnectFailed:
      ++r.connect_failed;
      break;
    case Outcome::kUnfinished:
      ++r.unfinished;
      break;
  }
}

void LiveClient::recordBackend(const std::string& body) {
  auto echoed = parseEchoReply(body);
  if (!echoed) return;
  TimedBackendRequest timed;
  timed.at = Clock::now();
  timed.sequence = backend_sequence_++;
  auto& req = timed.request;
  req.population = plan_.index;
  req.client = client_index_;
  req.method = std::move(echoed->method);
  req.path = std::move(echoed->path);
  req.headers = std::move(echoed->headers);
  const auto ip = echoed->client_address ? IpAddress::parse(*echoed->client_address)
                                         : std::optional<IpAddress>();
  req.client_ip_known = ip.has_value();
  if (ip) req.client_ip = *ip;
  out_.backend.push_back(std::move(timed));
}

}  // namespace ctplab::conformance::live
