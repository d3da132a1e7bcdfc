// JSON written straight into a string, for the messages the bot sends on every command: building
// a tree of nlohmann::json nodes and then dumping it was about a seventh of the bot's CPU per
// Slack command. Only what a writer needs: a string value, escaped as RFC 8259 section 7 asks.
#pragma once

#include <string>
#include <string_view>

namespace funnelbot::bot {

// Appends `text` to `out` as a quoted JSON string: '"', '\\' and control characters escaped,
// everything else as is; bytes that are not UTF-8 become U+FFFD (as nlohmann's
// error_handler_t::replace does), so the result is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

}  // namespace funnelbot::bot
