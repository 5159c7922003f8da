// Random and mutated input in random splits (fixed seed): the codec must not crash, must keep
// its memory bound, and must end every input in requests, a protocol error or a reset.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http1/codec_harness.h"

namespace ctplab::proxy::http1 {
namespace {

using testing::Harness;
using testing::TestRng;

const std::vector<std::string> kSeeds = {
    "GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n",
    "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nframes",
    "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "HEAD / HTTP/1.1\r\nX_Y: z\r\nConnection: close\r\n\r\n",
    "OPTIONS * HTTP/1.1\r\nUpgrade: TLS/1.2\r\nConnection: Upgrade\r\n\r\n",
};

const std::vector<std::string> kTokens = {"\r\n",
                                          "\r\n\r\n",
                                          ":",
                                          " ",
                                          "\n",
                                          "\t",
                                          "_",
                                          "HTTP/1.1",
                                          "HTTP/1.0",
                                          "Content-Length: ",
                                          "Transfer-Encoding: chunked",
                                          "Connection: close",
                                          "Upgrade: websocket",
                                          "0\r\n\r\n",
                                          "ffffffffffffffff\r\n",
                                          "GET / HTTP/1.1\r\n",
                                          std::string(1, '\0'),
                                          "\xff",
                                          "99999999999999999999"};

std::string randomBytes(TestRng& rng) {
  std::string out;
  const size_t n = rng.below(200);
  for (size_t i = 0; i < n; ++i) {
    if (rng.below(4) == 0) {
      out += kTokens[rng.below(kTokens.size())];
    } else {
      out.push_back(static_cast<char>(rng.below(256)));
    }
  }
  return out;
}

std::string mutate(std::string s, TestRng& rng) {
  const size_t mutations = rng.below(5);  // 0: a valid seed, still in random splits
  for (size_t m = 0; m < mutations; ++m) {
    const size_t at = s.empty() ? 0 : rng.below(s.size() + 1);
    switch (rng.below(5)) {
      case 0:
        if (at < s.size()) s[at] = static_cast<char>(rng.below(256));
        break;
      case 1:
        s.insert(at, kTokens[rng.below(kTokens.size())]);
        break;
      case 2:
        s.erase(at, rng.below(8));
        break;
      case 3:
        s.insert(at, s.substr(at, rng.below(40)));
        break;
      default:
        s += kSeeds[rng.below(kSeeds.size())];
        break;
    }
  }
  return s;
}

CodecOptions randomOptions(TestRng& rng) {
  CodecOptions o;
  o.max_request_headers_kb = 1 + static_cast<uint32_t>(rng.below(2));
  o.max_request_headers_count = 2 + static_cast<uint32_t>(rng.below(100));
  o.headers_with_underscores_action = static_cast<HeadersWithUnderscoresAction>(rng.below(3));
  o.accept_http10 = rng.below(2) == 0;
  o.enable_trailers = rng.below(2) == 0;
  o.read_window_bytes = 1 + static_cast<uint32_t>(rng.below(300));
  if (rng.below(3) == 0) o.max_request_body_bytes = rng.below(10);
  if (rng.below(2) == 0) o.ignored_upgrade_types = {{UpgradeTypeMatch::Kind::kPrefix, "TLS/"}};
  return o;
}

// Per request: head, body*, then complete / error / reset; an error or reset ends the stream.
void expectWellFormed(const std::vector<Event>& events) {
  uint64_t last_id = 0;
  bool terminal = false;
  bool open = false;  // a head was seen and its request did not finish
  for (const Event& e : events) {
    ASSERT_FALSE(terminal) << describe(e) << " after an error or reset";
    const uint64_t id = requestIdOf(e);
    ASSERT_GE(id, last_id) << describe(e);
    if (std::holds_alternative<RequestHead>(e)) {
      ASSERT_FALSE(open) << describe(e);
      ASSERT_GT(id, last_id);
      open = true;
    } else if (std::holds_alternative<BodyData>(e)) {
      ASSERT_TRUE(open && id == last_id) << describe(e);
    } else if (std::holds_alternative<RequestComplete>(e)) {
      ASSERT_TRUE(open && id == last_id) << describe(e);
      open = false;
    } else {
      terminal = true;
    }
    last_id = id;
  }
}

bool hasRequestByte(const std::string& input) {
  return input.find_first_not_of("\r\n") != std::string::npos;
}

TEST(Http1Fuzz, RandomAndMutatedInputInRandomSplits) {
  TestRng rng(20261126);
  size_t errors = 0, completes = 0;
  for (int iteration = 0; iteration < 10000; ++iteration) {
    const std::string input =
        rng.below(3) == 0 ? randomBytes(rng) : mutate(kSeeds[rng.below(kSeeds.size())], rng);
    const CodecOptions options = randomOptions(rng);
    Harness h(options);
    // Feed by hand so the memory bound can be checked after every call.
    size_t accepted = 0;
    for (int guard = 0; accepted < input.size() && guard < 20000; ++guard) {
      const size_t piece = std::min<size_t>(1 + rng.below(24), input.size() - accepted);
      accepted += h.codec().feed(std::string_view(input).substr(accepted, piece));
      ASSERT_LE(h.codec().bufferedBytes(), options.read_window_bytes);
      h.pump();
    }
    h.peerClose();
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    expectWellFormed(h.events());
    bool ended = false;
    for (const Event& e : h.events()) {
      if (std::holds_alternative<ProtocolError>(e)) {
        ++errors;
        ended = true;
        if (std::get<ProtocolError>(e).replied) {
          EXPECT_NE(
              h.output().find("HTTP/1.1 " + std::to_string(std::get<ProtocolError>(e).status)),
              std::string::npos);
        }
      }
      if (std::holds_alternative<RequestComplete>(e)) {
        ++completes;
        ended = true;
      }
      if (std::holds_alternative<PeerReset>(e)) ended = true;
    }
    if (hasRequestByte(input)) {
      EXPECT_TRUE(ended) << "no outcome for input of " << input.size() << " bytes";
    }
    // After the peer left, only a tunnel whose server side is still open may stay.
    const bool tunnel = !h.events().empty() &&
                        std::holds_alternative<RequestComplete>(h.events().back()) &&
                        h.lines().front().find("tunnel=") != std::string::npos;
    EXPECT_TRUE(h.codec().shouldClose() || tunnel);

    // The same input in one piece ends identically.
    Harness whole(options);
    whole.feed(input);
    whole.peerClose();
    EXPECT_EQ(whole.lines(), h.lines());
    EXPECT_EQ(whole.output(), h.output());
  }
  // The mix exercises both outcomes, not just one.
  EXPECT_GT(errors, 2000u);
  EXPECT_GT(completes, 2000u);
}

}  // namespace
}  // namespace ctplab::proxy::http1
