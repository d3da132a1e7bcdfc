#include "commands/render/sized_text.hpp"

#include <algorithm>

namespace funnelbot::commands {

namespace {

constexpr std::string_view kEllipsis = "…";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The code point starting at s[i] (a lead byte, 0x80 or above) and its size in bytes, or 0 when
// the bytes are not valid UTF-8 (overlong, surrogate, truncated or stray continuation byte).
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t smallest = 0;
    if ((b0 & 0xE0) == 0xC0) {
        n = 2;
        cp = b0 & 0x1F;
        smallest = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3;
        cp = b0 & 0x0F;
        smallest = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4;
        cp = b0 & 0x07;
        smallest = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

void append(SizedText& t, std::string_view ascii) {
    t.str += ascii;
    t.len += ascii.size();
}

void append(SizedText& t, const SizedText& more) {
    t.str += more.str;
    t.len += more.len;
}

SizedText fit(std::string_view raw, std::size_t limit, const Escapes* escapes) {
    SizedText out;
    // The longest prefix that still leaves room for the ellipsis, in bytes and units.
    std::size_t keep_bytes = 0;
    std::size_t keep_len = 0;
    out.str.reserve(std::min(raw.size(), limit) + kEllipsis.size());
    // Code points kept as they are go out in runs (raw[run, i) is owed to out.str): a string
    // append per code point was most of the time of rendering a reply.
    std::size_t run = 0;
    const auto cut = [&](std::size_t i) {
        out.str.append(raw, run, i - run);
        out.str.resize(keep_bytes);
        out.len = keep_len;
        if (limit > 0) {
            out.str += kEllipsis;
            out.len += 1;
        }
        return out;
    };
    // ASCII that goes out as it is, nearly every character of a reply: one unit a byte.
    const auto plain = [escapes](unsigned char c) {
        return c < 0x80 && (escapes == nullptr || escapes->piece(c).empty());
    };
    for (std::size_t i = 0; i < raw.size();) {
        const auto b0 = static_cast<unsigned char>(raw[i]);
        if (plain(b0) && out.len < limit) {
            // Taken as a run, as far as the limit allows; the last unit before the limit is where
            // a cut would end.
            const std::size_t stop = i + std::min(raw.size() - i, limit - out.len);
            std::size_t j = i + 1;
            while (j < stop && plain(static_cast<unsigned char>(raw[j])))
                ++j;
            out.len += j - i;
            const std::size_t last = out.len < limit ? j : j - 1;
            keep_bytes = out.str.size() + (last - run);
            keep_len = out.len - (j - last);
            i = j;
            continue;
        }
        std::size_t n = 1;
        std::size_t len = 1;
        std::string_view piece;
        if (b0 < 0x80) {
            if (escapes != nullptr) piece = escapes->piece(b0);
            if (!piece.empty()) len = escapes->units(b0);
        } else {
            char32_t cp = 0;
            n = decode_utf8(raw, i, cp);
            if (n == 0) {
                piece = kReplacement;
                n = 1;
            } else {
                len = cp >= 0x10000 ? 2 : 1;
            }
        }
        if (out.len + len > limit) return cut(i);
        out.len += len;
        if (piece.empty()) {
            // Kept as it is.
            i += n;
            if (out.len < limit) {
                keep_bytes = out.str.size() + (i - run);
                keep_len = out.len;
            }
            continue;
        }
        out.str.append(raw, run, i - run);
        out.str += piece;
        i += n;
        run = i;
        if (out.len < limit) {
            keep_bytes = out.str.size();
            keep_len = out.len;
        }
    }
    out.str.append(raw, run, raw.size() - run);
    return out;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find('\n', start);
        lines.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return lines;
}

}  // namespace funnelbot::commands
