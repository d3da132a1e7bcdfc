#include "bot/slack/command_runner.hpp"

#include <spdlog/spdlog.h>

#include "bot/slack/block_kit_renderer.hpp"

namespace funnelbot::bot::slack {

std::string unescape_slack_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&') {
            if (text.substr(i, 5) == "&amp;") {
                out += '&';
                i += 4;
                continue;
            }
            if (text.substr(i, 4) == "&lt;") {
                out += '<';
                i += 3;
                continue;
            }
            if (text.substr(i, 4) == "&gt;") {
                out += '>';
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::optional<std::string> run_command(commands::FrontDesk& desk, const SlashCommand& command,
                                       const commands::Identity& who, const std::string& default_tz,
                                       analysis::Instant now, std::string* result) {
    std::string ignored;
    std::string& how = result != nullptr ? *result : ignored;
    how = "failed";
    try {
        const auto ws = desk.workspace_of(storage::Platform::slack, command.team_id, default_tz);
        std::string_view name = command.command;
        if (!name.empty() && name.front() == '/') name.remove_prefix(1);
        const auto outcome = desk.run_text(ws, who, name, unescape_slack_text(command.text), now,
                                           "slack:" + command.envelope_id);
        if (outcome.duplicate) {
            how = "duplicate";
            return std::nullopt;
        }
        if (!outcome.failure.empty()) {
            spdlog::error("Slack: {} failed (reference {}): {}", command.command, outcome.reference,
                          outcome.failure);
        }
        auto rendered = render_block_kit(outcome.reply);
        how = !outcome.failure.empty() ? "failed" : outcome.reply.is_error() ? "refused" : "ok";
        return rendered;
    } catch (const std::exception& e) {
        return failure_reply(e.what());
    }
}

std::string failure_reply(std::string_view what) {
    const std::string reference = commands::failure_reference();
    spdlog::error("Slack: a command failed (reference {}): {}", reference, what);
    return render_block_kit(commands::unexpected_failure_reply(reference));
}

}  // namespace funnelbot::bot::slack
