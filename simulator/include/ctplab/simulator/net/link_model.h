// The network path between a client and the gateway as the policies see it: one-way latency with
// jitter, serialization at a bandwidth, and segment loss paid for with TCP retransmission timeouts.
#pragma once

#include <cstdint>
#include <optional>

#include "ctplab/common/time.h"
#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/scenario/scenario.h"

namespace ctplab::sim::net {

// Linux's TCP constants that shape what a client sees under loss and overload.
inline constexpr Duration kInitialSynTimeout = Duration::seconds(1);  // TCP_TIMEOUT_INIT
inline constexpr uint32_t kSynRetries = 6;                            // net.ipv4.tcp_syn_retries
inline constexpr uint32_t kSynAckRetries = 5;                         // net.ipv4.tcp_synack_retries
inline constexpr Duration kMinRto = Duration::milliseconds(200);      // TCP_RTO_MIN
inline constexpr uint64_t kSegmentBytes = 1448;  // MSS with timestamps on a 1500-byte MTU
// How long a sender keeps retransmitting to a peer that vanished (tcp_retries2 = 15).
inline constexpr Duration kRetransmitGiveUp = Duration::milliseconds(924'600);

class LinkModel {
 public:
  explicit LinkModel(const scenario::LinkProfile& profile) : profile_(profile) {}

  // One-way time for a message of `bytes` sent now: latency, jitter, serialization, and for each
  // lost segment the retransmission timeouts (doubling) until it got through. Segments of one
  // message travel together, so the slowest decides. Draws only when jitter or loss is set.
  Duration transit(Rng& rng, uint64_t bytes) const;
  // One UDP datagram of `bytes` sent now: lost (nullopt) with the link's loss, since UDP resends
  // nothing (the endpoints' own timers do), else its one-way time without retransmissions.
  std::optional<Duration> datagramTransit(Rng& rng, uint64_t bytes) const;
  // Whether a SYN/SYN-ACK exchange loses a packet (then the client retries after a timeout).
  bool handshakeLost(Rng& rng) const;
  // The client's wait before SYN retransmission `attempt` (1-based): 1 s, 2 s, 4 s, ...
  static Duration synRetryDelay(uint32_t attempt);
  Duration baseRtt() const { return profile_.latency + profile_.latency; }
  const scenario::LinkProfile& profile() const { return profile_; }

 private:
  Duration retransmissionTimeout() const;
  // Latency, jitter and serialization: what every packet pays.
  Duration pathDelay(Rng& rng, uint64_t bytes) const;

  scenario::LinkProfile profile_;
};

}  // namespace ctplab::sim::net
