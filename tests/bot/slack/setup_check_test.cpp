// The doctor's Slack judgements, answer by answer, without I/O: each fault gets a line that names
// it and says what to do; the scopes the doctor wants are the manifest's.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bot/slack/setup_check.hpp"

namespace funnelbot::bot::slack {
namespace {

using nlohmann::json;

SlackCall answer(json body, std::optional<std::string> scopes = std::nullopt) {
    SlackCall call;
    call.ok = body.value("ok", false);
    call.error = body.value("error", "");
    call.body = std::move(body);
    call.oauth_scopes = std::move(scopes);
    return call;
}

SlackCall unreachable() {
    SlackCall call;
    call.error = "connect to localhost:1: Connection refused";
    return call;
}

const json kAuthOk = {{"ok", true},        {"url", "https://acme.slack.com/"},
                      {"team", "Acme"},    {"user", "funnelbot"},
                      {"team_id", "T123"}, {"user_id", "U0BOT"},
                      {"bot_id", "B0BOT"}, {"is_enterprise_install", false}};
const std::string kAllScopes = "commands,chat:write,im:write,users:read,users:read.email";

// The list under oauth_config: scopes: bot: in the manifest, read line by line (the manifest is
// a fixed, simple YAML file; a test of this reader follows).
std::vector<std::string> manifest_bot_scopes(const std::string& yaml) {
    std::vector<std::string> scopes;
    std::istringstream in(yaml);
    std::string line;
    std::vector<std::string> path;  // the keys above the current line, by indentation
    std::vector<std::size_t> indents;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos || line[first] == '#') continue;
        while (!indents.empty() && indents.back() >= first) {
            // A list item sits at its key's indentation or deeper.
            if (line[first] == '-' && indents.back() == first) break;
            indents.pop_back();
            path.pop_back();
        }
        if (line[first] == '-') {
            if (path == std::vector<std::string>{"oauth_config", "scopes", "bot"}) {
                std::string item = line.substr(line.find_first_not_of("- ", first));
                item = item.substr(0, item.find(" #"));
                item.erase(item.find_last_not_of(" \r") + 1);
                scopes.push_back(item);
            }
            continue;
        }
        const auto colon = line.find(':', first);
        if (colon == std::string::npos) continue;
        path.push_back(line.substr(first, colon - first));
        indents.push_back(first);
    }
    return scopes;
}

TEST(SlackSetupCheck, WantsExactlyTheBotScopesTheManifestDeclares) {
    std::ifstream file(std::string(FUNNELBOT_SOURCE_DIR) + "/deploy/slack-manifest.yml");
    ASSERT_TRUE(file) << "deploy/slack-manifest.yml";
    std::stringstream yaml;
    yaml << file.rdbuf();
    const std::vector<std::string> wanted(kManifestBotScopes.begin(), kManifestBotScopes.end());
    EXPECT_EQ(manifest_bot_scopes(yaml.str()), wanted);
}

TEST(SlackSetupCheck, ManifestReaderTakesOnlyTheBotList) {
    EXPECT_EQ(manifest_bot_scopes("oauth_config:\n  scopes:\n    user:\n      - search:read\n"
                                  "    bot:\n      - commands\n      - chat:write # why\n"
                                  "settings:\n  bot:\n    - not:this\n"),
              (std::vector<std::string>{"commands", "chat:write"}));
    EXPECT_EQ(manifest_bot_scopes("oauth_config:\n  scopes:\n    bot:\n    - a\n    - b\n"),
              (std::vector<std::string>{"a", "b"}));
}

TEST(SlackSetupCheck, AWorkingBotTokenNamesTheWorkspaceAndTheBot) {
    const auto f = judge_bot_token(answer(kAuthOk, kAllScopes));
    EXPECT_EQ(f.status, SetupStatus::ok);
    EXPECT_EQ(f.subject, "Slack bot token");
    EXPECT_EQ(f.detail, "workspace \"Acme\" (T123), bot @funnelbot");
}

