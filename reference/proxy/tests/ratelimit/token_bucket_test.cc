// Continuous refill of one local rate-limit bucket, to the nanosecond (spec 5.3, 8.8).
#include "ctplab/proxy/ratelimit/token_bucket.h"

#include <gtest/gtest.h>

namespace ctplab::proxy::ratelimit {
namespace {

constexpr TimePoint kT0 = TimePoint::fromUnixSeconds(1000);

void drain(TokenBucket& bucket, TimePoint now, int n) {
  for (int i = 0; i < n; ++i) ASSERT_TRUE(bucket.tryConsume(now)) << i;
}

TEST(TokenBucket, StartsFullAndEmptiesAfterCapacityRequests) {
  TokenBucket bucket(3, Duration::seconds(1));
  EXPECT_EQ(bucket.capacity(), 3u);
  EXPECT_EQ(bucket.remaining(kT0), 3u);
  EXPECT_EQ(bucket.resetIn(kT0), Duration());
  drain(bucket, kT0, 3);
  EXPECT_EQ(bucket.remaining(kT0), 0u);
  EXPECT_FALSE(bucket.tryConsume(kT0));
}

TEST(TokenBucket, FullAgainExactlyOneUnitAfterDrainNotOneNanosecondBefore) {
  TokenBucket bucket(10, Duration::seconds(1));
  drain(bucket, kT0, 10);
  const TimePoint boundary = kT0 + Duration::seconds(1);
  EXPECT_EQ(bucket.remaining(boundary - Duration::nanoseconds(1)), 9u);
  EXPECT_EQ(bucket.remaining(boundary), 10u);
}

TEST(TokenBucket, OneTokenReturnsEveryUnitOverRequests) {
  TokenBucket bucket(4, Duration::seconds(1));  // one token per 250 ms
  drain(bucket, kT0, 4);
  EXPECT_EQ(bucket.resetIn(kT0), Duration::milliseconds(250));
  const TimePoint first = kT0 + Duration::milliseconds(250);
  EXPECT_FALSE(bucket.tryConsume(first - Duration::nanoseconds(1)));
  EXPECT_EQ(bucket.resetIn(first - Duration::nanoseconds(1)), Duration::nanoseconds(1));
  EXPECT_TRUE(bucket.tryConsume(first));
  EXPECT_FALSE(bucket.tryConsume(first));
}

TEST(TokenBucket, UnitBoundaryForMinuteBucket) {
  TokenBucket bucket(1, Duration::seconds(60));
  ASSERT_TRUE(bucket.tryConsume(kT0));
  EXPECT_EQ(bucket.resetIn(kT0), Duration::seconds(60));
  EXPECT_FALSE(bucket.tryConsume(kT0 + Duration::seconds(60) - Duration::nanoseconds(1)));
  EXPECT_TRUE(bucket.tryConsume(kT0 + Duration::seconds(60)));
}

TEST(TokenBucket, LongIdleDoesNotOverfill) {
  TokenBucket bucket(5, Duration::seconds(1));
  drain(bucket, kT0, 2);
  const TimePoint later = kT0 + Duration::seconds(86400 * 365);
  EXPECT_EQ(bucket.remaining(later), 5u);
  drain(bucket, later, 5);
  EXPECT_FALSE(bucket.tryConsume(later));
}

TEST(TokenBucket, HugeCapacityAndLongUnitDoNotOverflow) {
  TokenBucket bucket(4294967295u, Duration::seconds(31536000));
  ASSERT_TRUE(bucket.tryConsume(kT0));
  EXPECT_EQ(bucket.remaining(kT0), 4294967294u);
  EXPECT_EQ(bucket.remaining(kT0 + Duration::seconds(31536000)), 4294967295u);
}

TEST(TokenBucket, ZeroRequestsIsAlwaysEmpty) {
  TokenBucket bucket(0, Duration::seconds(1));
  EXPECT_EQ(bucket.remaining(kT0), 0u);
  EXPECT_FALSE(bucket.tryConsume(kT0));
  EXPECT_FALSE(bucket.tryConsume(kT0 + Duration::seconds(3600)));
  EXPECT_EQ(bucket.resetIn(kT0), Duration::seconds(1));
}

TEST(TokenBucket, EarlierInstantIsTreatedAsTheLastOne) {
  TokenBucket bucket(1, Duration::seconds(1));
  ASSERT_TRUE(bucket.tryConsume(kT0));
  EXPECT_FALSE(bucket.tryConsume(kT0 - Duration::seconds(5)));
  EXPECT_TRUE(bucket.tryConsume(kT0 + Duration::seconds(1)));
}

}  // namespace
}  // namespace ctplab::proxy::ratelimit
