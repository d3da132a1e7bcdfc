// An application command interaction (INTERACTION_CREATE type 2, its `data`) -> the same typed
// command the Slack/console text grammar produces.
#pragma once

#include <nlohmann/json.hpp>

#include "commands/command.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::bot::discord {

// `data` = {name, options?: [{name, type, value?, options?}], resolved?: {users: {id: {...}}}}.
// The options are written out as the text grammar's line (`add "Acme Corp" product:"Widgets"
// owner:<@123|ana> …`) and parsed by commands::parse_command, so Discord and Slack validate
// alike and give the same UserError messages. A USER option becomes Mention{id, username}.
// Options the grammar does not know are passed on as key:value, so it names them in its own
// "Unknown option" message; an unknown command gets its "Unknown command" message.
commands::Result<commands::Command> command_from_interaction(const nlohmann::json& data);

}  // namespace funnelbot::bot::discord
