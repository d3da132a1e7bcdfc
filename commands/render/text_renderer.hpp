// Renders a Reply as plain text for a terminal: bars as "Widgets  ████████░░  80 %".
#pragma once

#include <string>
#include <vector>

#include "commands/reply.hpp"

namespace funnelbot::commands {

std::string render_text(const Reply& reply);

// "Widgets      ████████░░   80 %   8 · $200,000  ◀": one row per bar, labels padded to a
// common width. The terminal indents them; chat renderers put them in a code block.
std::vector<std::string> bar_rows(const std::vector<BarRow>& bars);

// A 10-cell bar: round-half-up(percent / 10) full cells.
std::string text_bar(int percent, int cells = 10);

}  // namespace funnelbot::commands
