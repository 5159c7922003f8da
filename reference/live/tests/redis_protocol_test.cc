// RESP through hiredis: commands encode as arrays of bulk strings, replies decode from pieces of
// any size, and a stream that is not RESP is an error rather than a guess.
#include "ctplab/live/redis_protocol.h"

#include <gtest/gtest.h>

namespace ctplab::live {
namespace {

TEST(RedisProtocol, CommandsAreArraysOfBulkStrings) {
  EXPECT_EQ(formatRedisCommand({"INCRBY", "k 1", "1"}),
            "*3\r\n$6\r\nINCRBY\r\n$3\r\nk 1\r\n$1\r\n1\r\n");
  // Binary-safe: a key may hold CR LF and NUL.
  const std::string key("a\r\n\0b", 5);
  EXPECT_EQ(formatRedisCommand({"GET", key}),
            std::string("*2\r\n$3\r\nGET\r\n$5\r\na\r\n\0b\r\n", 24));
}

TEST(RedisProtocol, RepliesDecodeFromAnySplit) {
  const std::string stream = ":42\r\n+OK\r\n-ERR wrong\r\n$5\r\nhello\r\n$-1\r\n*2\r\n:1\r\n:7\r\n";
  for (size_t split = 0; split <= stream.size(); ++split) {
    RedisReplyReader reader;
    std::vector<RedisReply> replies;
    for (auto part : {stream.substr(0, split), stream.substr(split)}) {
      reader.feed(part);
      for (;;) {
        auto next = reader.next();
        ASSERT_TRUE(next.ok()) << next.error().message;
        if (!next.value()) break;
        replies.push_back(std::move(*next.value()));
      }
    }
    ASSERT_EQ(replies.size(), 6u) << "split at " << split;
    EXPECT_EQ(replies[0].kind, RedisReply::Kind::kInteger);
    EXPECT_EQ(replies[0].integer, 42);
    EXPECT_EQ(replies[1].kind, RedisReply::Kind::kStatus);
    EXPECT_EQ(replies[1].text, "OK");
    EXPECT_EQ(replies[2].kind, RedisReply::Kind::kError);
    EXPECT_EQ(replies[2].text, "ERR wrong");
    EXPECT_EQ(replies[3].text, "hello");
    EXPECT_EQ(replies[4].kind, RedisReply::Kind::kNil);
    ASSERT_EQ(replies[5].elements.size(), 2u);
    EXPECT_EQ(replies[5].elements[1].integer, 7);
  }
}

TEST(RedisProtocol, AStreamThatIsNotRespIsAnError) {
  RedisReplyReader reader;
  reader.feed("HTTP/1.1 200 OK\r\n");
  auto next = reader.next();
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.error().message.find("redis protocol error"), std::string::npos);
}

}  // namespace
}  // namespace ctplab::live
