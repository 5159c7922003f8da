// Reads what the backend received from an echo backend's reply: the JSON body the Gateway API
// conformance echo server writes (method, path, host, headers), plus ctplab's detected address.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctplab::conformance::live {

struct EchoedRequest {
  std::string method, path;
  // Host first (the echo server reports it apart), then every header by name in its order.
  std::vector<std::pair<std::string, std::string>> headers;
  // `ctplab.clientAddress`: the address the gateway detected; only ctplab's echo backend says it.
  std::optional<std::string> client_address;
};

// nullopt when `body` is not an echo reply (a local reply from the gateway, another backend).
std::optional<EchoedRequest> parseEchoReply(std::string_view body);

}  // namespace ctplab::conformance::live
