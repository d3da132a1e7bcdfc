#include "bot/discord/setup_check.hpp"

#include <algorithm>

#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::discord {

namespace {

constexpr const char* kBotToken = "Discord bot token";
constexpr const char* kApplication = "Discord application";
constexpr const char* kCommands = "Discord commands";
constexpr const char* kDirectMessage = "Discord DM";

std::string unreachable_detail(const DiscordCall& call) {
    return "could not reach Discord (" + call.error +
           ") — check the network, DISCORD_API_URL and, behind a TLS-inspecting proxy, "
           "SSL_CERT_FILE";
}

// A user or application id as Discord writes it: a string of digits.
bool is_snowflake(const std::string& text) {
    return !text.empty() && text.size() <= 20 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

SetupFinding skipped(const char* subject) {
    return SetupFinding{SetupStatus::skip, subject, "not checked: the bot token did not work"};
}

}  // namespace

std::string invite_url(const std::string& application_id) {
    return "https://discord.com/oauth2/authorize?client_id=" + application_id +
           "&scope=bot+applications.commands";
}

// Every answer is awaited into a named variable first: GCC 12 mishandles temporaries around a
// co_await inside a call's arguments.
boost::asio::awaitable<std::vector<SetupFinding>> check_setup(RestApi& rest,
                                                              SetupCheckConfig config) {
    std::vector<SetupFinding> out;
    const DiscordCall user = co_await rest.get_current_user();
    out.push_back(judge_bot_token(user));
    if (out.back().status != SetupStatus::ok) {
        out.push_back(skipped(kApplication));
        out.push_back(skipped(kCommands));
        out.push_back(skipped(kDirectMessage));
        co_return out;
    }
    const DiscordCall application = co_await rest.get_current_application();
    out.push_back(judge_application(application, config.application_id));
    // Registration is checked for the application the token belongs to, whatever is configured:
    // a wrong DISCORD_APPLICATION_ID is the line above's finding, not this one's.
    std::string application_id = text_of(application.body, "id");
    if (!application.ok() || application_id.empty()) application_id = config.application_id;
    if (!is_snowflake(application_id)) {
        out.push_back(SetupFinding{SetupStatus::skip, kCommands,
                                   "not checked: the application id is unknown"});
    } else {
        const DiscordCall commands = co_await rest.get_commands(application_id, config.guild_id);
        out.push_back(judge_command_registration(commands, application_id, config.guild_id));
    }
    if (config.dm_user_id.empty()) {
        out.push_back(SetupFinding{SetupStatus::skip, kDirectMessage,
                                   "not checked — give --dm-user USER_ID to open a DM channel with "
                                   "that user (nothing is sent)"});
    } else if (!is_snowflake(config.dm_user_id)) {
        out.push_back(SetupFinding{SetupStatus::fail, kDirectMessage,
                                   "--dm-user needs a Discord user id (digits), not \"" +
                                       config.dm_user_id +
                                       "\" — with Developer Mode on, right-click the user → Copy "
                                       "User ID"});
    } else {
        const DiscordCall dm = co_await rest.create_dm(config.dm_user_id);
        out.push_back(judge_direct_message(dm, config.dm_user_id));
    }
    co_return out;
}

SetupFinding judge_bot_token(const DiscordCall& user) {
    if (user.status == 0)
        return SetupFinding{SetupStatus::fail, kBotToken, unreachable_detail(user)};
    if (user.status == 401) {
        return SetupFinding{SetupStatus::fail, kBotToken,
                            "Discord refused DISCORD_BOT_TOKEN (401 Unauthorized) — copy the token "
                            "again from the Developer Portal → your application → Bot (Reset Token "
                            "if it is lost)"};
    }
    if (!user.ok())
        return SetupFinding{SetupStatus::fail, kBotToken, "Discord answered " + user.error};
    const std::string name = text_of(user.body, "username");
    const std::string id = text_of(user.body, "id");
    if (!flag_of(user.body, "bot")) {
        return SetupFinding{SetupStatus::fail, kBotToken,
                            "DISCORD_BOT_TOKEN belongs to the user @" + name +
                                ", not to a bot — use the token from the Developer Portal → your "
                                "application → Bot"};
    }
    return SetupFinding{SetupStatus::ok, kBotToken, "bot @" + name + " (" + id + ")"};
}

SetupFinding judge_application(const DiscordCall& application, const std::string& configured_id) {
    if (application.status == 0) {
        return SetupFinding{SetupStatus::fail, kApplication, unreachable_detail(application)};
    }
    const std::string id = text_of(application.body, "id");
    if (!application.ok() || id.empty()) {
        return SetupFinding{SetupStatus::fail, kApplication,
                            "GET /applications/@me failed (" + application.error + ")"};
    }
    const std::string named = "\"" + text_of(application.body, "name") + "\" (" + id + ")";
    if (configured_id.empty()) {
        return SetupFinding{SetupStatus::ok, kApplication,
                            named + ", learned from Discord (DISCORD_APPLICATION_ID is not set)"};
    }
    if (configured_id != id) {
        return SetupFinding{SetupStatus::fail, kApplication,
                            "DISCORD_APPLICATION_ID is " + configured_id +
                                ", but the bot token belongs to application " + id +
                                " — set DISCORD_APPLICATION_ID=" + id +
                                ", or unset it to learn it"};
    }
    return SetupFinding{SetupStatus::ok, kApplication, named + ", as DISCORD_APPLICATION_ID says"};
}

SetupFinding judge_command_registration(const DiscordCall& commands,
                                        const std::string& application_id,
                                        const std::string& guild_id) {
    if (commands.status == 0) {
        return SetupFinding{SetupStatus::fail, kCommands, unreachable_detail(commands)};
    }
    const std::string where = guild_id.empty() ? "globally" : "in guild " + guild_id;
    if (commands.status == 403) {
        std::string detail = "Discord refused the command list " + where + " (" + commands.error +
                             ") — re-invite the bot with the " +
                             "applications.commands scope: " + invite_url(application_id);
        if (!guild_id.empty()) detail += " (into the server DISCORD_GUILD_ID names)";
        return SetupFinding{SetupStatus::fail, kCommands, std::move(detail)};
    }
    if (!commands.ok()) {
        return SetupFinding{SetupStatus::fail, kCommands,
                            "the command list " + where + " failed (" + commands.error + ")"};
    }
    const std::size_t count = commands.body.is_array() ? commands.body.size() : 0;
    return SetupFinding{SetupStatus::ok, kCommands,
                        "registration allowed " + where + " (" + std::to_string(count) +
                            " registered; funnelbot registers its own at start)"};
}

SetupFinding judge_direct_message(const DiscordCall& dm, const std::string& user_id) {
    if (dm.status == 0)
        return SetupFinding{SetupStatus::fail, kDirectMessage, unreachable_detail(dm)};
    if (dm.code == kCannotMessageUser) {
        return SetupFinding{SetupStatus::fail, kDirectMessage,
                            "Discord will not let the bot message user " + user_id +
                                " (50007) — they must share a server with the bot and accept DMs "
                                "from its members"};
    }
    if (!dm.ok()) {
        return SetupFinding{SetupStatus::fail, kDirectMessage,
                            "Discord refused a DM channel with user " + user_id + " (" + dm.error +
                                ") — check the id (Developer Mode on, right-click the user → Copy "
                                "User ID)"};
    }
    return SetupFinding{SetupStatus::ok, kDirectMessage,
                        "a DM channel with user " + user_id + " opens (" + text_of(dm.body, "id") +
                            "); nothing was sent"};
}

}  // namespace funnelbot::bot::discord
