// Client preface recognition for prior-knowledge h2c.
#include "ctplab/proxy/http2/preface.h"

#include <algorithm>

namespace ctplab::proxy::http2 {

PrefaceMatch matchClientPreface(std::string_view bytes) {
  const size_t n = std::min(bytes.size(), kClientPreface.size());
  if (bytes.substr(0, n) != kClientPreface.substr(0, n)) return PrefaceMatch::kNo;
  return n == kClientPreface.size() ? PrefaceMatch::kYes : PrefaceMatch::kNeedMore;
}

}  // namespace ctplab::proxy::http2
