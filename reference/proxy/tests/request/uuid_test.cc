// Version-4 UUID formatting from caller-supplied bits.
#include "ctplab/proxy/request/uuid.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::request {
namespace {

TEST(RequestUuid, ZeroBitsStillCarryVersionAndVariant) {
  EXPECT_EQ(formatUuidV4({0, 0}), "00000000-0000-4000-8000-000000000000");
}

TEST(RequestUuid, AllOnesKeepOnlyTheFixedBitsForced) {
  EXPECT_EQ(formatUuidV4({~uint64_t{0}, ~uint64_t{0}}), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST(RequestUuid, BitsAreBigEndianLowerCaseHex) {
  const std::string id = formatUuidV4({0x0123456789abcdefULL, 0xfedcba9876543210ULL});
  EXPECT_EQ(id, "01234567-89ab-4def-bedc-ba9876543210");
  // Shape: 36 characters, dashes at 8/13/18/23, version 4, variant 8..b.
  ASSERT_EQ(id.size(), 36u);
  for (size_t dash : {8u, 13u, 18u, 23u}) EXPECT_EQ(id[dash], '-');
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
}

}  // namespace
}  // namespace ctplab::proxy::request
