// The doctor's Discord judgements, answer by answer, without I/O: each fault gets a line that
// names it and says what to do.
#include <gtest/gtest.h>

#include <string>

#include "bot/discord/setup_check.hpp"

namespace funnelbot::bot::discord {
namespace {

using nlohmann::json;

DiscordCall answer(int status, json body, std::string error = "", int code = 0) {
    DiscordCall call;
    call.status = status;
    call.body = std::move(body);
    call.error = std::move(error);
    call.code = code;
    return call;
}

DiscordCall unreachable() {
    DiscordCall call;
    call.error = "GET /users/@me: Connection refused";
    return call;
}

const std::string kApp = "900000000000000001";

TEST(DiscordSetupCheck, ABotTokenNamesTheBot) {
    const auto f = judge_bot_token(answer(
        200, {{"id", kApp}, {"username", "funnelbot"}, {"discriminator", "0"}, {"bot", true}}));
    EXPECT_EQ(f.status, SetupStatus::ok);
    EXPECT_EQ(f.subject, "Discord bot token");
    EXPECT_EQ(f.detail, "bot @funnelbot (" + kApp + ")");
}

TEST(DiscordSetupCheck, EachBotTokenFaultSaysWhatToDo) {
    const auto refused =
        judge_bot_token(answer(401, {{"message", "401: Unauthorized"}, {"code", 0}},
                               "GET /users/@me: HTTP 401 401: Unauthorized"));
    EXPECT_EQ(refused.status, SetupStatus::fail);
    EXPECT_NE(refused.detail.find("Discord refused DISCORD_BOT_TOKEN (401 Unauthorized)"),
              std::string::npos);
    EXPECT_NE(refused.detail.find("Developer Portal"), std::string::npos);

    const auto person = judge_bot_token(answer(200, {{"id", "1"}, {"username", "ann"}}));
    EXPECT_EQ(person.status, SetupStatus::fail);
    EXPECT_NE(person.detail.find("belongs to the user @ann, not to a bot"), std::string::npos);

    const auto down = judge_bot_token(unreachable());
    EXPECT_EQ(down.status, SetupStatus::fail);
    EXPECT_NE(down.detail.find("could not reach Discord (GET /users/@me: Connection refused)"),
              std::string::npos);
}

TEST(DiscordSetupCheck, TheApplicationIdIsConfirmedLearnedOrContradicted) {
    const auto app = answer(200, {{"id", kApp}, {"name", "funnelbot"}});
    const auto same = judge_application(app, kApp);
    EXPECT_EQ(same.status, SetupStatus::ok);
    EXPECT_NE(same.detail.find("as DISCORD_APPLICATION_ID says"), std::string::npos);

    const auto learned = judge_application(app, "");
    EXPECT_EQ(learned.status, SetupStatus::ok);
    EXPECT_NE(learned.detail.find("learned from Discord"), std::string::npos);

    const auto other = judge_application(app, "123");
    EXPECT_EQ(other.status, SetupStatus::fail);
    EXPECT_EQ(other.subject, "Discord application");
    EXPECT_EQ(other.detail,
              "DISCORD_APPLICATION_ID is 123, but the bot token belongs to "
              "application " +
                  kApp + " — set DISCORD_APPLICATION_ID=" + kApp + ", or unset it to learn it");
}

TEST(DiscordSetupCheck, ARefusedCommandListAsksForTheApplicationsCommandsScope) {
    const auto allowed =
        judge_command_registration(answer(200, json::array({json::object()})), kApp, "");
    EXPECT_EQ(allowed.status, SetupStatus::ok);
    EXPECT_NE(allowed.detail.find("registration allowed globally (1 registered"),
              std::string::npos);

    const auto forbidden = judge_command_registration(
        answer(403, {{"message", "Missing Access"}, {"code", 50001}},
               "GET /applications/{id}/commands: HTTP 403 Missing Access (code 50001)", 50001),
        kApp, "800000000000000001");
    EXPECT_EQ(forbidden.status, SetupStatus::fail);
    EXPECT_NE(forbidden.detail.find("in guild 800000000000000001"), std::string::npos);
    EXPECT_NE(forbidden.detail.find("re-invite the bot with the applications.commands scope: " +
                                    invite_url(kApp)),
              std::string::npos);
    EXPECT_EQ(invite_url(kApp), "https://discord.com/oauth2/authorize?client_id=" + kApp +
                                    "&scope=bot+applications.commands");
}

TEST(DiscordSetupCheck, ADirectMessageChannelOpensOrSaysWhyNot) {
    const auto opened = judge_direct_message(answer(200, {{"id", "700"}, {"type", 1}}), "42");
    EXPECT_EQ(opened.status, SetupStatus::ok);
    EXPECT_EQ(opened.detail, "a DM channel with user 42 opens (700); nothing was sent");

    const auto closed = judge_direct_message(
        answer(403, {{"code", 50007}}, "POST /users/@me/channels: HTTP 403", 50007), "42");
    EXPECT_EQ(closed.status, SetupStatus::fail);
    EXPECT_NE(closed.detail.find("will not let the bot message user 42 (50007)"),
              std::string::npos);

    const auto unknown = judge_direct_message(
        answer(400, {{"code", 50035}}, "POST /users/@me/channels: HTTP 400", 50035), "42");
    EXPECT_EQ(unknown.status, SetupStatus::fail);
    EXPECT_NE(unknown.detail.find("Copy User ID"), std::string::npos);
}

}  // namespace
}  // namespace funnelbot::bot::discord
