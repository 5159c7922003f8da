#include "ctplab/simulator/clients/request_bytes.h"

#include <cctype>

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

proxy::http1::RequestHead buildQuicRequestHead(const scenario::RequestTemplate& request,
                                               const std::string& host) {
  proxy::http1::RequestHead head;
  head.method = request.method;
  head.target = request.path;
  head.version = {3, 0};
  head.headers.push_back({"host", request.host.empty() ? host : request.host});
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == "host") continue;  // :authority wins
    head.headers.push_back({std::move(lower), value});
  }
  if (request.body_bytes > 0) {
    head.headers.push_back({"content-length", std::to_string(request.body_bytes)});
    head.framing = proxy::http1::BodyFraming::kContentLength;
    head.content_length = request.body_bytes;
  }
  return head;
}

}  // namespace ctplab::sim::clients
