// Owning handles for the nghttp2 objects the server connection creates, so every exit path
// releases them with the library's own destructor functions.
#pragma once

#include <nghttp2/nghttp2.h>

#include <memory>

namespace ctplab::proxy::http2 {

struct SessionDeleter {
  void operator()(nghttp2_session* session) const { nghttp2_session_del(session); }
};
struct CallbacksDeleter {
  void operator()(nghttp2_session_callbacks* callbacks) const {
    nghttp2_session_callbacks_del(callbacks);
  }
};
struct OptionDeleter {
  void operator()(nghttp2_option* option) const { nghttp2_option_del(option); }
};

using SessionPtr = std::unique_ptr<nghttp2_session, SessionDeleter>;
using CallbacksPtr = std::unique_ptr<nghttp2_session_callbacks, CallbacksDeleter>;
using OptionPtr = std::unique_ptr<nghttp2_option, OptionDeleter>;

}  // namespace ctplab::proxy::http2
