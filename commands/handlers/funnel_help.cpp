#include "commands/command_table.hpp"
#include "commands/grammar/text_matching.hpp"
#include "commands/handlers/command_handlers.hpp"

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
        for (const auto& spec : command_table())
            s.lines.push_back(std::string(spec.usage));
        reply.sections.push_back(std::move(s));
        reply.next_steps.push_back(
            "/funnel-help <command> explains one command, e.g. /funnel-help opp add.");
        return reply;
    }
    Section s;
    for (const auto& spec : command_table()) {
        if (path_under(spec.path, cmd.topic)) {
            s.lines.push_back(std::string(spec.usage));
            const auto audience = audience_label(spec.audience);
            s.lines.push_back("    " + (audience.empty() ? "" : std::string(audience) + ": ") +
                              std::string(spec.summary));
        }
    }
    if (s.lines.empty()) {
        std::vector<std::string> paths;
        for (const auto& spec : command_table())
            paths.emplace_back(spec.path);
        std::string msg = "No command \"" + cmd.topic + "\".";
        if (auto guess = did_you_mean(cmd.topic, paths)) msg += " Did you mean \"" + *guess + "\"?";
        return UserError{msg + " /funnel-help lists every command."};
    }
    reply.title = "/" + cmd.topic;
    reply.sections.push_back(std::move(s));
    return reply;
}

Result<Command> parse_funnel_help(std::span<const Arg> args, std::string_view) {
    std::string topic;
    for (const auto& a : args)
        topic += (topic.empty() ? "" : " ") + to_lower(a.text);
    while (!topic.empty() && topic.front() == '/')
        topic.erase(0, 1);
    return Command{Help{topic}};
}

}  // namespace funnelbot::commands
