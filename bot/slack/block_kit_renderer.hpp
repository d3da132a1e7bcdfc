// Renders a Reply as a Slack Block Kit message: header, summary, sections (fields, bars as a code
// block, lines), warnings as context and numbered next steps. Slack's limits (50 blocks, 3,000
// chars a section, 10 fields, 10 context elements, ~12,000 chars in all) are met by cutting,
// never by failing: a reply that is too long ends with "…and N more lines".
#pragma once

#include <string>
#include <string_view>

#include "commands/reply.hpp"

namespace funnelbot::bot::slack {

// The Slack message for a Reply, as JSON text: {"text": fallback, "blocks": [...],
// "response_type": "in_channel" | "ephemeral"} — usable as a Socket Mode ack payload or a
// response_url body, or (without response_type) a chat.postMessage body. The same Reply always
// gives the same text.
std::string render_block_kit(const commands::Reply& reply);

// "&", "<" and ">" as "&amp;", "&lt;" and "&gt;": the only escaping Slack mrkdwn wants (anything
// more shows up literally).
std::string escape_mrkdwn(std::string_view text);

}  // namespace funnelbot::bot::slack
