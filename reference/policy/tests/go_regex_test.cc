// Go's regexp texts as the translator reports them: %q quoting, QuoteMeta, and Validate's message.
#include "go_regex.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::policy {
namespace {

TEST(GoRegexQuote, EscapesAsGoPercentQ) {
  EXPECT_EQ(goQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(goQuote("\n\t\r"), "\"\\n\\t\\r\"");
  // Other control bytes and DEL as two lower-case hex digits.
  EXPECT_EQ(goQuote(std::string("\x01\x1f\x7f", 3)), "\"\\x01\\x1f\\x7f\"");
  EXPECT_EQ(goQuote(std::string(1, '\0')), "\"\\x00\"");
}

TEST(GoRegexQuote, QuoteMetaEscapesTheSpecialCharacters) {
  EXPECT_EQ(goQuoteMeta("a.b+c*d?(e)|[f]{g}^h$\\"),
            "a\\.b\\+c\\*d\\?\\(e\\)\\|\\[f\\]\\{g\\}\\^h\\$\\\\");
  EXPECT_EQ(goQuoteMeta("/api/v1"), "/api/v1");
}

TEST(GoRegexQuote, ValidateNamesTheExpressionAndTheFault) {
  EXPECT_EQ(goRegexError("^/api/.*$"), std::nullopt);
  EXPECT_EQ(goRegexError("("),
            "regex \"(\" is invalid: error parsing regexp: missing closing ): `(`");
}

}  // namespace
}  // namespace ctplab::policy
