// Creates the nghttp2 server session whose C callbacks forward to a ServerConnection::Impl, and
// the data-provider callback that reads response bodies from that Impl's streams.
#pragma once

#include <nghttp2/nghttp2.h>

#include "ctplab/proxy/http2/server_connection.h"
#include "http2/nghttp2_handles.h"

namespace ctplab::proxy::http2 {

// Null when nghttp2 cannot allocate. Window updates are left to the Impl (consumed on pull).
SessionPtr newServerSession(ServerConnection::Impl& impl);

nghttp2_data_provider bodyProvider();

}  // namespace ctplab::proxy::http2
