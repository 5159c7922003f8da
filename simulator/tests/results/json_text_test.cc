// JSON scalar text tests: escaping of every control character, UTF-8 pass-through and repair,
// shortest and fixed number formatting.
#include "ctplab/simulator/results/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace ctplab::sim::results {
namespace {

std::string jsonQuoted(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

std::string shortest(double v) {
  std::string out;
  appendJsonDouble(out, v);
  return out;
}

std::string fixed(double v, int decimals) {
  std::string out;
  appendJsonFixed(out, v, decimals);
  return out;
}

TEST(JsonTextTest, EscapesEveryControlCharacter) {
  const char* const kExpected[32] = {
      "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
      "\\b",     "\\t",     "\\n",     "\\u000b", "\\f",     "\\r",     "\\u000e", "\\u000f",
      "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
      "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"};
  for (int c = 0; c < 32; ++c) {
    const char ch = static_cast<char>(c);
    EXPECT_EQ(jsonQuoted(std::string_view(&ch, 1)), std::string("\"") + kExpected[c] + "\"") << c;
  }
  EXPECT_EQ(jsonQuoted(std::string_view("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonTextTest, EscapesQuoteAndBackslashOnly) {
  EXPECT_EQ(jsonQuoted(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
  EXPECT_EQ(jsonQuoted("\x7f~ "), "\"\x7f~ \"");  // DEL needs no escape in JSON.
  EXPECT_EQ(jsonQuoted(""), "\"\"");
}

TEST(JsonTextTest, PassesWellFormedUtf8Through) {
  for (const char* s : {"caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",
                        "\xEF\xBF\xBF", "\xED\x9F\xBF", "\xEE\x80\x80", "\xC2\x80"}) {
    EXPECT_EQ(jsonQuoted(s), std::string("\"") + s + "\"");
  }
}

TEST(JsonTextTest, ReplacesIllFormedUtf8) {
  const std::string r = "\xEF\xBF\xBD";
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"\x80", r},  // Stray continuation byte.
      {"a\xBF"
       "b",
       "a" + r + "b"},                      // ... between ASCII.
      {"\xC0\xAF", r + r},                  // Overlong '/': C0 is never a lead.
      {"\xE0\x80\xAF", r + r + r},          // Overlong three-byte form.
      {"\xED\xA0\x80", r + r + r},          // UTF-16 surrogate U+D800.
      {"\xF4\x90\x80\x80", r + r + r + r},  // Past U+10FFFF.
      {"\xF5\x80", r + r},                  // F5..FF never lead.
      {"\xFF", r},                          //
      {"\xE2\x82", r},                      // Truncated at the end: one replacement.
      {"\xE2\x82"
       "A",
       r + "A"},  // Truncated before ASCII.
      {"\xF0\x9F\x98"
       "\xF0\x9F\x98\x80",
       r + "\xF0\x9F\x98\x80"},  // Then a good one.
      {"\xC3\n", r + "\\n"},     // A control byte ends the sequence.
  };
  for (const Case& c : cases) EXPECT_EQ(jsonQuoted(c.in), "\"" + c.out + "\"") << c.in;
}

TEST(JsonTextTest, Integers) {
  std::string out;
  appendJsonInt(out, std::numeric_limits<int64_t>::min());
  out += ' ';
  appendJsonInt(out, 0);
  out += ' ';
  appendJsonUint(out, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(out, "-9223372036854775808 0 18446744073709551615");
}

TEST(JsonTextTest, ShortestDoublesLookLikeJavaScript) {
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(1e-7), "1e-7");
  EXPECT_EQ(shortest(1.5e-7), "1.5e-7");
  EXPECT_EQ(shortest(1e-6), "0.000001");
  EXPECT_EQ(shortest(1.25e-6), "0.00000125");
  EXPECT_EQ(shortest(1e21), "1e+21");
  EXPECT_EQ(shortest(1e20), "100000000000000000000");
  EXPECT_EQ(shortest(-0.0), "0");
  EXPECT_EQ(shortest(0.0), "0");
  EXPECT_EQ(shortest(100), "100");
  EXPECT_EQ(shortest(-1.5), "-1.5");
  EXPECT_EQ(shortest(123.456), "123.456");
  EXPECT_EQ(shortest(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(shortest(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(shortest(18446744073709551615.0), "18446744073709552000");
  EXPECT_EQ(shortest(1.23e-18), "1.23e-18");
  EXPECT_EQ(shortest(5e-324), "5e-324");
  EXPECT_EQ(shortest(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(shortest(std::nan("")), "null");
  EXPECT_EQ(shortest(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(shortest(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonTextTest, ShortestDoublesRoundTrip) {
  uint64_t state = 12345;
  for (int i = 0; i < 10'000; ++i) {
    state = state * 6364136223846793005u + 1442695040888963407u;  // Knuth's MMIX LCG.
    double v;
    const uint64_t exponent = static_cast<uint64_t>(i % 2000 + 24);  // Tiny to huge.
    const uint64_t bits = (state & ~(uint64_t{0x7FF} << 52)) | (exponent << 52);
    std::memcpy(&v, &bits, sizeof(v));
    const std::string text = shortest(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(JsonTextTest, FixedDecimals) {
  EXPECT_EQ(fixed(0.1, 3), "0.100");
  EXPECT_EQ(fixed(12.3456, 2), "12.35");
  EXPECT_EQ(fixed(2.5, 0), "2");  // Exact tie: to even.
  EXPECT_EQ(fixed(0.125, 2), "0.12");
  EXPECT_EQ(fixed(1.005, 2), "1.00");  // 1.005 is really 1.00499999999999989...
  EXPECT_EQ(fixed(-0.001, 2), "0.00");
  EXPECT_EQ(fixed(-0.0, 1), "0.0");
  EXPECT_EQ(fixed(-0.006, 2), "-0.01");
  EXPECT_EQ(fixed(1e21, 1), "1000000000000000000000.0");
  EXPECT_EQ(fixed(1.0, -3), "1");
  EXPECT_EQ(fixed(1.0 / 3.0, 40), "0.33333333333333331483");  // Clamped to 20 decimals.
  EXPECT_EQ(fixed(std::nan(""), 2), "null");
  EXPECT_EQ(fixed(std::numeric_limits<double>::max(), 0).size(), 309u);
}

}  // namespace
}  // namespace ctplab::sim::results
