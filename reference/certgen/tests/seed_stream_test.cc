#include "seed_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace ctplab::certgen {
namespace {

std::string draw(uint64_t seed, const std::string& label, size_t n) {
  std::string out(n, '\0');
  SeedStream stream(seed, label);
  EXPECT_TRUE(stream.read(reinterpret_cast<unsigned char*>(out.data()), n));
  return out;
}

TEST(SeedStream, SameSeedAndLabelGiveTheSameBytes) {
  EXPECT_EQ(draw(1, "key/ca", 100), draw(1, "key/ca", 100));
}

TEST(SeedStream, SeedAndLabelBothSeparateStreams) {
  const std::string base = draw(1, "key/ca", 64);
  EXPECT_NE(base, draw(2, "key/ca", 64));
  EXPECT_NE(base, draw(1, "key/cb", 64));
  EXPECT_NE(base, draw(1, "key/ca2", 64));
}

TEST(SeedStream, ReadsSplitAnywhereConcatenateToOneStream) {
  const std::string whole = draw(7, "x", 100);
  SeedStream stream(7, "x");
  std::array<unsigned char, 100> parts{};
  ASSERT_TRUE(stream.read(parts.data(), 5));
  ASSERT_TRUE(stream.read(parts.data() + 5, 40));  // crosses the first 32-byte block
  ASSERT_TRUE(stream.read(parts.data() + 45, 55));
  EXPECT_EQ(whole, std::string(parts.begin(), parts.end()));
}

TEST(SeedStream, BlocksDiffer) {
  const std::string bytes = draw(1, "x", 64);
  EXPECT_NE(bytes.substr(0, 32), bytes.substr(32, 32));
}

}  // namespace
}  // namespace ctplab::certgen
