// Recognises the HTTP/2 client connection preface, so a plain-text port can tell prior-knowledge
// h2c from HTTP/1.1 by the first bytes a client sends.
#pragma once

#include <string_view>

namespace ctplab::proxy::http2 {

inline constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum class PrefaceMatch {
  kYes,       // the bytes begin with the whole preface
  kNo,        // they cannot be HTTP/2 prior knowledge
  kNeedMore,  // every byte so far matches; wait for more before deciding
};

PrefaceMatch matchClientPreface(std::string_view bytes);

}  // namespace ctplab::proxy::http2
