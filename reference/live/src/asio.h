// The one place reference/live includes Boost.Asio, so every translation unit sees the same
// configuration (separate compilation: the implementation is built once, in asio_impl.cc).
#pragma once

// clang-format off
// Boost 1.74's Asio uses std::exchange without including <utility> (GCC 12, C++20): first.
#include <utility>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
// clang-format on

namespace ctplab::live {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
using udp = boost::asio::ip::udp;
using error_code = boost::system::error_code;
// Every worker binds its own socket to a shared port (TCP and UDP alike).
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace ctplab::live
