#include "live/echo_reply.h"

#include <nlohmann/json.hpp>

namespace ctplab::conformance::live {

std::optional<EchoedRequest> parseEchoReply(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  const auto path = json.find("path");
  const auto method = json.find("method");
  const auto headers = json.find("headers");
  if (path == json.end() || !path->is_string() || method == json.end() || !method->is_string() ||
      headers == json.end() || !headers->is_object()) {
    return std::nullopt;
  }
  EchoedRequest out;
  out.path = path->get<std::string>();
  out.method = method->get<std::string>();
  if (const auto host = json.find("host"); host != json.end() && host->is_string()) {
    out.headers.emplace_back("host", host->get<std::string>());
  }
  for (const auto& [name, values] : headers->items()) {
    if (values.is_string()) {
      out.headers.emplace_back(name, values.get<std::string>());
    } else if (values.is_array()) {
      for (const auto& v : values) {
        if (v.is_string()) out.headers.emplace_back(name, v.get<std::string>());
      }
    }
  }
  if (const auto own = json.find("ctplab"); own != json.end() && own->is_object()) {
    if (const auto addr = own->find("clientAddress"); addr != own->end() && addr->is_string()) {
      out.client_address = addr->get<std::string>();
    }
  }
  return out;
}

}  // namespace ctplab::conformance::live
