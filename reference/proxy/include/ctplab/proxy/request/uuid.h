// Request IDs: a version-4 UUID formatted from 128 bits the caller drew, so the data plane never
// reads a random source and a seeded run produces the same IDs every time.
#pragma once

#include <cstdint>
#include <string>

namespace ctplab::proxy::request {

// Big-endian: `high` supplies the first eight bytes of the UUID.
struct RandomBits128 {
  uint64_t high = 0;
  uint64_t low = 0;
};

// `xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx` in lower-case hex, as Envoy's generator writes it: the
// version nibble is forced to 4 and the variant bits to RFC 4122 (V is 8, 9, a or b), so 122 of
// the 128 bits show.
std::string formatUuidV4(RandomBits128 bits);

}  // namespace ctplab::proxy::request
