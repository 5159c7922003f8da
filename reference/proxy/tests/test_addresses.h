// Addresses for the data-plane tests, written as text: a test that names an invalid one is a bug
// in the test, so parsing failures are not handled.
#pragma once

#include "ctplab/common/ip_address.h"

namespace ctplab::proxy::test {

inline IpAddress ip(const char* text) { return *IpAddress::parse(text); }

}  // namespace ctplab::proxy::test
