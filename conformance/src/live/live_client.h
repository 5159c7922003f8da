// One client of a population on real sockets: the simulator's request / hold / slowloris
// behaviours, think time, request timeout and reconnect-with-backoff, on the wall clock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctplab/simulator/rng.h"
#include "ctplab/simulator/run/run_result.h"
#include "ctplab/simulator/scenario/scenario.h"
#include "live/blocking_socket.h"

namespace ctplab::conformance::live {

// What every client of one population shares: where to connect and the bytes to send.
struct PopulationPlan {
  const sim::scenario::Population* spec = nullptr;
  uint32_t index = 0;  // in the scenario
  std::string host;    // the gateway's address for this population's port
  uint16_t port = 0;
  std::string preamble;  // a PROXY header the client writes first, if any
  std::string request_bytes, request_head;
  bool head_request = false;
};

// A backend request seen in an echo reply, stamped for ordering across clients.
struct TimedBackendRequest {
  Clock::time_point at;
  uint64_t sequence = 0;
  sim::run::BackendRequest request;
};

// What one client observed; merged into its population's result afterwards.
struct ClientObservations {
  sim::run::PopulationResult result;
  std::vector<TimedBackendRequest> backend;
  // A connection still open when the run ended stays open until the gateway's stats are read,
  // as the simulator reads them with its connections in place.
  BlockingSocket still_open;
};

class LiveClient {
 public:
  // `run_end` (the scenario's duration) bounds every wait.
  LiveClient(const PopulationPlan& plan, uint64_t client_index, Clock::time_point arrival,
             Clock::time_point run_end, sim::Rng rng);

  ClientObservations run();

 private:
  enum class Next { kReconnect, kDone };
  enum class Read { kResponse, kClosed, kReset, kTimeout, kRunEnd, kMalformed };
  struct Response {
    int status = 0;
    bool keep_alive = true;
    std::string body;
  };

  Next runRequests();
  Next runHold();
  Next runSlowloris();
  // Reads one response until `deadline`; bytes past it stay buffered for the next one.
  Read readResponse(Clock::time_point deadline, Response& out);
  // The connection ended: retry after backoff, go on (think) or stop; as the simulator decides.
  Next connectionEnded(bool failure, sim::run::RequestOutcome outcome, bool request_pending);
  void serverEnded(Read how);  // counts a FIN or RST from the gateway and drops the socket
  void closeByClient();
  void finishRequest(sim::run::RequestOutcome outcome, int status = 0);
  void recordBackend(const std::string& body);
  void think();
  bool sleepUntil(Clock::time_point when);  // false when the run ended first
  bool stopped() const { return Clock::now() >= run_end_; }
  Clock::time_point bounded(Clock::time_point t) const { return t < run_end_ ? t : run_end_; }

  const PopulationPlan& plan_;
  const sim::scenario::Behavior& behavior_;
  uint64_t client_index_;
  Clock::time_point arrival_, run_end_;
  sim::Rng rng_;

  BlockingSocket socket_;
  std::string pending_;  // bytes read past the last response
  Clock::time_point intended_;
  uint64_t requests_left_ = 0;
  uint32_t failures_ = 0;
  uint32_t on_connection_ = 0;
  ClientObservations out_;
  uint64_t backend_sequence_ = 0;
};

}  // namespace ctplab::conformance::live
