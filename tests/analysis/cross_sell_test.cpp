#include "analysis/cross_sell.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/text.hpp"

#include "builders.hpp"

namespace funnelbot::analysis {
namespace {

using testing::make_line;

TEST(CrossSell, RanksMissingLinesByPopularityThenNameAndSkipsCoveredAccounts) {
    const ProductLine widgets = make_line(1, "Widgets");
    const ProductLine services = make_line(2, "Services");
    const ProductLine brackets = make_line(3, "Brackets");
    const ProductLine anvils = make_line(4, "anvils");
    const ProductLine cables = make_line(5, "Cables");
    ProductLine retired = make_line(6, "Retired");
    retired.active = false;
    const std::vector<ProductLine> lines{widgets, services, brackets, anvils, cables, retired};

    CrossSellInput input;
    input.line_popularity = {{1, 9}, {2, 4}, {3, 2}, {4, 2}, {6, 50}};  // Cables: bought by none
    input.accounts = {
        // Bought Widgets, has Services open: anvils and Brackets tie on 2 and sort by name
        // ignoring case ("anvils" < "Brackets"; byte order would put "B" first).
        {10, "Zeta", {1, 2}},
        // Every active line bought or open: no gap, left out.
        {11, "Covered", {1, 2, 3, 4, 5}},
        {12, "beta", {}},
        {13, "Alpha", {1, 2, 3, 4}},
    };

    const std::vector<CrossSellGap> gaps = cross_sell_gaps(lines, input);

    // Accounts by name, case-insensitively: Alpha, beta, Zeta.
    ASSERT_EQ(gaps.size(), 3u);
    EXPECT_EQ(gaps[0].customer_id, 13);
    EXPECT_EQ(gaps[0].customer_name, "Alpha");
    EXPECT_EQ(gaps[0].lines, (std::vector<std::string>{"Cables"}));
    EXPECT_EQ(gaps[1].customer_name, "beta");
    EXPECT_EQ(gaps[1].lines,
              (std::vector<std::string>{"Widgets", "Services", "anvils", "Brackets", "Cables"}));
    EXPECT_EQ(gaps[2].customer_name, "Zeta");
    EXPECT_EQ(gaps[2].lines, (std::vector<std::string>{"anvils", "Brackets", "Cables"}));
}

// Covered lines in any order, repeated, or on lines that are retired or not the rep's: only the
// rep's active lines count, each once.
TEST(CrossSell, CoveredLinesCountOnceWhateverTheirOrder) {
    ProductLine retired = make_line(6, "Retired");
    retired.active = false;
    // Widgets listed twice among the responsible lines: still one line.
    const std::vector<ProductLine> lines{make_line(1, "Widgets"), make_line(2, "Services"),
                                         make_line(1, "Widgets"), retired};
    CrossSellInput input;
    input.line_popularity = {{1, 3}, {2, 1}};
    input.accounts = {
        // Widgets twice and a line not the rep's: Services is still missing.
        {20, "Repeats", {1, 9, 1}},
        // Both, backwards, with the retired line: no gap.
        {21, "Backwards", {6, 2, 1}},
        {22, "Retired only", {6}},
    };
    const std::vector<CrossSellGap> gaps = cross_sell_gaps(lines, input);
    ASSERT_EQ(gaps.size(), 2u);
    EXPECT_EQ(gaps[0].customer_name, "Repeats");
    EXPECT_EQ(gaps[0].lines, (std::vector<std::string>{"Services"}));
    EXPECT_EQ(gaps[1].customer_name, "Retired only");
    EXPECT_EQ(gaps[1].lines, (std::vector<std::string>{"Widgets", "Services"}));
}

TEST(CrossSell, NoAccountsNoGaps) {
    EXPECT_TRUE(cross_sell_gaps({make_line(1, "Widgets")}, CrossSellInput{}).empty());
}

// Accounts (and lines) are ordered with text::name_less, written out for speed: it must order
// every pair exactly as the std::tolower version it replaced, non-ASCII bytes included.
TEST(CrossSell, NameOrderIsTheCaseInsensitiveThenExactOrderItAlwaysWas) {
    const auto reference = [](std::string_view a, std::string_view b) {
        const auto lower = [](char c) {
            return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        };
        const auto ci_less = [&](char x, char y) { return lower(x) < lower(y); };
        if (std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), ci_less)) {
            return true;
        }
        return !std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end(), ci_less) &&
               a < b;
    };
    const std::vector<std::string> names{
        "", "a", "A", "ab", "aB", "Ab", "abc", "b", "B", "anvils", "Brackets", "Zeta", "zeta",
        "Zeta Corp", "_x", "[x", "`x", "@x", "Ärzte", "ärzte", "Éclat", "eclat", "z\xff", "Z\x80",
        "a b", "a-b", "a1", "A1", "1a", "Acme, Inc.", "ACME", "acme",
        // Shared prefixes of eight bytes and more (skipped a word at a time), then a difference
        // in case only, in a letter, or in length, inside or after the first words.
        "Customer", "customer", "Customer 04", "Customer 0412", "customer 0412", "Customer 0418",
        "CUSTOMER 04120", "Customer 0412 Holdings", "Customer 0412 holdings",
        "Customer 0412 Holdings Ltd", "Customer 0412 Holdings Ltc", "Customer 0412 HOLDINGS LTD"};
    int compared = 0;
    for (const auto& a : names) {
        for (const auto& b : names) {
            EXPECT_EQ(text::name_less(a, b), reference(a, b)) << '"' << a << "\" vs \"" << b << '"';
            ++compared;
        }
    }
    EXPECT_EQ(compared, static_cast<int>(names.size() * names.size()));
}

}  // namespace
}  // namespace funnelbot::analysis
