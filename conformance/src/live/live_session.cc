#include "live/live_session.h"

#include <mutex>
#include <thread>

#include "ctplab/live/live_gateway.h"

namespace ctplab::conformance::live {

struct LiveSession::State {
  std::unique_ptr<::ctplab::live::LiveGateway> gateway;
  std::thread serving;
  std::shared_ptr<std::mutex> log_mutex = std::make_shared<std::mutex>();
  std::shared_ptr<std::string> log = std::make_shared<std::string>();
};

LiveSession::LiveSession(std::unique_ptr<State> state) : state_(std::move(state)) {}

proxy::Result<std::unique_ptr<LiveSession>> LiveSession::start(const policy::ir::Gateway& gateway) {
  auto state = std::make_unique<State>();
  ::ctplab::live::LiveOptions options;
  options.any_port = true;
  options.admin = ::ctplab::live::HostPort{"127.0.0.1", 0};
  options.drain_time = Duration{};
  options.log = [mutex = state->log_mutex, log = state->log](std::string_view line) {
    std::lock_guard lock(*mutex);
    log->append(line).push_back('\n');
  };
  auto started = ::ctplab::live::LiveGateway::start(gateway, std::move(options));
  if (!started) return started.error();
  state->gateway = std::move(started).value();
  auto session = std::make_unique<LiveSession>(std::move(state));
  for (const auto& l : session->state_->gateway->listeners()) {
    if (l.bound) {
      session->endpoints_.ports[l.gateway_port] = *l.bound;
    } else {
      session->unserved_.push_back(l.listener + " (port " + std::to_string(l.gateway_port) +
                                   "): " + l.reason.value_or("not served"));
    }
  }
  session->endpoints_.admin = session->state_->gateway->adminAddress();
  auto* proxy = session->state_->gateway.get();
  session->state_->serving = std::thread([proxy] { proxy->run(); });
  return session;
}

LiveSession::~LiveSession() {
  if (!state_) return;
  state_->gateway->requestShutdown();
  if (state_->serving.joinable()) state_->serving.join();
}

std::string LiveSession::log() const {
  std::lock_guard lock(*state_->log_mutex);
  return *state_->log;
}

}  // namespace ctplab::conformance::live
