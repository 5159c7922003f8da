// Go's quoting as it reaches Envoy Gateway's messages: strconv.Quote (%q) and the time package's
// own quote in duration errors, which escape different bytes.
#include "pki/go_strings.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::policy::pki {
namespace {

TEST(GoQuote, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(goQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(goQuote("\a\b\f\n\r\t\v"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(goQuote(std::string("\x01\x1f\x7f", 3)), "\"\\x01\\x1f\\x7f\"");
  EXPECT_EQ(goQuote(std::string(1, '\0')), "\"\\x00\"");
}

TEST(GoQuote, CopiesPrintableUnicodeAndEscapesTheRest) {
  EXPECT_EQ(goQuote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  EXPECT_EQ(goQuote("a\xC2\xA0"
                    "b"),
            "\"a\\u00a0b\"");                                 // no-break space
  EXPECT_EQ(goQuote("\xC2\x85"), "\"\\u0085\"");              // C1 control
  EXPECT_EQ(goQuote("\xE2\x80\x8B"), "\"\\u200b\"");          // zero width space
  EXPECT_EQ(goQuote("\xEF\xBB\xBF"), "\"\\ufeff\"");          // byte order mark
  EXPECT_EQ(goQuote("\xF3\xB0\x80\x80"), "\"\\U000f0000\"");  // plane 15 private use
}

TEST(GoQuote, EscapesEachByteOfInvalidUtf8) {
  EXPECT_EQ(goQuote("a\xFF"
                    "b"),
            "\"a\\xffb\"");
  EXPECT_EQ(goQuote("\xC3"), "\"\\xc3\"");                    // truncated sequence
  EXPECT_EQ(goQuote("\xED\xA0\x80"), "\"\\xed\\xa0\\x80\"");  // a surrogate is not a rune
}

TEST(GoTimeQuote, EscapesEveryNonAsciiAndControlByte) {
  EXPECT_EQ(goTimeQuote("1x"), "\"1x\"");
  EXPECT_EQ(goTimeQuote("a\"b\\"), "\"a\\\"b\\\\\"");
  EXPECT_EQ(goTimeQuote("\n"), "\"\\x0a\"");
  EXPECT_EQ(goTimeQuote("5\xC2\xB5s"), "\"5\\xc2\\xb5s\"");  // a valid rune too
  EXPECT_EQ(goTimeQuote("\xFF"), "\"\\xff\"");
  EXPECT_EQ(goTimeQuote("\x7f"), "\"\x7f\"");  // DEL is below the time package's cut-off
}

}  // namespace
}  // namespace ctplab::policy::pki
