// No secret survives redact_secrets(), in any of the shapes it reaches a log line in, and the
// text around it stays readable.
#include "bot/app/secret_redaction.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace funnelbot::bot {
namespace {

// Planted secrets: each must be gone from the redacted text.
const std::string kBotToken = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
const std::string kAppToken = "xapp-1-A0123456789-1234567890123-0123456789abcdef0123456789abcdef";
const std::string kUserToken = "xoxp-1111-2222-3333-abcdef";
const std::string kRefreshToken = "xoxe-1-My0xLTExMTEtMjIyMi0zMzMz";
const std::string kRotatingToken = "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtZGVmZw";
const std::string kDiscordToken =
    "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-";
const std::string kResponsePath = "/commands/T0123ABCD/456789012345/Zq8sK3vXbQ2yN1mP";
const std::string kInteractionToken = "aW50ZXJhY3Rpb246MTA5ODc2NTQzMjEwOTg3NjU0Mzp4eXo0NTZhYmMxMjM";

void expect_gone(const std::string& redacted, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets)
        EXPECT_EQ(redacted.find(s), std::string::npos) << s << " survived in: " << redacted;
}

TEST(SecretRedaction, SlackTokensKeepTheirPrefixOnly) {
    const std::string line = "tokens " + kBotToken + ", " + kAppToken + " (" + kUserToken + ") " +
                             kRefreshToken + " " + kRotatingToken + ".";
    const std::string out = redact_secrets(line);
    expect_gone(out, {kBotToken, kAppToken, kUserToken, kRefreshToken, kRotatingToken,
                      "1234567890-0987654321", "Mi0yLTEyMzQ1Njc4OTAtZGVmZw"});
    EXPECT_EQ(out,
              "tokens xoxb-[redacted], xapp-[redacted] (xoxp-[redacted]) xoxe-[redacted] "
              "xoxe.[redacted]");
}

TEST(SecretRedaction, AuthorizationValuesKeepTheirScheme) {
    EXPECT_EQ(redact_secrets("Authorization: Bot " + kDiscordToken + "\r\nHost: discord.com"),
              "Authorization: Bot [redacted]\r\nHost: discord.com");
    EXPECT_EQ(redact_secrets("authorization=Bearer abc.def-ghi, next"),
              "authorization=Bearer [redacted], next");
    EXPECT_EQ(redact_secrets(R"({"Authorization":"Bearer opaque-credential-42","x":1})"),
              R"({"Authorization":"Bearer [redacted]","x":1})");
    const std::string standalone = redact_secrets("sent Bot " + kDiscordToken + " to the gateway");
    EXPECT_EQ(standalone, "sent Bot [redacted] to the gateway");
    const std::string bearer = redact_secrets("header Bearer 0123456789abcdef0123456789 ok");
    EXPECT_EQ(bearer, "header Bearer [redacted] ok");
}

TEST(SecretRedaction, DiscordBotTokensAreFoundAnywhere) {
    const std::string out =
        redact_secrets(R"({"op":2,"d":{"token":")" + kDiscordToken + R"(","intents":1}})");
    expect_gone(out, {kDiscordToken, "AbCdEfGhIjKlMnOpQrStUvWxYz"});
    EXPECT_EQ(out, R"({"op":2,"d":{"token":"[redacted]","intents":1}})");
    EXPECT_EQ(redact_secrets("bare " + kDiscordToken + " here"), "bare [redacted] here");
}

TEST(SecretRedaction, SlackResponseUrlsKeepTheHostAndLoseThePath) {
    EXPECT_EQ(redact_secrets("POST https://hooks.slack.com" + kResponsePath + " failed: 500"),
              "POST https://hooks.slack.com/[redacted] failed: 500");
    // As Slack's JSON writes it, with escaped slashes.
    const std::string escaped =
        R"({"response_url":"https:\/\/hooks.slack.com\/commands\/T0123ABCD\/4567\/Zq8sK3vXbQ2yN1mP"})";
    const std::string out = redact_secrets(escaped);
    expect_gone(out, {"Zq8sK3vXbQ2yN1mP", "T0123ABCD"});
    EXPECT_NE(out.find("hooks.slack.com"), std::string::npos) << out;
    // A response_url on another host (a proxy, the test fakes) loses its path too.
    EXPECT_EQ(redact_secrets(R"("response_url": "https://127.0.0.1:8443/hook/abc123secret")"),
              R"("response_url": "https://127.0.0.1:8443/[redacted]")");
}

TEST(SecretRedaction, DiscordInteractionAndWebhookTokensLeaveThePath) {
    EXPECT_EQ(redact_secrets("POST /api/v10/interactions/1098765432109876543/" + kInteractionToken +
                             "/callback: 404"),
              "POST /api/v10/interactions/1098765432109876543/[redacted]/callback: 404");
    EXPECT_EQ(redact_secrets("PATCH https://discord.com/api/v10/webhooks/900000000000000001/" +
                             kInteractionToken + "/messages/@original"),
              "PATCH https://discord.com/api/v10/webhooks/900000000000000001/[redacted]/"
              "messages/@original");
    EXPECT_EQ(redact_secrets("/webhooks/900/" + kInteractionToken + "?wait=true"),
              "/webhooks/900/[redacted]?wait=true");
}

TEST(SecretRedaction, TokenKeysInQueriesAndJsonLoseTheirValues) {
    EXPECT_EQ(redact_secrets("GET /api/x?token=s3cr3t-value&channel=C1"),
              "GET /api/x?token=[redacted]&channel=C1");
    EXPECT_EQ(redact_secrets(R"({"bot_token": "not-a-known-shape", "ok": true})"),
              R"({"bot_token": "[redacted]", "ok": true})");
}

TEST(SecretRedaction, RedactingTwiceChangesNothingMore) {
    const std::vector<std::string> lines = {
        "token=" + kBotToken + "&x=1",
        "POST https://hooks.slack.com" + kResponsePath,
        "/interactions/1/" + kInteractionToken + "/callback",
        "Authorization: Bot " + kDiscordToken,
        R"({"response_url":"https://example.test/hook/abc"})",
        kAppToken,
    };
    for (const auto& line : lines) {
        const std::string once = redact_secrets(line);
        EXPECT_EQ(redact_secrets(once), once) << line;
    }
}

TEST(SecretRedaction, OrdinaryTextIsLeftAlone) {
    const std::vector<std::string> lines = {
        "funnelbot 0.1.0: connecting to Slack and Discord (database /var/lib/funnelbot/x.db)",
        "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing: set both (xapp-… and xoxb-…) "
        "to connect to Slack, or neither.",
        "Discord gateway closed the connection with 4004 (authentication failed: check "
        "DISCORD_BOT_TOKEN); not reconnecting.",
        "Slack refused the app-level token (invalid_auth): check SLACK_APP_TOKEN (an xapp- token "
        "with connections:write)",
        "Bot tokens are listed under Bot; the token: see the README",
        "GET https://gateway-us-east1-b.discord.gg/?v=10&encoding=json",
        "https://slack.com/api/apps.connections.open 200 in 42 ms",
        "/opp add Acme Corp product:Widgets amount:25k",
        "",
    };
    for (const auto& line : lines)
        EXPECT_EQ(redact_secrets(line), line);
}

}  // namespace
}  // namespace funnelbot::bot
