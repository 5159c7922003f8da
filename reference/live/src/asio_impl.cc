// Boost.Asio's implementation, compiled once for the whole library
// (BOOST_ASIO_SEPARATE_COMPILATION).
// clang-format off
#include <utility>  // before Asio, see asio.h
#include <boost/asio/impl/src.hpp>
// clang-format on
