// The C callbacks nghttp2 calls, each forwarding to the ServerConnection::Impl passed as user
// data, and the session options the server connection relies on.
#include "http2/session_callbacks.h"

#include <string_view>

#include "http2/connection_impl.h"

namespace ctplab::proxy::http2 {
namespace {

ServerConnection::Impl& self(void* user_data) {
  return *static_cast<ServerConnection::Impl*>(user_data);
}

std::string_view view(const uint8_t* data, size_t length) {
  return {reinterpret_cast<const char*>(data), length};
}

int onBeginFrame(nghttp2_session*, const nghttp2_frame_hd* hd, void* user_data) {
  return self(user_data).onBeginFrame(*hd);
}

int onBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return self(user_data).onBeginHeaders(*frame);
}

int onHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
             const uint8_t* value, size_t valuelen, uint8_t, void* user_data) {
  return self(user_data).onHeader(*frame, view(name, namelen), view(value, valuelen));
}

int onFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return self(user_data).onFrameRecv(*frame);
}

int onDataChunkRecv(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                    size_t length, void* user_data) {
  return self(user_data).onDataChunk(stream_id, view(data, length));
}

int onStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
  return self(user_data).onStreamClose(stream_id);
}

int onFrameSend(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  return self(user_data).onFrameSend(*frame);
}

int onInvalidFrameRecv(nghttp2_session*, const nghttp2_frame* frame, int lib_error_code,
                       void* user_data) {
  return self(user_data).onInvalidFrame(*frame, lib_error_code);
}

ssize_t readBody(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                 uint32_t* data_flags, nghttp2_data_source*, void* user_data) {
  return self(user_data).readBody(stream_id, buf, length, data_flags);
}

}  // namespace

SessionPtr newServerSession(ServerConnection::Impl& impl) {
  nghttp2_session_callbacks* raw_callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&raw_callbacks) != 0) return nullptr;
  const CallbacksPtr callbacks(raw_callbacks);
  nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks.get(), onBeginFrame);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks.get(), onBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(callbacks.get(), onHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks.get(), onFrameRecv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks.get(), onDataChunkRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks.get(), onStreamClose);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks.get(), onFrameSend);
  nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(callbacks.get(), onInvalidFrameRecv);

  nghttp2_option* raw_option = nullptr;
  if (nghttp2_option_new(&raw_option) != 0) return nullptr;
  const OptionPtr option(raw_option);
  // Windows reopen when the application pulls body data, not when nghttp2 has parsed it: that
  // is the connection's back-pressure.
  nghttp2_option_set_no_auto_window_update(option.get(), 1);

  nghttp2_session* session = nullptr;
  if (nghttp2_session_server_new2(&session, callbacks.get(), &impl, option.get()) != 0) {
    return nullptr;
  }
  return SessionPtr(session);
}

nghttp2_data_provider bodyProvider() {
  nghttp2_data_provider provider{};
  provider.read_callback = readBody;
  return provider;
}

}  // namespace ctplab::proxy::http2
