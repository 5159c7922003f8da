#include "pki/go_pem.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ctplab::policy::pki {
namespace {

TEST(PemTest, DecodeSkipsLeadingTextAndReturnsRest) {
  const std::string input =
      "junk before\n-----BEGIN THING-----\naGVsbG8=\n-----END THING-----\ntrailing";
  const PemDecodeResult r = decodePem(input);
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "THING");
  EXPECT_EQ(r.block->bytes, "hello");
  EXPECT_TRUE(r.block->headers.empty());
  EXPECT_EQ(r.rest, "trailing");
}

TEST(PemTest, DecodeReadsHeadersAndCrlf) {
  const std::string input =
      "-----BEGIN X-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info:  AES-128-CBC,00 \r\n\r\n"
      "aGVs\r\nbG8=\r\n-----END X-----\r\n";
  const PemDecodeResult r = decodePem(input);
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->bytes, "hello");
  ASSERT_EQ(r.block->headers.size(), 2u);
  EXPECT_EQ(r.block->headers.at("Proc-Type"), "4,ENCRYPTED");
  EXPECT_EQ(r.block->headers.at("DEK-Info"), "AES-128-CBC,00");
  EXPECT_EQ(r.rest, "");
}

TEST(PemTest, DecodeSkipsMalformedBlocks) {
  EXPECT_FALSE(decodePem("-----BEGIN A-----\naGVsbG8=\n-----END B-----\n").block);
  EXPECT_FALSE(decodePem("not pem at all").block);
  EXPECT_FALSE(decodePem("").block);
  EXPECT_FALSE(decodePem("x-----BEGIN A-----\naGk=\n-----END A-----\n").block);
  const PemDecodeResult r = decodePem(
      "-----BEGIN A-----\n!!!!\n-----END A-----\n-----BEGIN B-----\naGk=\n-----END B-----\n");
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "B");
  EXPECT_EQ(r.block->bytes, "hi");
  // Missing padding is a base64 error in Go, so the block is skipped.
  EXPECT_FALSE(decodePem("-----BEGIN A-----\naGk\n-----END A-----\n").block);
}

TEST(PemTest, DecodeSurvivesInputThatPanickedOlderGo) {
  const std::string input = "-----BEGIN X-----\n-----END X-----:\nA\n";
  const PemDecodeResult r = decodePem(input);
  EXPECT_FALSE(r.block.has_value());
  EXPECT_EQ(r.rest, input);
}

TEST(PemTest, DecodeEmptyBlock) {
  const PemDecodeResult r = decodePem("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
  ASSERT_TRUE(r.block.has_value());
  EXPECT_EQ(r.block->type, "CERTIFICATE");
  EXPECT_EQ(r.block->bytes, "");
}

TEST(PemTest, EncodeWrapsAt64ColumnsAndOrdersHeaders) {
  PemBlock block{
      "T", {{"Zeta", "1"}, {"Proc-Type", "4,ENCRYPTED"}, {"Alpha", "2"}}, std::string(49, 'a')};
  const std::optional<std::string> pem = encodePemBlock(block);
  ASSERT_TRUE(pem.has_value());
  EXPECT_EQ(*pem,
            "-----BEGIN T-----\nProc-Type: 4,ENCRYPTED\nAlpha: 2\nZeta: 1\n\n"
            "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh\nYQ==\n"
            "-----END T-----\n");
  EXPECT_FALSE(encodePemBlock(PemBlock{"T", {{"a:b", "c"}}, "x"}).has_value());
  const PemDecodeResult back = decodePem(*pem);
  ASSERT_TRUE(back.block.has_value());
  EXPECT_EQ(back.block->bytes, block.bytes);
  EXPECT_EQ(back.block->headers, block.headers);
}

}  // namespace
}  // namespace ctplab::policy::pki
