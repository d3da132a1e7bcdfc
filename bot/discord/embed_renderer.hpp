// Renders a Reply as a Discord message with one rich embed: title, the summary as description,
// key figures as (inline) fields, bars in a ``` code block, lines, warnings and numbered next
// steps as fields, coloured by verdict. Discord's embed limits (title 256, description 4,096,
// 25 fields, field name 256 / value 1,024, 6,000 chars in all) are met by cutting, never by
// failing: a reply that is too long ends with "…and N more lines".
#pragma once

#include <string>

#include "commands/reply.hpp"

namespace funnelbot::bot::discord {

// Embed colours by verdict.
inline constexpr int kDiscordGreen = 0x2ECC71;
inline constexpr int kDiscordOrange = 0xE67E22;
inline constexpr int kDiscordRed = 0xE74C3C;
inline constexpr int kDiscordBlurple = 0x5865F2;

// {"embeds": [embed], "allowed_mentions": {"parse": []}, "flags": 64 when ephemeral}: usable as
// interaction callback data, a webhook PATCH body (…/messages/@original) or a Create Message
// body for a DM (drop "flags" there; Discord ignores EPHEMERAL outside interactions). No
// "content": the embed carries everything, so nothing is shown twice. JSON text, as Slack's
// render_block_kit writes it; the same Reply always gives the same text.
std::string render_discord_message(const commands::Reply& reply, bool ephemeral);

}  // namespace funnelbot::bot::discord
