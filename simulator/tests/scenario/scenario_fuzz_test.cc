// Robustness: mutated and truncated scenario files must yield a scenario or located errors,
// never a crash or an exception (the sanitizer build runs this too).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "ctplab/common/splitmix64.h"
#include "ctplab/simulator/scenario/scenario_loader.h"

namespace ctplab::sim::scenario {
namespace {

std::string fixture() {
  std::ifstream in(std::string(CTPLAB_SOURCE_DIR) + "/simulator/tests/scenario/data/full.yaml");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// SplitMix64: a fixed, portable sequence so a failing round reproduces.
uint64_t next(SplitMix64& rng) { return rng.next(); }

std::string mutate(const std::string& base, SplitMix64& rng) {
  static const std::string kAlphabet = ":-[]{}'\"\n #&*!|>%@`,?/.0123456789abcsmxyz\t";
  std::string text = base;
  const int edits = 1 + static_cast<int>(next(rng) % 8);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    const size_t pos = next(rng) % text.size();
    switch (next(rng) % 5) {
      case 0:
        text[pos] = kAlphabet[next(rng) % kAlphabet.size()];
        break;
      case 1:
        text.erase(pos, 1 + next(rng) % 16);
        break;
      case 2:
        text.insert(pos, 1, kAlphabet[next(rng) % kAlphabet.size()]);
        break;
      case 3: {  // duplicate a slice, which repeats keys and list items
        const size_t len = std::min<size_t>(1 + next(rng) % 40, text.size() - pos);
        text.insert(next(rng) % text.size(), text.substr(pos, len));
        break;
      }
      default:
        text.resize(pos);
        break;
    }
  }
  return text;
}

// What a successful load promises, whatever the input looked like.
void checkInvariants(const LoadedScenario& r, const std::string& text, int round) {
  const int line_count = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const auto& d : r.diagnostics.all()) {
    EXPECT_EQ(d.location.file, "fuzz.yaml") << "round " << round;
    EXPECT_FALSE(d.message.empty()) << "round " << round;
    EXPECT_LE(d.location.line, line_count) << "round " << round << ": " << d.message;
  }
  if (!r.ok()) {
    EXPECT_GE(r.diagnostics.errorCount(), 1u);
    return;
  }
  EXPECT_FALSE(r.scenario.name.empty()) << "round " << round;
  ASSERT_FALSE(r.scenario.populations.empty()) << "round " << round;
  EXPECT_GT(r.scenario.duration, Duration()) << "round " << round;
  std::set<std::string> names;
  for (const auto& p : r.scenario.populations) {
    EXPECT_TRUE(names.insert(p.name).second) << "round " << round << ": " << p.name;
    EXPECT_GE(p.clients, 1u) << "round " << round;
    EXPECT_GT(p.location.line, 0) << "round " << round;
    if (p.arrival.kind == ArrivalProcess::Kind::kTrace) {
      EXPECT_EQ(p.arrival.trace.size(), p.clients) << "round " << round;
      EXPECT_TRUE(std::is_sorted(p.arrival.trace.begin(), p.arrival.trace.end()));
    }
  }
}

TEST(ScenarioFuzz, MutatedScenariosNeverCrash) {
  const std::string base = fixture();
  ASSERT_FALSE(base.empty());
  ASSERT_TRUE(loadScenarioText(base, "fuzz.yaml", "").ok());
  SplitMix64 rng(20260601);
  int ok = 0;
  for (int round = 0; round < 2000; ++round) {
    const std::string text = mutate(base, rng);
    LoadedScenario r;
    EXPECT_NO_THROW(r = loadScenarioText(text, "fuzz.yaml", "")) << "round " << round;
    checkInvariants(r, text, round);
    ok += r.ok() ? 1 : 0;
  }
  // Both outcomes must be exercised, or the mutations are too weak or too destructive.
  EXPECT_GT(ok, 0);
  EXPECT_LT(ok, 2000);
}

TEST(ScenarioFuzz, EveryTruncationIsHandled) {
  const std::string base = fixture();
  for (size_t len = 0; len < base.size(); len += 7) {
    const std::string text = base.substr(0, len);
    LoadedScenario r;
    EXPECT_NO_THROW(r = loadScenarioText(text, "fuzz.yaml", "")) << "length " << len;
    checkInvariants(r, text, static_cast<int>(len));
  }
}

TEST(ScenarioFuzz, LoadingIsDeterministic) {
  SplitMix64 rng(7);
  const std::string base = fixture();
  for (int round = 0; round < 50; ++round) {
    const std::string text = mutate(base, rng);
    auto a = loadScenarioText(text, "fuzz.yaml", "");
    auto b = loadScenarioText(text, "fuzz.yaml", "");
    ASSERT_EQ(a.diagnostics.all().size(), b.diagnostics.all().size());
    for (size_t i = 0; i < a.diagnostics.all().size(); ++i) {
      EXPECT_EQ(policy::formatDiagnostic(a.diagnostics.all()[i]),
                policy::formatDiagnostic(b.diagnostics.all()[i]));
    }
  }
}

}  // namespace
}  // namespace ctplab::sim::scenario
