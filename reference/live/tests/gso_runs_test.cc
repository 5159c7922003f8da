// The GSO grouping rule: which datagrams of a batch leave together.
#include "ctplab/live/gso_runs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctplab::live {
namespace {

using proxy::http3::Datagram;
using proxy::http3::UdpEndpoint;

UdpEndpoint peer(uint16_t port) { return {IpAddress::v4({127, 0, 0, 1}), port}; }

Datagram datagram(uint16_t port, size_t size) {
  return {peer(443), peer(port), std::string(size, 'x')};
}

std::vector<size_t> runs(const std::vector<Datagram>& out, size_t max_segments = 64,
                         size_t max_bytes = 65000) {
  std::vector<size_t> lengths;
  for (size_t i = 0; i < out.size();) {
    const size_t n = gsoRunLength(out, i, max_segments, max_bytes);
    lengths.push_back(n);
    i += n;
  }
  return lengths;
}

TEST(GsoRuns, SameSizeToOnePeerGoTogetherAndAShorterOneEndsTheRun) {
  const std::vector<Datagram> out = {datagram(1, 1200), datagram(1, 1200), datagram(1, 700),
                                     datagram(1, 1200), datagram(1, 1200)};
  EXPECT_EQ(runs(out), (std::vector<size_t>{3, 2}));
}

TEST(GsoRuns, AnotherPeerOrALargerDatagramStartsANewRun) {
  const std::vector<Datagram> out = {datagram(1, 1000), datagram(2, 1000), datagram(2, 1000),
                                     datagram(2, 1200), datagram(2, 1200)};
  EXPECT_EQ(runs(out), (std::vector<size_t>{1, 2, 2}));
}

TEST(GsoRuns, TheKernelsLimitsEndARun) {
  const std::vector<Datagram> many(10, datagram(1, 1000));
  EXPECT_EQ(runs(many, 4), (std::vector<size_t>{4, 4, 2}));
  EXPECT_EQ(runs(many, 64, 3500), (std::vector<size_t>{3, 3, 3, 1}));
}

TEST(GsoRuns, AnEmptyDatagramGoesAlone) {
  const std::vector<Datagram> out = {datagram(1, 100), datagram(1, 0), datagram(1, 100)};
  EXPECT_EQ(runs(out), (std::vector<size_t>{1, 1, 1}));
}

}  // namespace
}  // namespace ctplab::live
