// The text grammar of DESIGN.md "Commands": words, quotes, options and mentions.
#include "commands/grammar/command_text.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace funnelbot::commands {
namespace {

using Kind = Arg::Kind;

// A compact picture of one Arg, so a table row can state the whole expected result.
std::string describe(const Arg& a) {
    switch (a.kind) {
        case Kind::word:
            return std::string(a.quoted ? "Q" : "W") + "[" + a.text + "]";
        case Kind::option: {
            std::string s = "O[" + a.key + "=" + a.text + "]";
            if (a.quoted) {
                s += "q";
            }
            if (a.value_is_mention) {
                s += "@[" + a.mention.user_id + "|" + a.mention.name + "]";
            }
            return s;
        }
        case Kind::mention:
            return "M[" + a.mention.user_id + "|" + a.mention.name + "]";
    }
    return "?";
}

std::vector<std::string> describe_all(const std::vector<Arg>& args) {
    std::vector<std::string> out;
    for (const Arg& a : args) {
        out.push_back(describe(a));
    }
    return out;
}

struct TokenCase {
    std::string input;
    std::vector<std::string> expected;
};

std::ostream& operator<<(std::ostream& os, const TokenCase& c) {
    return os << '"' << c.input << '"';
}

class TokenizeOk : public ::testing::TestWithParam<TokenCase> {};

TEST_P(TokenizeOk, GivesTheseArgs) {
    const TokenCase& c = GetParam();
    auto r = tokenize(c.input);
    ASSERT_TRUE(r.ok()) << c.input << " -> " << r.error().message;
    EXPECT_EQ(describe_all(*r), c.expected) << c.input;
}

// Typographic quotes as Slack and macOS substitute them.
const std::string L = "\xE2\x80\x9C";  // “
const std::string R = "\xE2\x80\x9D";  // ”

INSTANTIATE_TEST_SUITE_P(
    Grammar, TokenizeOk,
    ::testing::Values(
        // words and spaces
        TokenCase{"", {}}, TokenCase{"   \t ", {}}, TokenCase{"add", {"W[add]"}},
        TokenCase{"add  Acme   Corp", {"W[add]", "W[Acme]", "W[Corp]"}},
        TokenCase{" leading and trailing ", {"W[leading]", "W[and]", "W[trailing]"}},
        TokenCase{"tab\tand\nnewline", {"W[tab]", "W[and]", "W[newline]"}},
        TokenCase{"no\xC2\xA0"
                  "break",
                  {"W[no]", "W[break]"}},
        // quoted words
        TokenCase{"\"Acme Corp\"", {"Q[Acme Corp]"}},
        TokenCase{"add \"Acme Corp\" x", {"W[add]", "Q[Acme Corp]", "W[x]"}},
        TokenCase{"\"\"", {"Q[]"}}, TokenCase{"\"12:30\"", {"Q[12:30]"}},
        TokenCase{"\"http://x\"", {"Q[http://x]"}},
        TokenCase{L + "Acme Corp" + R, {"Q[Acme Corp]"}},
        TokenCase{R + "Acme Corp" + R, {"Q[Acme Corp]"}},
        TokenCase{"\"Acme Corp" + R, {"Q[Acme Corp]"}}, TokenCase{"\"Acme\"Corp", {"Q[AcmeCorp]"}},
        // a quote inside a bare word is part of it
        TokenCase{"12\" pipe", {"W[12\"]", "W[pipe]"}}, TokenCase{"O'Brien", {"W[O'Brien]"}},
        // options
        TokenCase{"product:Widgets", {"O[product=Widgets]"}},
        TokenCase{"product=Widgets", {"O[product=Widgets]"}},
        TokenCase{"Product:Widgets", {"O[product=Widgets]"}},
        TokenCase{"AMOUNT=25k", {"O[amount=25k]"}}, TokenCase{"new-share:50", {"O[new-share=50]"}},
        TokenCase{"product:\"Big Widgets\"", {"O[product=Big Widgets]q"}},
        TokenCase{"product=\"Big Widgets\"", {"O[product=Big Widgets]q"}},
        TokenCase{"product:" + L + "Big Widgets" + R, {"O[product=Big Widgets]q"}},
        TokenCase{"customer:\"\"", {"O[customer=]q"}}, TokenCase{"time:15:00", {"O[time=15:00]"}},
        TokenCase{"12:30", {"O[12=30]"}}, TokenCase{"http://x", {"O[http=//x]"}},
        TokenCase{"tz:America/Chicago", {"O[tz=America/Chicago]"}},
        TokenCase{"a.b:c", {"W[a.b:c]"}}, TokenCase{"product:", {"O[product=]"}},
        // "key: value" with a space after the separator
        TokenCase{"stage: won", {"O[stage=won]"}},
        TokenCase{"stage:  \"closed won\" x", {"O[stage=closed won]q", "W[x]"}},
        TokenCase{"product: amount:5", {"O[product=]", "O[amount=5]"}},
        TokenCase{"product: ", {"O[product=]"}},
        TokenCase{"add Acme product:Widgets amount:25k new",
                  {"W[add]", "W[Acme]", "O[product=Widgets]", "O[amount=25k]", "W[new]"}},
        // mentions
        TokenCase{"<@U123|bob>", {"M[U123|bob]"}}, TokenCase{"<@U123>", {"M[U123|]"}},
        TokenCase{"<@W42|bob.smith>", {"M[W42|bob.smith]"}},
        TokenCase{"<@U1|bob smith> x", {"M[U1|bob smith]", "W[x]"}},
        TokenCase{"<@123456789012345678>", {"M[123456789012345678|]"}},
        TokenCase{"<@!123>", {"M[123|]"}}, TokenCase{"@bob", {"M[|bob]"}},
        TokenCase{"@\"Bob Smith\"", {"M[|Bob Smith]"}}, TokenCase{"@", {"W[@]"}},
        TokenCase{"<@&123>", {"W[<@&123>]"}}, TokenCase{"<@U123", {"W[<@U123]"}},
        TokenCase{"<#C1|general>", {"W[<#C1|general>]"}},
        TokenCase{"bob@example.com", {"W[bob@example.com]"}},
        TokenCase{"<@U1|bob><@U2|amy>", {"M[U1|bob]", "M[U2|amy]"}},
        TokenCase{"team Sales add <@U1|bob> @amy",
                  {"W[team]", "W[Sales]", "W[add]", "M[U1|bob]", "M[|amy]"}},
        // options whose value is a mention
        TokenCase{"owner:@bob", {"O[owner=@bob]@[|bob]"}},
        TokenCase{"owner:<@U1|bob>", {"O[owner=<@U1|bob>]@[U1|bob]"}},
        TokenCase{"manager=<@123>", {"O[manager=<@123>]@[123|]"}},
        TokenCase{"reassign:<@!77>", {"O[reassign=<@!77>]@[77|]"}},
        TokenCase{"owner: @bob", {"O[owner=@bob]@[|bob]"}},
        TokenCase{"owner:bob", {"O[owner=bob]"}}));

TEST(Tokenize, MentionArgKeepsTheRawText) {
    auto r = tokenize("<@U1|bob>");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 1U);
    EXPECT_EQ((*r)[0].kind, Kind::mention);
    EXPECT_EQ((*r)[0].text, "<@U1|bob>");
    EXPECT_FALSE((*r)[0].value_is_mention);
}

