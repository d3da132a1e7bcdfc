#include "commands/render/sized_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace funnelbot::commands {
namespace {

// Escapes as Slack mrkdwn does: "&" goes out as "&amp;", counted as five units.
constexpr Escapes kAmp{{'&', "&amp;"}};
const Escapes* const escape_amp = &kAmp;

TEST(SizedTextTest, FitsEscapesAndCutsByUnits) {
    EXPECT_EQ(fit("Widgets", 10, nullptr).str, "Widgets");
    EXPECT_EQ(fit("Widgets", 10, nullptr).len, 7u);
    // Cut: the longest prefix that leaves room for "…", which counts one.
    EXPECT_EQ(fit("Widgets", 5, nullptr).str, "Widg…");
    EXPECT_EQ(fit("Widgets", 5, nullptr).len, 5u);
    EXPECT_EQ(fit("Widgets", 7, nullptr).str, "Widgets");
    EXPECT_EQ(fit("Widgets", 0, nullptr).str, "");
    // "é" is one unit in two bytes, a four-byte emoji two units.
    EXPECT_EQ(fit("caf\xC3\xA9", 4, nullptr).len, 4u);
    EXPECT_EQ(fit("\xF0\x9F\x93\x88 up", 5, nullptr).len, 5u);
    EXPECT_EQ(fit("\xF0\x9F\x93\x88 up", 4, nullptr).str, "\xF0\x9F\x93\x88 \xE2\x80\xA6");
    // Escaped pieces count what they cost, and a cut never splits one.
    EXPECT_EQ(fit("AT&T", 20, escape_amp).str, "AT&amp;T");
    EXPECT_EQ(fit("AT&T", 20, escape_amp).len, 8u);
    EXPECT_EQ(fit("AT&T", 7, escape_amp).str, "AT…");
    // Not UTF-8: one replacement character per bad byte, counted one each.
    EXPECT_EQ(fit("a\xFF"
                  "b",
                  10, nullptr)
                  .str,
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(fit("a\xFF"
                  "b",
                  10, nullptr)
                  .len,
              3u);
}

// A piece counts the units it shows as, not its bytes: Discord's look-alike backtick is one unit
// in two bytes, an escaped "*" two, an emoji two; characters without a rule go out as they are.
TEST(SizedTextTest, EscapesCountTheUnitsOfTheirPieces) {
    constexpr Escapes table{{'`', "\xCB\x8B"}, {'*', "\\*"}, {'!', "\xF0\x9F\x93\x88"}};
    EXPECT_EQ(table.units('`'), 1u);
    EXPECT_EQ(table.units('*'), 2u);
    EXPECT_EQ(table.units('!'), 2u);
    EXPECT_TRUE(table.piece('a').empty());
    EXPECT_EQ(fit("a`b", 10, &table).str,
              "a\xCB\x8B"
              "b");
    EXPECT_EQ(fit("a`b", 10, &table).len, 3u);
    // "a", then "\*" (three units so far, none left for the ellipsis), then "b" does not fit.
    EXPECT_EQ(fit("a*b", 3, &table).str, "a…");
    EXPECT_EQ(fit("a*b", 4, &table).str, "a\\*b");
    EXPECT_EQ(fit("wow!", 5, &table).len, 5u);
}

// The length of the valid UTF-8 sequence at s[i] and its code point, or 0 (RFC 3629).
std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    const std::size_t n = b0 >= 0xF0 && b0 <= 0xF4  ? 4
                          : b0 >= 0xE0 && b0 < 0xF0 ? 3
                          : b0 >= 0xC2 && b0 < 0xE0 ? 2
                                                    : 0;
    if (n == 0 || i + n > s.size()) return 0;
    cp = b0 & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    const char32_t smallest = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

// The straightforward version, a code point at a time: what fit() must keep giving.
SizedText fit_one_at_a_time(std::string_view raw, std::size_t limit, const Escapes* escape) {
    SizedText out;
    std::size_t keep_bytes = 0;
    std::size_t keep_len = 0;
    for (std::size_t i = 0; i < raw.size();) {
        char32_t cp = 0;
        std::size_t n = utf8_at(raw, i, cp);
        std::string piece;
        std::size_t len = 1;
        if (n == 0) {
            piece = "\xEF\xBF\xBD";
            n = 1;
        } else if (escape != nullptr && cp < 0x80 && !escape->piece(cp).empty()) {
            piece = escape->piece(cp);
            len = escape->units(cp);
        } else {
            piece = std::string(raw.substr(i, n));
            len = cp >= 0x10000 ? 2 : 1;
        }
        if (out.len + len > limit) {
            out.str.resize(keep_bytes);
            out.len = keep_len;
            if (limit > 0) {
                out.str += "\xE2\x80\xA6";
                out.len += 1;
            }
            return out;
        }
        out.str += piece;
        out.len += len;
        if (out.len < limit) {
            keep_bytes = out.str.size();
            keep_len = out.len;
        }
        i += n;
    }
    return out;
}

TEST(SizedTextTest, AgreesWithTheOneCodePointAtATimeVersionOnRandomText) {
    std::uint64_t state = 0x243F6A8885A308D3ULL;
    const auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>(state >> 33);
    };
    // ASCII, an escaped "&", two- three- and four-byte code points, a stray byte, a lead byte
    // without its continuation, an overlong "/" and a surrogate.
    const std::string pieces[] = {"a",
                                  "Z",
                                  " ",
                                  "&",
                                  "\xC3\xA9",
                                  "\xE2\x80\xA6",
                                  "\xF0\x9F\x93\x88",
                                  "\xFF",
                                  "\xC3",
                                  "\xC0\xAF",
                                  "\xED\xA0\x80",
                                  "\n"};
    for (int round = 0; round < 2000; ++round) {
        std::string s;
        const unsigned count = next() % 16;
        for (unsigned i = 0; i < count; ++i)
            s += pieces[next() % std::size(pieces)];
        const std::size_t limit = next() % 24;
        const Escapes* escape = next() % 2 == 0 ? escape_amp : nullptr;
        const SizedText got = fit(s, limit, escape);
        const SizedText want = fit_one_at_a_time(s, limit, escape);
        ASSERT_EQ(got.str, want.str) << "limit " << limit << " text " << s;
        ASSERT_EQ(got.len, want.len) << "limit " << limit << " text " << s;
        EXPECT_LE(got.len, limit);
    }
}

}  // namespace
}  // namespace funnelbot::commands
