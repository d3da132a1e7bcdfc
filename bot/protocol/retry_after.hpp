// How long a 429 asks the client to wait: the Retry-After header in seconds
// (https://www.rfc-editor.org/rfc/rfc9110#field.retry-after; Slack sends it,
// https://api.slack.com/apis/rate-limits) and Discord's JSON `retry_after` in fractional
// seconds (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace funnelbot::bot {

// A Retry-After value in seconds ("5", " 1.5 "), rounded up to whole milliseconds; nullopt
// when it is not a non-negative number (HTTP dates are not used by Slack or Discord).
std::optional<std::chrono::milliseconds> retry_after_header(std::string_view value);

// The `retry_after` number of a JSON body, rounded up to whole milliseconds; nullopt when the
// body is not a JSON object with a non-negative number there.
std::optional<std::chrono::milliseconds> retry_after_body(std::string_view body);

}  // namespace funnelbot::bot
