// The gateway calibration measures: the live proxy, in this process, with a plain-HTTP listener
// and two HTTPS listeners (ECDSA P-256 and RSA-2048 certificates) forwarding to the origin.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ctplab/proxy/result.h"

namespace ctplab::cli::calibrate {

// Where the clients connect; every port is on `host`.
struct CalibrationEndpoints {
  std::string host;
  uint16_t http = 0, https_ecdsa = 0, https_rsa = 0;
  std::string sni;  // the name both server certificates are issued for
};

class CalibrationGateway {
 public:
  // Generates the certificates, translates the built-in resources, binds every port on loopback
  // (ports the kernel picks) and serves on threads of its own until destroyed.
  static proxy::Result<std::unique_ptr<CalibrationGateway>> start(uint16_t origin_port,
                                                                  uint32_t workers);

  struct State;
  explicit CalibrationGateway(std::unique_ptr<State> state);
  // Stops the proxy and joins its threads.
  ~CalibrationGateway();
  CalibrationGateway(const CalibrationGateway&) = delete;
  CalibrationGateway& operator=(const CalibrationGateway&) = delete;

  const CalibrationEndpoints& endpoints() const;
  // What the proxy logged, for when something went wrong.
  std::string log() const;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace ctplab::cli::calibrate
