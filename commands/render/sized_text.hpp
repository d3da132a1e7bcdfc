// Text for chat platforms that count characters: valid UTF-8, escaped for the target, and cut
// to a limit with "…". Shared by the Block Kit and Discord embed renderers.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace funnelbot::commands {

// Text with its length in UTF-16 code units (an emoji outside the BMP is two): never less than
// a platform's count, whether it counts code points or UTF-16 units.
struct SizedText {
    std::string str;
    std::size_t len = 0;

    bool empty() const { return len == 0; }
};

// Our own markup ("*", "\n", "```"): ASCII, one unit a char.
void append(SizedText& t, std::string_view ascii);
void append(SizedText& t, const SizedText& more);

// What a target escapes: a few ASCII characters, each sent as a piece of text (Slack's "&amp;",
// Discord's "\*"), counted in the units the piece takes; every other character is sent as it is.
// A table rather than a function called per character: fit() looks a character up in one step.
class Escapes {
public:
    struct Rule {
        char ascii;
        std::string_view piece;
    };
    constexpr Escapes(std::initializer_list<Rule> rules) {
        for (const Rule& r : rules) {
            const auto c = static_cast<unsigned char>(r.ascii);
            pieces_.at(c) = r.piece;
            units_.at(c) = utf16_units(r.piece);
        }
    }
    // What `c` (ASCII) is sent as; empty when it is sent as it is.
    constexpr std::string_view piece(unsigned char c) const { return pieces_[c]; }
    constexpr std::size_t units(unsigned char c) const { return units_[c]; }

private:
    // A piece is valid UTF-8 of our own: each code point is a unit, one above U+FFFF two.
    static constexpr std::size_t utf16_units(std::string_view piece) {
        std::size_t n = 0;
        for (const char ch : piece) {
            const auto b = static_cast<unsigned char>(ch);
            if ((b & 0xC0) != 0x80) n += b >= 0xF0 ? 2 : 1;
        }
        return n;
    }

    std::array<std::string_view, 128> pieces_{};
    std::array<std::size_t, 128> units_{};
};

// `raw` as sent: invalid UTF-8 replaced by U+FFFD (nlohmann::json refuses to dump it, and one
// bad byte in a customer name must not lose a whole reply), escaped by `escapes` (may be null),
// and cut to at most `limit` units with a final "…".
SizedText fit(std::string_view raw, std::size_t limit, const Escapes* escapes);

std::string_view trim(std::string_view s);
std::vector<std::string> split_lines(std::string_view text);

}  // namespace funnelbot::commands
