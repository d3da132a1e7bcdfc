// Invisible characters (bidi controls, zero-width characters, controls) never reach a name.
#include <gtest/gtest.h>

#include "commands/grammar/command_parser.hpp"
#include "commands/grammar/invisible_characters.hpp"

namespace funnelbot::commands {
namespace {

struct Case {
    const char* given;
    const char* kept;
};

class StripInvisible : public ::testing::TestWithParam<Case> {};

TEST_P(StripInvisible, KeepsOnlyWhatIsSeen) {
    EXPECT_EQ(strip_invisible(GetParam().given), GetParam().kept);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StripInvisible,
    ::testing::Values(
        Case{"Acme", "Acme"}, Case{"", ""},
        // RLO ... PDF: "Acme \u202Egnp.exe\u202C" would show as "Acme exe.png".
        Case{"Acme \xE2\x80\xAEgnp.exe\xE2\x80\xAC", "Acme gnp.exe"},
        // LRI/RLI/FSI/PDI isolates, LRM/RLM and the Arabic letter mark.
        Case{"\xE2\x81\xA6"
             "Carol\xE2\x81\xA9 \xE2\x80\x8EJones\xE2\x80\x8F\xD8\x9C",
             "Carol Jones"},
        // Zero-width space, word joiner, BOM, soft hyphen, Mongolian vowel separator.
        Case{"Ca\xE2\x80\x8Br\xE2\x81\xA0o\xEF\xBB\xBFl\xC2\xAD\xE1\xA0\x8E", "Carol"},
        // A zero-width joiner between ASCII letters goes; inside an emoji sequence it stays.
        Case{"Car\xE2\x80\x8Dol", "Carol"},
        Case{"\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB dev",
             "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB dev"},
        // A non-joiner inside Persian stays (\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645).
        Case{"\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
             "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85"},
        // ... but not at the end of a word followed by ASCII.
        Case{"\xD9\x85\xE2\x80\x8C"
             "a",
             "\xD9\x85"
             "a"},
        // Controls: C0 (except tab, newline, CR), DEL and C1 go.
        Case{"A\x01"
             "c\x7Fm\xC2\x85"
             "e\t\n\r",
             "Acme\t\n\r"},
        // Printable ASCII with tabs and line breaks is kept whole; one DEL or C0 control in it
        // still goes.
        Case{"Acme Corp\t(EMEA) ~{}\r\n", "Acme Corp\t(EMEA) ~{}\r\n"}, Case{"Acme\x7F", "Acme"},
        Case{"\x1F"
             "Acme",
             "Acme"},
        // Accents, CJK and emoji are text, not invisible.
        Case{"Caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80",
             "Caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x9A\x80"},
        // Bytes that are not UTF-8 pass through (the grammar and the renderers deal with them).
        Case{"A\xFF"
             "B\xE2\x80",
             "A\xFF"
             "B\xE2\x80"}));

// The grammar sees the visible text: a zero-width space cannot split an option or make a
// customer look like another.
TEST(StripInvisibleInGrammar, OptionsAndNamesAreReadWithoutThem) {
    const auto typed = parse_command("opp",
                                     "add \xE2\x80\xAE"
                                     "Ac\xE2\x80\x8Bme product\xE2\x80\x8B:Wid\xE2\x81\xA0gets");
    ASSERT_TRUE(typed.ok()) << typed.error().message;
    const auto& add = std::get<OppAdd>(*typed);
    EXPECT_EQ(add.customer, "Acme");
    EXPECT_EQ(add.product, "Widgets");

    // The same through a platform's typed options (no tokenizer on that path).
    std::vector<Arg> args(3);
    args[0].text = "add";
    args[1].text = "Ac\xE2\x80\x8Bme\xE2\x80\xAE";
    args[2].kind = Arg::Kind::option;
    args[2].key = "product";
    args[2].text = "\xE2\x81\xA6Widgets";
    const auto given = parse_arguments("opp", args);
    ASSERT_TRUE(given.ok()) << given.error().message;
    EXPECT_EQ(std::get<OppAdd>(*given).customer, "Acme");
    EXPECT_EQ(std::get<OppAdd>(*given).product, "Widgets");
}

}  // namespace
}  // namespace funnelbot::commands
