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

// `head` + `value` + "}": a JSON value (text already, never parsed) closing the object `head`
// opens, e.g. {"type":4,"data": + message + }. Built in `value`'s own buffer, so a value with
// room to spare (head.size() + 1 bytes of capacity) costs no allocation of its size: how both
// cores wrap a whole reply on the network thread.
std::string enclosed(std::string_view head, std::string value);

}  // namespace funnelbot::bot
