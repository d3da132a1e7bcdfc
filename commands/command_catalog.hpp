// The one list of commands: name, usage and what each does. The parser's error messages,
// /funnel-help and the Slack manifest's descriptions all read it.
#pragma once

#include <span>
#include <string_view>

namespace funnelbot::commands {

struct CommandInfo {
    std::string_view path;   // "opp add", "funnel-admin product add", "funnel-check"
    std::string_view usage;  // "/opp add <customer…> product:<line> …"
    std::string_view summary;
};

std::span<const CommandInfo> command_catalog();

// The usage line for a path, or for its first word when the path is unknown.
std::string_view usage_of(std::string_view path);

// Every usage line whose path starts with `prefix` ("opp" → the /opp family), one per line.
std::string usages_under(std::string_view prefix);

}  // namespace funnelbot::commands
