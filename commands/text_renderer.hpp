// Renders a Reply as plain text for a terminal: bars as "Widgets  ████████░░  80 %".
#pragma once

#include <string>

#include "commands/reply.hpp"

namespace funnelbot::commands {

std::string render_text(const Reply& reply);

// A 10-cell bar: round-half-up(percent / 10) full cells.
std::string text_bar(int percent, int cells = 10);

}  // namespace funnelbot::commands
