// The shared global rate-limit service: answers a round trip later, counts for every caller in
// one store, refuses during an outage and times out when slow; the filter then fails open.
#include "ctplab/simulator/gateway/ratelimit_service_model.h"

#include <gtest/gtest.h>

#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace ctplab::sim::gateway {
namespace {

using proxy::ratelimit::GlobalCheckReply;
using proxy::ratelimit::GlobalDescriptor;
using proxy::ratelimit::Limit;
using proxy::ratelimit::Unit;

Duration ms(int64_t n) { return Duration::milliseconds(n); }

std::vector<GlobalDescriptor> perMinute(uint32_t requests) {
  return {{0, "route/rule/0", Limit{requests, Unit::kMinute}, false}};
}

scenario::RateLimitServiceProfile roundTrip(Duration rtt, Duration timeout = ms(20)) {
  scenario::RateLimitServiceProfile p;
  p.round_trip = scenario::DurationDistribution::constant(rtt);
  p.timeout = timeout;
  return p;
}

// The in-memory store, counting the checks that reach it.
class CountingStore final : public proxy::ratelimit::GlobalRateLimitStore {
 public:
  explicit CountingStore(std::shared_ptr<uint64_t> hits) : hits_(std::move(hits)) {}
  void check(std::span<const GlobalDescriptor> d, TimePoint now, Done done) override {
    ++*hits_;
    inner_.check(d, now, std::move(done));
  }

 private:
  std::shared_ptr<uint64_t> hits_;
  proxy::ratelimit::FixedWindowStore inner_;
};

struct Answer {
  TimePoint at;
  GlobalCheckReply reply;
};

// Sends a check at `at` and records when and what comes back.
void sendAt(Simulator& sim, RateLimitServiceModel& service, TimePoint at,
            std::vector<GlobalDescriptor> d, std::vector<Answer>& answers) {
  sim.schedule(at, [&sim, &service, &answers, d = std::move(d)]() mutable {
    service.check(sim, std::move(d), [&sim, &answers](const GlobalCheckReply& reply) {
      answers.push_back({sim.now(), reply});
    });
  });
}

TEST(RateLimitServiceModel, AnswersOneRoundTripLaterAndCountsForEveryCaller) {
  Simulator sim;
  const TimePoint t0 = sim.now();
  RateLimitServiceModel service(roundTrip(ms(4)), {}, sim.rngFor("service"));
  std::vector<Answer> answers;
  // Two callers (two replicas) share the counter: the third check is over the limit.
  for (int i = 0; i < 3; ++i) sendAt(sim, service, t0 + ms(i), perMinute(2), answers);
  sim.run();
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].at, t0 + ms(4));
  EXPECT_EQ(answers[2].at, t0 + ms(6));
  EXPECT_FALSE(answers[0].reply.failed);
  EXPECT_EQ(answers[0].reply.statuses[0].remaining, 1u);
  EXPECT_FALSE(answers[1].reply.statuses[0].over_limit);
  EXPECT_TRUE(answers[2].reply.statuses[0].over_limit);
  EXPECT_EQ(service.stats().checks, 3u);
  EXPECT_EQ(service.stats().answered, 3u);
  EXPECT_EQ(service.stats().over_limit, 1u);
}

TEST(RateLimitServiceModel, AnOutageRefusesChecksThatArriveDuringIt) {
  Simulator sim;
  const TimePoint t0 = sim.now();
  std::vector<scenario::EnvironmentFault> faults(1);
  faults[0].from = Duration::seconds(10);
  faults[0].to = Duration::seconds(20);
  RateLimitServiceModel service(roundTrip(ms(2)), rateLimitServiceOutages(faults, t0),
                                sim.rngFor("service"));
  std::vector<Answer> answers;
  // Arrives at 9.999 s (before), at 10 s (during), at 20 s (after).
  sendAt(sim, service, t0 + Duration::seconds(10) - ms(2), perMinute(100), answers);
  sendAt(sim, service, t0 + Duration::seconds(10) - ms(1), perMinute(100), answers);
  sendAt(sim, service, t0 + Duration::seconds(20) - ms(1), perMinute(100), answers);
  sim.run();
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_FALSE(answers[0].reply.failed);
  EXPECT_TRUE(answers[1].reply.failed);
  EXPECT_EQ(answers[1].at, t0 + Duration::seconds(10) + ms(1));  // the refusal comes back
  EXPECT_FALSE(answers[2].reply.failed);
  EXPECT_EQ(service.stats().refused, 1u);
  // The refused check was never counted: the one after the outage is the minute's second.
  EXPECT_EQ(answers[2].reply.statuses[0].remaining, 98u);
  // What the data plane makes of a refusal: fail open.
  proxy::ratelimit::GlobalRateLimitSpec spec;
  spec.rules.resize(1);
  spec.rules[0].limit = {100, Unit::kMinute};
  const auto config = proxy::ratelimit::GlobalRateLimitConfig::create(spec).value();
  const auto decision = proxy::ratelimit::decideGlobal(config, perMinute(100), answers[1].reply);
  EXPECT_TRUE(decision.allowed);
  EXPECT_TRUE(decision.failed_open);
}

TEST(RateLimitServiceModel, TooSlowAnAnswerTimesOutButStillCounts) {
  Simulator sim;
  const TimePoint t0 = sim.now();
  auto hits = std::make_shared<uint64_t>(0);
  RateLimitServiceModel service(roundTrip(ms(30), ms(20)), {}, sim.rngFor("service"),
                                std::make_unique<CountingStore>(hits));
  std::vector<Answer> answers;
  sendAt(sim, service, t0, perMinute(1), answers);
  sim.run();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].reply.failed);
  EXPECT_EQ(answers[0].at, t0 + ms(20));
  EXPECT_EQ(service.stats().timed_out, 1u);
  // The service still counted the hit when it got there, half a round trip after sending.
  EXPECT_EQ(*hits, 1u);
}

TEST(RateLimitServiceModel, RoundTripsFromADistributionAreReproducible) {
  auto run = [] {
    Simulator sim;
    scenario::RateLimitServiceProfile p;
    p.round_trip.kind = scenario::DurationDistribution::Kind::kExponential;
    p.round_trip.mean = ms(3);
    RateLimitServiceModel service(p, {}, sim.rngFor("service"));
    std::vector<Answer> answers;
    for (int i = 0; i < 50; ++i) sendAt(sim, service, sim.now() + ms(i), perMinute(10), answers);
    sim.run();
    std::vector<int64_t> times;
    for (const auto& a : answers) times.push_back(a.at.unixNanos());
    return std::make_pair(times, service.stats().timed_out);
  };
  const auto a = run();
  EXPECT_EQ(a, run());
  EXPECT_EQ(a.first.size(), 50u);
}

}  // namespace
}  // namespace ctplab::sim::gateway
