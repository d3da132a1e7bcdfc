// Text grammar -> typed command (README, Commands). Slack sends the text after the slash
// command; the console sends whole lines.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "commands/command.hpp"
#include "commands/grammar/command_text.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

// `name` is the command without its slash ("opp", "funnel-admin", …); `text` its arguments. The
// leading words find the command table's entry, whose grammar reads the rest. Every wrong form is a
// UserError that says what was wrong and shows the right form.
Result<Command> parse_command(std::string_view name, std::string_view text);

// The same for arguments already split into tokens: a typed front end (Discord's options) builds
// them from the values it was given, so no value can turn into grammar (a quote in a customer's
// name stays part of the name).
Result<Command> parse_arguments(std::string_view name, std::span<const Arg> arguments);

struct CommandLine {
    std::string name;  // without the slash
    std::string text;
};

// "/opp add Acme product:Widgets" -> {"opp", "add Acme product:Widgets"}. The slash is
// optional; an empty line is a UserError pointing to /funnel-help.
Result<CommandLine> split_command_line(std::string_view line);

}  // namespace funnelbot::commands
