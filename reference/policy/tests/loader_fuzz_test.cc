// Robustness: mutated and truncated manifests must yield diagnostics or results, never a crash
// or an exception (the sanitizer build runs this too).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "engine_test_util.h"

namespace ctplab::policy {
namespace {

std::string example() {
  std::ifstream in(std::string(CTPLAB_SOURCE_DIR) +
                   "/scenarios/examples/gateway-with-policies.yaml");
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// SplitMix64: a fixed, portable sequence so failures reproduce.
uint64_t next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

TEST(LoaderFuzz, MutatedManifestsNeverCrash) {
  const std::string base = example();
  ASSERT_FALSE(base.empty());
  const std::string alphabet = ":-[]{}'\"\n #&*!|>%@`,?0123456789abcxyz\t";
  uint64_t rng = 42;
  for (int round = 0; round < 2000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(next(rng) % 8);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t pos = next(rng) % text.size();
      switch (next(rng) % 4) {
        case 0:
          text[pos] = alphabet[next(rng) % alphabet.size()];
          break;
        case 1:
          text.erase(pos, 1 + next(rng) % 16);
          break;
        case 2:
          text.insert(pos, 1, alphabet[next(rng) % alphabet.size()]);
          break;
        default:
          text.resize(pos);
          break;
      }
    }
    EXPECT_NO_THROW({
      LoadResult r;
      loadText(text, "fuzz.yaml", r);
      TranslateOptions o;
      o.now = TimePoint::fromUnixSeconds(1780272000);
      auto result = translate(r.resources, o);
      (void)result;
    }) << "round "
       << round;
  }
}

}  // namespace
}  // namespace ctplab::policy
