// The ngtcp2 0.12 names that ngtcp2 1.x renamed, in one place: an upgrade edits these aliases
// (and settings.token, a ngtcp2_vec in 0.12, a pointer + length in 1.x) and nothing else.
#pragma once

#include <ngtcp2/ngtcp2.h>

namespace ctplab::proxy::http3::lib::compat {

// 1.x: ngtcp2_ccerr, ngtcp2_ccerr_default, ngtcp2_ccerr_set_*.
using CloseError = ngtcp2_connection_close_error;
inline void closeErrorDefault(CloseError* e) { ngtcp2_connection_close_error_default(e); }
inline void closeErrorApplication(CloseError* e, uint64_t code) {
  ngtcp2_connection_close_error_set_application_error(e, code, nullptr, 0);
}
inline void closeErrorLiberr(CloseError* e, int liberr) {
  ngtcp2_connection_close_error_set_transport_error_liberr(e, liberr, nullptr, 0);
}
// 1.x: ngtcp2_conn_get_ccerr.
inline void receivedCloseError(ngtcp2_conn* conn, CloseError* e) {
  ngtcp2_conn_get_connection_close_error(conn, e);
}
inline void closeErrorTlsAlert(CloseError* e, uint8_t alert) {
  ngtcp2_connection_close_error_set_transport_error_tls_alert(e, alert, nullptr, 0);
}

// 1.x: ngtcp2_encryption_level / NGTCP2_ENCRYPTION_LEVEL_1RTT.
using Level = ngtcp2_crypto_level;
constexpr Level kApplicationLevel = NGTCP2_CRYPTO_LEVEL_APPLICATION;

// 1.x: settings.token = pointer, settings.tokenlen = length.
inline void setToken(ngtcp2_settings* settings, const uint8_t* token, size_t len) {
  settings->token = ngtcp2_vec{const_cast<uint8_t*>(token), len};
}

}  // namespace ctplab::proxy::http3::lib::compat
