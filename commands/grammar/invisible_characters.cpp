#include "commands/grammar/invisible_characters.hpp"

#include <algorithm>
#include <cstdint>

namespace funnelbot::commands {
namespace {

// The code point starting at s[i] and its length in bytes; {0, 0} when s[i] does not start a
// well-formed UTF-8 sequence.
struct Decoded {
    std::uint32_t code_point = 0;
    std::size_t length = 0;
};

Decoded decode_at(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        cp = lead & 0x07;
    } else {
        return {};
    }
    if (i + length > s.size()) return {};
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(k) & 0xC0) != 0x80) return {};
        cp = (cp << 6) | (byte(k) & 0x3F);
    }
    return {cp, length};
}

bool is_invisible(std::uint32_t cp) {
    return cp == 0x00AD || cp == 0x061C || cp == 0x180E || cp == 0x200B || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

bool is_control(std::uint32_t cp) {
    const bool kept_space = cp == '\t' || cp == '\n' || cp == '\r';
    return (cp < 0x20 && !kept_space) || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

bool is_joiner(std::uint32_t cp) {
    return cp == 0x200C || cp == 0x200D;
}

}  // namespace

std::string strip_invisible(std::string_view text) {
    // Most text is printable ASCII, which has nothing to strip: a CSV import calls this for
    // every cell.
    const auto plain = [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b < 0x80 && !is_control(b);
    };
    if (std::all_of(text.begin(), text.end(), plain)) return std::string(text);
    std::string out;
    out.reserve(text.size());
    // Whether the character before the one being looked at (as kept) was non-ASCII.
    bool after_non_ascii = false;
    for (std::size_t i = 0; i < text.size();) {
        const Decoded d = decode_at(text, i);
        if (d.length == 0) {
            out += text[i];
            after_non_ascii = true;
            ++i;
            continue;
        }
        const std::string_view bytes = text.substr(i, d.length);
        i += d.length;
        if (is_invisible(d.code_point) || is_control(d.code_point)) continue;
        if (is_joiner(d.code_point)) {
            const Decoded next = i < text.size() ? decode_at(text, i) : Decoded{};
            const bool before_non_ascii = next.length != 0 && next.code_point >= 0x80 &&
                                          !is_invisible(next.code_point) &&
                                          !is_joiner(next.code_point);
            if (after_non_ascii && before_non_ascii) out += bytes;
            continue;
        }
        out += bytes;
        after_non_ascii = d.code_point >= 0x80;
    }
    return out;
}

}  // namespace funnelbot::commands
