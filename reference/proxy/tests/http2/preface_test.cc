// Prior-knowledge h2c detection: the client preface, a prefix of it, and HTTP/1.1 bytes.
#include "ctplab/proxy/http2/preface.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::proxy::http2 {
namespace {

TEST(Http2Preface, WholePrefaceMatches) {
  EXPECT_EQ(matchClientPreface(kClientPreface), PrefaceMatch::kYes);
  // Frames after the preface do not matter.
  EXPECT_EQ(matchClientPreface(std::string(kClientPreface) + "\x00\x00\x00\x04"),
            PrefaceMatch::kYes);
}

TEST(Http2Preface, PrefixNeedsMore) {
  EXPECT_EQ(matchClientPreface(""), PrefaceMatch::kNeedMore);
  EXPECT_EQ(matchClientPreface("P"), PrefaceMatch::kNeedMore);
  EXPECT_EQ(matchClientPreface("PRI * HTTP/2.0\r\n"), PrefaceMatch::kNeedMore);
  EXPECT_EQ(matchClientPreface(kClientPreface.substr(0, kClientPreface.size() - 1)),
            PrefaceMatch::kNeedMore);
}

TEST(Http2Preface, OtherBytesDoNotMatch) {
  EXPECT_EQ(matchClientPreface("GET / HTTP/1.1\r\n"), PrefaceMatch::kNo);
  EXPECT_EQ(matchClientPreface("PRI * HTTP/1.1\r\n"), PrefaceMatch::kNo);
  EXPECT_EQ(matchClientPreface("POST"), PrefaceMatch::kNo);
  EXPECT_EQ(matchClientPreface(std::string("\x16\x03\x01", 3)), PrefaceMatch::kNo);  // TLS
}

}  // namespace
}  // namespace ctplab::proxy::http2
