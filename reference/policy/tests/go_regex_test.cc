// Go's regexp texts as the translator reports them: QuoteMeta, and Validate's message.
#include "go_regex.h"

#include <gtest/gtest.h>

#include <string>

namespace ctplab::policy {
namespace {

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
