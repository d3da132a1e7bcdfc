// Text grammar -> typed command (README, Commands). Slack sends the text after the slash
// command; the console sends whole lines.
#pragma once

#include <string>
#include <string_view>

#include "commands/command.hpp"
#include "commands/user_error.hpp"

namespace funnelbot::commands {

// `name` is the command without its slash ("opp", "funnel-admin", …); `text` its arguments. The
// leading words find the command table's entry, whose grammar reads the rest. Every wrong form is a
// UserError that says what was wrong and shows the right form.
Result<Command> parse_command(std::string_view name, std::string_view text);

struct CommandLine {
    std::string name;  // without the slash
    std::string text;
};

// "/opp add Acme product:Widgets" -> {"opp", "add Acme product:Widgets"}. The slash is
// optional; an empty line is a UserError pointing to /funnel-help.
Result<CommandLine> split_command_line(std::string_view line);

}  // namespace funnelbot::commands
