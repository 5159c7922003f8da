// The watermark hysteresis all flow control uses: above when more than the limit is held, below
// again only at half of it; no limit never pauses.
#include "ctplab/proxy/connection/watermark.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::connection {
namespace {

TEST(ConnectionWatermark, PausesAboveTheLimitAndResumesAtHalf) {
  Watermark w(100);
  EXPECT_EQ(w.room(0), 101u);
  EXPECT_EQ(w.update(100), Watermark::Change::kNone);
  EXPECT_EQ(w.update(101), Watermark::Change::kAbove);
  EXPECT_EQ(w.room(101), 0u);
  EXPECT_EQ(w.update(200), Watermark::Change::kNone);
  EXPECT_EQ(w.update(51), Watermark::Change::kNone);
  EXPECT_TRUE(w.above());
  EXPECT_EQ(w.update(50), Watermark::Change::kBelow);
  EXPECT_EQ(w.room(50), 51u);
}

TEST(ConnectionWatermark, NoLimitOrZeroNeverPauses) {
  for (Watermark w : {Watermark(std::nullopt), Watermark(0)}) {
    EXPECT_EQ(w.update(1u << 30), Watermark::Change::kNone);
    EXPECT_FALSE(w.above());
    EXPECT_EQ(w.room(1u << 30), std::nullopt);
  }
}

}  // namespace
}  // namespace ctplab::proxy::connection
