// However the bytes are split (at once, byte by byte, at random), the events, output, counters
// and close decision are the same.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http1/codec_harness.h"

namespace ctplab::proxy::http1 {
namespace {

using testing::Harness;
using testing::TestRng;

struct Outcome {
  std::vector<std::string> lines;
  std::string output;
  std::map<std::string, uint64_t> stats;
  bool closes = false;
  bool operator==(const Outcome&) const = default;
};

Outcome finish(Harness& h) {
  h.peerClose();
  return Outcome{h.lines(), h.output(), h.stats(), h.codec().shouldClose()};
}

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> inputs = {
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET /3 "
      "HTTP/1.1\r\nConnection: close\r\n\r\n",
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\n"
      "Expires: never\r\nX_Trailer: 1\r\n\r\nGET /after HTTP/1.1\r\n\r\n",
      "GET /ws HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: "
      "websocket\r\n\r\n\x81\x05hello",
      "GET /ok HTTP/1.1\r\n\r\nGET /bad HTTP/1.1\r\nX_Under: 1\r\n\r\nGET /never HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
      "POST /big HTTP/1.1\r\nContent-Length: 40\r\n\r\n0123456789012345678901234567890123456789",
      "GET /" + std::string(300, 'p') + " HTTP/1.1\r\nX: " + std::string(900, 'v') + "\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n folded\r\n\r\n",
      "\r\n\r\nGET /leading-crlf HTTP/1.1\r\n\r\n",
      "GET /h2c HTTP/1.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
      "HTTP2-Settings: AA\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
      "POST /partial HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
  };
  return inputs;
}

std::vector<CodecOptions> optionSets() {
  std::vector<CodecOptions> sets(4);
  sets[1].headers_with_underscores_action = HeadersWithUnderscoresAction::kDropHeader;
  sets[1].enable_trailers = true;
  sets[1].accept_http10 = true;
  sets[1].max_request_body_bytes = 20;
  sets[2].max_request_headers_kb = 1;
  sets[2].read_window_bytes = 8;
  sets[3].accept_http10 = true;
  sets[3].read_window_bytes = 1;
  return sets;
}

TEST(Http1SplitEquivalence, AnySplitGivesTheSameOutcome) {
  const auto options = optionSets();
  for (size_t o = 0; o < options.size(); ++o) {
    for (size_t i = 0; i < corpus().size(); ++i) {
      SCOPED_TRACE("options " + std::to_string(o) + ", input " + std::to_string(i));
      const std::string& input = corpus()[i];
      Harness whole(options[o]);
      whole.feed(input);
      const Outcome expected = finish(whole);
      ASSERT_FALSE(expected.lines.empty());

      Harness bytes(options[o]);
      bytes.feed(input, 1);
      EXPECT_EQ(finish(bytes), expected);

      TestRng rng(1000 * o + i);
      for (int round = 0; round < 20; ++round) {
        Harness random(options[o]);
        random.feedRandomSplits(input, rng, 1 + rng.below(12));
        EXPECT_EQ(finish(random), expected) << "round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace ctplab::proxy::http1