TEST(Tokenize, PlainOptionHasNoMention) {
    auto r = tokenize("owner:bob");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE((*r)[0].value_is_mention);
    EXPECT_TRUE((*r)[0].mention.user_id.empty());
    EXPECT_TRUE((*r)[0].mention.name.empty());
}

struct ErrorCase {
    std::string input;
    std::string message;
};

std::ostream& operator<<(std::ostream& os, const ErrorCase& c) {
    return os << '"' << c.input << '"';
}

class TokenizeError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TokenizeError, SaysWhatWasWrong) {
    const ErrorCase& c = GetParam();
    auto r = tokenize(c.input);
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_EQ(r.error().message, c.message) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, TokenizeError,
    ::testing::Values(
        ErrorCase{"add \"Acme Corp",
                  "Unterminated quote in \"Acme Corp: close it with \", like \"two words\"."},
        ErrorCase{"\"", "Unterminated quote in \": close it with \", like \"two words\"."},
        ErrorCase{
            "add " + L + "Acme Corp  ",
            "Unterminated quote in " + L + "Acme Corp: close it with \", like \"two words\"."},
        ErrorCase{"add Acme product:\"Big Widgets amount:5",
                  "Unterminated quote in product:\"Big Widgets amount:5: close it with \", "
                  "like \"two words\"."},
        ErrorCase{"owner: \"Bob",
                  "Unterminated quote in owner: \"Bob: close it with \", like \"two words\"."},
        ErrorCase{"@\"Bob Smith",
                  "Unterminated quote in @\"Bob Smith: close it with \", like \"two words\"."},
        ErrorCase{":x",
                  "Option \":x\" has no name before ':'. Write options as key:value, like "
                  "product:Widgets."},
        ErrorCase{"add Acme =5",
                  "Option \"=5\" has no name before '='. Write options as key:value, like "
                  "product:Widgets."},
        ErrorCase{"a :",
                  "Option \":\" has no name before ':'. Write options as key:value, like "
                  "product:Widgets."}));

}  // namespace
}  // namespace funnelbot::commands
