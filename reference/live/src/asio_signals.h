// Asio's signal handling, for the one file that needs it, on top of the common Asio includes
// (which must come first, see asio.h).
#pragma once

// clang-format off
#include "asio.h"
#include <boost/asio/signal_set.hpp>
// clang-format on
