#include "bot/discord/command_runner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "bot/discord/embed_renderer.hpp"
#include "bot/discord/interaction_command.hpp"
#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::discord {

namespace {

using nlohmann::json;

unsigned long long permissions_of(const json& member) {
    const std::string text = text_of(member, "permissions");
    unsigned long long bits = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bits);
    if (ec != std::errc() || end != text.data() + text.size()) return 0;
    return bits;
}

// Guidance rather than an error: the person did nothing wrong, the command needs a server.
std::string guidance(const std::string& title, const std::string& message) {
    commands::Reply reply;
    reply.title = title;
    reply.summary = message;
    reply.verdict = commands::Verdict::attention;
    return render_discord_message(reply, true);
}

}  // namespace

commands::Identity identity_of(const json& interaction, const std::vector<std::string>& admins) {
    commands::Identity who;
    const json& member = object_of(interaction, "member");
    const json& user =
        member.contains("user") ? object_of(member, "user") : object_of(interaction, "user");
    who.platform_user_id = text_of(user, "id");
    who.name = text_of(user, "username");
    who.display_name = text_of(member, "nick");
    if (who.display_name.empty()) who.display_name = text_of(user, "global_name");
    if (who.name.empty()) who.name = who.platform_user_id;
    const unsigned long long bits = permissions_of(member);
    who.platform_admin =
        (bits & (kAdministrator | kManageGuild)) != 0 ||
        (!who.platform_user_id.empty() &&
         std::find(admins.begin(), admins.end(), who.platform_user_id) != admins.end());
    return who;
}

namespace {

std::optional<std::string> answer(std::string& how, commands::FrontDesk& desk,
                                  const json& interaction, const InteractionSettings& settings,
                                  analysis::Instant now) {
    commands::Identity who = identity_of(interaction, settings.admins);
    if (who.platform_user_id.empty()) {
        return guidance("Who is asking?",
                        "This interaction names no user, so funnelbot cannot "
                        "tell whose funnel it is about.");
    }
    std::optional<storage::Workspace> ws;
    const std::string guild_id = text_of(interaction, "guild_id");
    if (!guild_id.empty()) {
        ws = desk.workspace_of(storage::Platform::discord, guild_id, settings.default_tz);
    } else {
        // A DM names no server: use the one server this person uses funnelbot in.
        const auto placement = desk.place_direct_message(storage::Platform::discord, who);
        if (!placement.workspace) {
            return guidance("Use this command in your server",
                            placement.workspaces == 0
                                ? "funnelbot keeps funnels per server, and you have not used it in "
                                  "a server yet. Run the command in your team's server first; "
                                  "after that it works here too."
                                : "You use funnelbot in " + std::to_string(placement.workspaces) +
                                      " servers, so a direct message cannot tell which funnel you "
                                      "mean. Run the command in that server.");
        }
        ws = placement.workspace;
    }
    const auto parsed = command_from_interaction(object_of(interaction, "data"));
    const auto outcome =
        desk.run_parsed(*ws, who, parsed, now, "discord:" + text_of(interaction, "id"));
    if (outcome.duplicate) {
        how = "duplicate";
        return std::nullopt;
    }
    if (!outcome.failure.empty()) {
        spdlog::error("Discord: /{} failed (reference {}): {}",
                      text_of(object_of(interaction, "data"), "name"), outcome.reference,
                      outcome.failure);
    }
    auto rendered = render_discord_message(outcome.reply, !outcome.reply.in_channel);
    how = !outcome.failure.empty() ? "failed" : outcome.reply.is_error() ? "refused" : "ok";
    return rendered;
}

}  // namespace

std::optional<std::string> run_command(commands::FrontDesk& desk, const json& interaction,
                                       const InteractionSettings& settings, analysis::Instant now,
                                       std::string* result) {
    std::string ignored;
    std::string& how = result != nullptr ? *result : ignored;
    how = "refused";  // the early answers (who is asking, where) are refusals
    try {
        return answer(how, desk, interaction, settings, now);
    } catch (const std::exception& e) {
        how = "failed";
        return failure_reply(e.what());
    }
}

std::string failure_reply(std::string_view what) {
    // The person still gets an answer, not an endless "thinking…".
    const std::string reference = commands::failure_reference();
    spdlog::error("Discord: a command failed (reference {}): {}", reference, what);
    return render_discord_message(commands::unexpected_failure_reply(reference), true);
}

}  // namespace funnelbot::bot::discord
