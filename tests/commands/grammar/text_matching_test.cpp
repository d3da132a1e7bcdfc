// Matching typed names: "did you mean" and case-insensitive equality.
#include "commands/grammar/text_matching.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace funnelbot::commands {
namespace {

// ---- did you mean ------------------------------------------------------------------------

TEST(DidYouMean, FindsTheClosestLikelyTypo) {
    const std::vector<std::string> lines = {"Widgets", "Gadgets", "Services", "Cloud"};
    EXPECT_EQ(did_you_mean("Widgts", lines), "Widgets");
    EXPECT_EQ(did_you_mean("widgets", lines), "Widgets");  // case-insensitive, exact
    EXPECT_EQ(did_you_mean("WIDGETZ", lines), "Widgets");
    EXPECT_EQ(did_you_mean("Servces", lines), "Services");
    EXPECT_EQ(did_you_mean("Clod", lines), "Cloud");  // len 4: threshold 1
    EXPECT_FALSE(did_you_mean("Cl", lines).has_value());
    EXPECT_FALSE(did_you_mean("Hardware", lines).has_value());
    EXPECT_FALSE(did_you_mean("Widgets", {}).has_value());
}

TEST(DidYouMean, ThresholdIsAThirdOfTheTypedLength) {
    const std::vector<std::string> c = {"abcdefghi"};  // typed length 9: up to 3 edits
    EXPECT_EQ(did_you_mean("abcdefxxx", c), "abcdefghi");
    EXPECT_FALSE(did_you_mean("abcdexxxx", c).has_value());
    // short words still allow one edit
    EXPECT_EQ(did_you_mean("wn", {"won"}), "won");
    EXPECT_FALSE(did_you_mean("wx", {"won"}).has_value());
}

TEST(DidYouMean, ASwapOfNeighboursIsOneEdit) {
    EXPECT_EQ(did_you_mean("lsit", {"add", "list", "update"}), "list");
    EXPECT_EQ(did_you_mean("Widgest", {"Widgets"}), "Widgets");
    EXPECT_EQ(did_you_mean("wno", {"won"}), "won");
    // two swaps in four letters are too many
    EXPECT_FALSE(did_you_mean("lsti", {"list"}).has_value());
}

TEST(DidYouMean, PrefersTheNearestThenTheFirst) {
    EXPECT_EQ(did_you_mean("proposa", {"prospecting", "proposal"}), "proposal");
    EXPECT_EQ(did_you_mean("cat", {"bat", "hat"}), "bat");
}

// ---- names -------------------------------------------------------------------------------

TEST(Names, IequalsAndToLower) {
    EXPECT_TRUE(iequals("Widgets", "wIDGETS"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("Widget", "Widgets"));
    EXPECT_FALSE(iequals("abc", "abd"));
    EXPECT_EQ(to_lower("Acme CORP 42"), "acme corp 42");
    EXPECT_EQ(to_lower("Caf\xC3\xA9"), "caf\xC3\xA9");  // non-ASCII bytes kept
}

}  // namespace
}  // namespace funnelbot::commands
