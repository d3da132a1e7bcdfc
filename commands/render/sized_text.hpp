// Text for chat platforms that count characters: valid UTF-8, escaped for the target, and cut
// to a limit with "…". Shared by the Block Kit and Discord embed renderers.
#pragma once

#include <cstddef>
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

// Replaces one code point when the target needs it escaped: sets `piece` and its length in
// units and returns true; false keeps the code point as it is.
using EscapeFn = bool (*)(char32_t cp, std::string& piece, std::size_t& len);

// `raw` as sent: invalid UTF-8 replaced by U+FFFD (nlohmann::json refuses to dump it, and one
// bad byte in a customer name must not lose a whole reply), escaped by `escape` (may be null),
// and cut to at most `limit` units with a final "…".
SizedText fit(std::string_view raw, std::size_t limit, EscapeFn escape);

std::string_view trim(std::string_view s);
std::vector<std::string> split_lines(std::string_view text);

}  // namespace funnelbot::commands
