// Frames as the platforms send them, for the tests and benchmarks that read frames without a
// fake server (the fakes build theirs field by field).
#pragma once

#include <string_view>

namespace funnelbot::testing {

// An INTERACTION_CREATE as Discord sends it for `/opp add` with a USER option (1.4 KB; the shape of
// https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
inline constexpr std::string_view kInteractionCreateFrame =
    R"({"t":"INTERACTION_CREATE","s":7,"op":0,"d":{
 "version":1,"type":2,"token":"aW50ZXJhY3Rpb24","member":{"user":{"username":"ana","public_flags":0,
 "id":"80351110224678912","global_name":"Ana P\u00e9rez","discriminator":"0","avatar":null,
 "avatar_decoration_data":null},"roles":["41771983423143936"],"premium_since":null,
 "permissions":"2147483647","pending":false,"nick":null,"mute":false,"joined_at":
 "2024-01-15T09:30:00.000000+00:00","flags":0,"deaf":false,"avatar":null},"locale":"es-ES",
 "id":"786008729715212338","guild_locale":"en-US","guild_id":"290926798626357999",
 "guild":{"id":"290926798626357999","locale":"en-US","features":["COMMUNITY"]},
 "entitlements":[],"context":0,"channel_id":"645027906669510667","channel":{"type":0,
 "id":"645027906669510667","guild_id":"290926798626357999","name":"sales"},
 "authorizing_integration_owners":{"0":"290926798626357999"},"attachment_size_limit":10485760,
 "app_permissions":"2248473465835073","application_id":"775799577604522054",
 "data":{"type":1,"name":"opp","id":"771825006014889984","options":[{"type":1,"name":"add",
 "options":[{"type":3,"name":"customer","value":"Acme \"East\""},{"type":4,"name":"amount",
 "value":12000},{"type":6,"name":"owner","value":"53908232506183680"}]}],"resolved":{"users":{
 "53908232506183680":{"username":"bo","id":"53908232506183680","global_name":null}}}}}})";

// A Socket Mode envelope as Slack sends it for `/funnel-check` (the shape of
// https://api.slack.com/apis/socket-mode#events and
// https://api.slack.com/interactivity/slash-commands#app_command_handling).
inline constexpr std::string_view kSlashCommandEnvelope =
    R"({"envelope_id":"57d6a792-4d35-4d0f-b8d6-86bb3fcf6f1a",
 "payload":{"token":"bHKJ2n9AW6Ju3MjciOHfbA1b","team_id":"T0001","team_domain":"example",
 "channel_id":"C2147483705","channel_name":"sales","user_id":"U2147483697","user_name":"ana",
 "command":"/funnel-check","text":"","api_app_id":"A0KFQPH2M","is_enterprise_install":"false",
 "response_url":"https://hooks.slack.com/commands/T0001/1234567890/0123456789abcdefABCDEF",
 "trigger_id":"13345224609.738474920.8088930838d88f008e0"},"type":"slash_commands",
 "accepts_response_payload":true})";

}  // namespace funnelbot::testing
