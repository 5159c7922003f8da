// Keepalive settings from the IR and the probe schedule, as Linux's tcp_keepalive_timer runs it:
// after `idle` of silence a probe every `interval`; once `probes` went unanswered, the next timer
// tick declares the peer dead.
#include "ctplab/proxy/connection/tcp_keepalive.h"

namespace ctplab::proxy::connection {

TcpKeepaliveConfig TcpKeepaliveConfig::fromListener(const policy::ir::Listener& first_listener,
                                                    const KeepaliveOsDefaults& os) {
  TcpKeepaliveConfig c;
  c.idle_time = Duration::seconds(os.idle_time_s);
  c.interval = Duration::seconds(os.interval_s);
  c.probes = os.probes;
  if (!first_listener.tcp_keepalive) return c;
  const policy::ir::TCPKeepalive& k = *first_listener.tcp_keepalive;
  c.enabled = true;
  if (k.idle_time_s) c.idle_time = Duration::seconds(*k.idle_time_s);
  if (k.interval_s) c.interval = Duration::seconds(*k.interval_s);
  if (k.probes) c.probes = *k.probes;
  return c;
}

Duration TcpKeepaliveConfig::deadPeerDetectionTime() const {
  return idle_time + Duration::nanoseconds(int64_t{probes} * interval.ns());
}

KeepaliveProber::KeepaliveProber(TcpKeepaliveConfig config, TimePoint now)
    : config_(config), last_activity_(now) {}

void KeepaliveProber::onPeerActivity(TimePoint now) {
  if (dead_) return;
  if (now > last_activity_) last_activity_ = now;
  probes_sent_ = 0;
}

std::optional<TimePoint> KeepaliveProber::nextDeadline() const {
  if (!config_.enabled || dead_) return std::nullopt;
  return last_activity_ + config_.idle_time +
         Duration::nanoseconds(int64_t{probes_sent_} * config_.interval.ns());
}

KeepaliveProber::Action KeepaliveProber::onDeadline(TimePoint now) {
  Action action = Action::kNone;
  // Bounded: every round either sends one of at most `probes` probes or ends in death.
  while (auto due = nextDeadline()) {
    if (now < *due) break;
    if (probes_sent_ >= config_.probes) {
      dead_ = true;
      return Action::kPeerDead;
    }
    ++probes_sent_;
    action = Action::kSendProbe;
  }
  return action;
}

}  // namespace ctplab::proxy::connection
