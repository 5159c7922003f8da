#include "ctplab/simulator/clients/request_bytes.h"

namespace ctplab::sim::clients {

std::string buildRequestHead(const scenario::RequestTemplate& request, const std::string& host) {
  std::string out = request.method + " " + request.path +
                    " HTTP/1.1\r\nhost: " + (request.host.empty() ? host : request.host) + "\r\n";
  for (const auto& [name, value] : request.headers) out += name + ": " + value + "\r\n";
  if (request.chunked) {
    out += "transfer-encoding: chunked\r\n";
  } else if (request.body_bytes > 0) {
    out += "content-length: " + std::to_string(request.body_bytes) + "\r\n";
  }
  out += "\r\n";
  return out;
}

std::string buildRequestBytes(const scenario::RequestTemplate& request, const std::string& host) {
  std::string out = buildRequestHead(request, host);
  if (request.chunked) {
    if (request.body_bytes > 0) {
      char size[32];
      int n = snprintf(size, sizeof size, "%llx\r\n",
                       static_cast<unsigned long long>(request.body_bytes));
      out.append(size, static_cast<size_t>(n));
      out.append(request.body_bytes, 'x');
      out += "\r\n";
    }
    out += "0\r\n\r\n";
  } else {
    out.append(request.body_bytes, 'x');
  }
  return out;
}

}  // namespace ctplab::sim::clients
