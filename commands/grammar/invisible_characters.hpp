// Characters that change how text looks without being seen: bidirectional overrides and
// isolates (U+202A–U+202E, U+2066–U+2069, marks U+200E/U+200F/U+061C), zero-width and other
// invisible characters (U+200B, U+2060–U+2064, U+FEFF, U+180E, U+00AD), and control characters.
// A name carrying them can look like another person's, customer's or line's name, or reverse the
// text shown after it ("Trojan Source", https://trojansource.codes/), so they are removed from
// everything a person or a file gives funnelbot: command text, option values, platform names,
// CSV cells.
#pragma once

#include <string>
#include <string_view>

namespace funnelbot::commands {

// `text` without those characters. Zero-width joiners and non-joiners (U+200C, U+200D) stay
// between two non-ASCII characters, where emoji sequences and scripts such as Persian or
// Devanagari need them, and go elsewhere. Tab, newline and carriage return stay (the grammar
// reads them as spaces); other C0 and C1 controls and DEL go. Bytes that are not valid UTF-8 pass
// through unchanged.
std::string strip_invisible(std::string_view text);

}  // namespace funnelbot::commands