TEST(SlackSetupCheck, EachBotTokenFaultSaysWhatToDo) {
    const auto refused = judge_bot_token(answer({{"ok", false}, {"error", "invalid_auth"}}));
    EXPECT_EQ(refused.status, SetupStatus::fail);
    EXPECT_NE(refused.detail.find("Slack refused SLACK_BOT_TOKEN (invalid_auth)"),
              std::string::npos);
    EXPECT_NE(refused.detail.find("OAuth & Permissions"), std::string::npos);

    const auto revoked = judge_bot_token(answer({{"ok", false}, {"error", "token_revoked"}}));
    EXPECT_EQ(revoked.status, SetupStatus::fail);
    EXPECT_NE(revoked.detail.find("no longer valid (token_revoked)"), std::string::npos);
    EXPECT_NE(revoked.detail.find("reinstall"), std::string::npos);

    json person = kAuthOk;
    person.erase("bot_id");
    person["user"] = "ann";
    const auto user_token = judge_bot_token(answer(person));
    EXPECT_EQ(user_token.status, SetupStatus::fail);
    EXPECT_NE(user_token.detail.find("belongs to the person @ann"), std::string::npos);

    const auto down = judge_bot_token(unreachable());
    EXPECT_EQ(down.status, SetupStatus::fail);
    EXPECT_NE(down.detail.find("could not reach Slack's Web API (connect to localhost:1: "
                               "Connection refused)"),
              std::string::npos);
    EXPECT_NE(down.detail.find("SLACK_API_URL"), std::string::npos);

    const auto limited = judge_bot_token(answer({{"ok", false}, {"error", "ratelimited"}}));
    EXPECT_EQ(limited.status, SetupStatus::warn);
}

TEST(SlackSetupCheck, ScopesAreTheHeadersAgainstTheManifest) {
    const auto all = judge_bot_scopes(answer(kAuthOk,
                                             "chat:write, commands,im:write,"
                                             "users:read,users:read.email,files:read"));
    EXPECT_EQ(all.status, SetupStatus::ok) << all.detail;
    EXPECT_EQ(all.subject, "Slack bot scopes");

    const auto one = judge_bot_scopes(answer(kAuthOk, "commands,chat:write,im:write,users:read"));
    EXPECT_EQ(one.status, SetupStatus::fail);
    EXPECT_EQ(one.detail.rfind("missing users:read.email — add it under OAuth & Permissions", 0),
              0u)
        << one.detail;
    EXPECT_NE(one.detail.find("reinstall the app"), std::string::npos);

    const auto two = judge_bot_scopes(answer(kAuthOk, "commands,chat:write,users:read"));
    EXPECT_EQ(two.detail.rfind("missing im:write and users:read.email — add them", 0), 0u)
        << two.detail;

    EXPECT_EQ(judge_bot_scopes(answer(kAuthOk)).status, SetupStatus::warn);
    EXPECT_EQ(judge_bot_scopes(answer({{"ok", false}, {"error", "invalid_auth"}})).status,
              SetupStatus::skip);
}

TEST(SlackSetupCheck, SocketModeOnWithAWssUrl) {
    const auto f = judge_socket_mode(
        answer({{"ok", true}, {"url", "wss://wss-primary.slack.com/link/?ticket=1&app_id=A1"}}));
    EXPECT_EQ(f.status, SetupStatus::ok);
    EXPECT_EQ(f.subject, "Slack Socket Mode");
    EXPECT_EQ(judge_socket_mode(answer({{"ok", true}, {"url", "https://x/"}})).status,
              SetupStatus::fail);
}

TEST(SlackSetupCheck, EachAppTokenAndSocketModeFaultHasItsOwnFix) {
    const auto judged = [](const std::string& error) {
        return judge_socket_mode(answer({{"ok", false}, {"error", error}}));
    };
    const auto off = judged("socket_mode_not_enabled");
    EXPECT_EQ(off.subject, "Slack Socket Mode");
    EXPECT_NE(off.detail.find("Enable Socket Mode"), std::string::npos);

    const auto wrong = judged("invalid_auth");
    EXPECT_EQ(wrong.subject, "Slack app token");
    EXPECT_NE(wrong.detail.find("Slack refused SLACK_APP_TOKEN (invalid_auth)"), std::string::npos);
    const auto bot_token = judged("not_allowed_token_type");
    EXPECT_NE(bot_token.detail.find("not the bot token"), std::string::npos);
    const auto none = judged("not_authed");
    EXPECT_NE(none.detail.find("no token reached Slack"), std::string::npos);
    const auto scope = judged("missing_scope");
    EXPECT_NE(scope.detail.find("lacks connections:write"), std::string::npos);

    std::vector<std::string> details;
    for (const auto& f : {off, wrong, bot_token, none, scope}) {
        EXPECT_EQ(f.status, SetupStatus::fail) << f.detail;
        details.push_back(f.detail);
    }
    std::sort(details.begin(), details.end());
    EXPECT_EQ(std::unique(details.begin(), details.end()), details.end());

    EXPECT_EQ(judge_socket_mode(unreachable()).status, SetupStatus::fail);
    EXPECT_EQ(judged("ratelimited").status, SetupStatus::warn);
}

}  // namespace
}  // namespace funnelbot::bot::slack
