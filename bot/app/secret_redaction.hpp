// What a log line must never carry: tokens and the URLs that act as tokens. Every line funnelbot
// logs goes through redact_secrets() (bot/app/log_setup.hpp), whatever code wrote it, so a
// secret that slips into an error text or a debug dump still never reaches the journal.
#pragma once

#include <string>
#include <string_view>

namespace funnelbot::bot {

// What stands in for a removed secret.
inline constexpr std::string_view kRedacted = "[redacted]";

// `text` with every secret replaced by kRedacted:
// - Slack tokens (xoxb-, xoxp-, xoxa-, xoxe-, xoxe., xapp- …): the prefix stays, the rest goes;
// - the value of an Authorization header or field (its scheme, Bot or Bearer, stays), and a
//   "Bot …" / "Bearer …" credential anywhere;
// - Discord bot tokens (three base64url parts separated by dots);
// - Slack response URLs (https://hooks.slack.com/…: the host stays, the path goes; also with
//   JSON's escaped slashes), and the path of any "response_url" value;
// - the token segment of Discord interaction and webhook paths
//   (/interactions/<id>/<token>/…, /webhooks/<application>/<token>…);
// - the value of a query parameter or JSON key whose name ends in "token".
// Everything else is kept as it was.
std::string redact_secrets(std::string_view text);

}  // namespace funnelbot::bot
