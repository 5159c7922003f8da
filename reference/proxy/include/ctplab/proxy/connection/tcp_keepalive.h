// TCP keepalive of a port's accepted sockets (spec 1.3.1, 4.4): the effective probe settings with
// the OS defaults filled in, and the kernel's probe schedule as a state machine on explicit times.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/policy/ir.h"

namespace ctplab::proxy::connection {

// The kernel settings a socket falls back to when the policy leaves a field unset.
struct KeepaliveOsDefaults {
  uint32_t idle_time_s = 0;
  uint32_t interval_s = 0;
  uint32_t probes = 0;
};

// net.ipv4.tcp_keepalive_time / _intvl / _probes as Linux ships them.
inline constexpr KeepaliveOsDefaults kLinuxKeepaliveDefaults{7200, 75, 9};

struct TcpKeepaliveConfig {
  bool enabled = false;  // SO_KEEPALIVE; the policy's `tcpKeepalive` object being present
  Duration idle_time;    // silence before the first probe
  Duration interval;     // spacing of unanswered probes
  uint32_t probes = 0;   // unanswered probes after which the peer is dead

  // From the port's first listener (spec 3.2). The IR already holds whole seconds; unset fields
  // take `os`. Zero values are kept as given (Linux would refuse them as socket options).
  static TcpKeepaliveConfig fromListener(const policy::ir::Listener& first_listener,
                                         const KeepaliveOsDefaults& os);

  // How long a peer that vanished silently goes unnoticed: idle + probes × interval.
  Duration deadPeerDetectionTime() const;
};

// The kernel's keepalive schedule for one connection. A driver reports every segment from the peer
// (data, ACKs, probe answers); the prober says when to send a probe and when the peer is dead
// (the driver then treats the connection as reset by the peer).
class KeepaliveProber {
 public:
  enum class Action { kNone, kSendProbe, kPeerDead };

  // `now`: the connection is established (the first activity).
  KeepaliveProber(TcpKeepaliveConfig config, TimePoint now);

  // Anything arrived from the peer: the idle period restarts and unanswered probes are forgotten.
  void onPeerActivity(TimePoint now);

  // The next probe or the death verdict; nullopt when disabled or already dead.
  std::optional<TimePoint> nextDeadline() const;
  // Catches up with every step due at `now`; says the last thing to do. A late call that skipped
  // probes still sends one and keeps the original schedule.
  Action onDeadline(TimePoint now);

  uint32_t unansweredProbes() const { return probes_sent_; }
  bool peerDead() const { return dead_; }

 private:
  TcpKeepaliveConfig config_;
  TimePoint last_activity_;
  uint32_t probes_sent_ = 0;
  bool dead_ = false;
};

}  // namespace ctplab::proxy::connection
