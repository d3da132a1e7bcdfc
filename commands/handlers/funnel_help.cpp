#include "commands/command_catalog.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext&, const Help& cmd) {
    Reply reply;
    if (cmd.topic.empty()) {
        reply.title = "funnelbot — is your funnel balanced?";
        reply.summary =
            "No product line above 70 % of your opportunities, and about half of them with "
            "new customers. Log opportunities, then check.";
        Section s;
        s.preformatted = true;
        for (const auto& info : command_catalog())
            s.lines.push_back(std::string(info.usage));
        reply.sections.push_back(std::move(s));
        reply.next_steps.push_back(
            "/funnel-help <command> explains one command, e.g. /funnel-help opp add.");
        return reply;
    }
    Section s;
    for (const auto& info : command_catalog()) {
        if (info.path == cmd.topic || info.path.starts_with(cmd.topic + " ")) {
            s.lines.push_back(std::string(info.usage));
            s.lines.push_back("    " + std::string(info.summary));
        }
    }
    if (s.lines.empty()) {
        std::vector<std::string> paths;
        for (const auto& info : command_catalog())
            paths.emplace_back(info.path);
        std::string msg = "No command \"" + cmd.topic + "\".";
        if (auto guess = did_you_mean(cmd.topic, paths)) msg += " Did you mean \"" + *guess + "\"?";
        return UserError{msg + " /funnel-help lists every command."};
    }
    reply.title = "/" + cmd.topic;
    reply.sections.push_back(std::move(s));
    return reply;
}

}  // namespace funnelbot::commands
