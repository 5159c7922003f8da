// Trailing-dot removal on the authority, the way Envoy's HeaderUtility::stripTrailingHostDot does.
#include "ctplab/proxy/request/host_normalization.h"

namespace ctplab::proxy::request {

void stripTrailingHostDot(std::string& authority) {
  const size_t dot = authority.rfind('.');
  if (dot == std::string::npos) return;
  if (dot + 1 == authority.size()) {
    authority.pop_back();
    return;
  }
  // A dot right before a colon ends the host and precedes the port.
  if (authority[dot + 1] == ':') authority.erase(dot, 1);
}

}  // namespace ctplab::proxy::request
