#include "bot/slack/setup_check.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::slack {

namespace {

constexpr const char* kBotToken = "Slack bot token";
constexpr const char* kBotScopes = "Slack bot scopes";
constexpr const char* kSocketMode = "Slack Socket Mode";
constexpr const char* kAppToken = "Slack app token";

SetupFinding finding(SetupStatus status, std::string subject, std::string detail) {
    return {status, std::move(subject), std::move(detail)};
}

// No Slack envelope came back: the request failed on the way, or something else answered.
bool unreachable(const SlackCall& call) {
    return !call.body.is_object() && call.error != "ratelimited";
}

std::string unreachable_detail(const SlackCall& call) {
    return "could not reach Slack's Web API (" + call.error +
           ") — check the network, SLACK_API_URL and, behind a TLS-inspecting proxy, "
           "SSL_CERT_FILE";
}

std::string rate_limited_detail() {
    return "not checked: Slack rate-limited the call (a running funnelbot may be reconnecting); "
           "try again in a minute";
}

// "a, b and c"
std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

// "commands,chat:write, im:write" → {"commands", "chat:write", "im:write"}
std::set<std::string> scope_set(const std::string& header) {
    std::set<std::string> scopes;
    std::string item;
    for (char c : header + ",") {
        if (c == ',') {
            if (!item.empty()) scopes.insert(item);
            item.clear();
        } else if (c != ' ' && c != '\t') {
            item += c;
        }
    }
    return scopes;
}

}  // namespace

boost::asio::awaitable<std::vector<SetupFinding>> check_setup(WebApi& api) {
    const SlackCall auth = co_await api.auth_test();
    const SlackCall connection = co_await api.open_connection();
    std::vector<SetupFinding> out;
    out.push_back(judge_bot_token(auth));
    out.push_back(judge_bot_scopes(auth));
    out.push_back(judge_socket_mode(connection));
    co_return out;
}

SetupFinding judge_bot_token(const SlackCall& auth) {
    if (unreachable(auth)) return finding(SetupStatus::fail, kBotToken, unreachable_detail(auth));
    if (auth.error == "ratelimited") {
        return finding(SetupStatus::warn, kBotToken, rate_limited_detail());
    }
    const std::string& error = auth.error;
    if (error == "invalid_auth") {
        return finding(SetupStatus::fail, kBotToken,
                       "Slack refused SLACK_BOT_TOKEN (invalid_auth) — copy the Bot User OAuth "
                       "Token (xoxb-…) from the app's OAuth & Permissions page");
    }
    if (error == "not_authed") {
        return finding(SetupStatus::fail, kBotToken,
                       "no token reached Slack (not_authed) — set SLACK_BOT_TOKEN to the Bot User "
                       "OAuth Token (xoxb-…)");
    }
    if (error == "token_revoked" || error == "token_expired" || error == "account_inactive") {
        return finding(SetupStatus::fail, kBotToken,
                       "SLACK_BOT_TOKEN is no longer valid (" + error +
                           ") — the app was uninstalled or the token replaced: reinstall the app "
                           "and copy the new Bot User OAuth Token from OAuth & Permissions");
    }
    if (error == "not_allowed_token_type") {
        return finding(SetupStatus::fail, kBotToken,
                       "SLACK_BOT_TOKEN is not a bot token (not_allowed_token_type) — use the Bot "
                       "User OAuth Token (xoxb-…) from OAuth & Permissions");
    }
    if (!auth.ok) {
        return finding(SetupStatus::fail, kBotToken, "auth.test answered " + error);
    }
    const auto& body = auth.body;
    const std::string user = text_of(body, "user");
    // auth.test names a bot_id only for a bot's token (a user token would post as that person).
    if (text_of(body, "bot_id").empty()) {
        return finding(SetupStatus::fail, kBotToken,
                       "SLACK_BOT_TOKEN belongs to the person @" + user +
                           ", not to the app's bot — use the Bot User OAuth Token (xoxb-…) from "
                           "OAuth & Permissions");
    }
    return finding(SetupStatus::ok, kBotToken,
                   "workspace \"" + text_of(body, "team") + "\" (" + text_of(body, "team_id") +
                       "), bot @" + user);
}

SetupFinding judge_bot_scopes(const SlackCall& auth) {
    if (!auth.ok) {
        return finding(SetupStatus::skip, kBotScopes, "not checked: the bot token did not work");
    }
    if (!auth.oauth_scopes) {
        return finding(SetupStatus::warn, kBotScopes,
                       "not checked: Slack sent no X-OAuth-Scopes header; compare OAuth & "
                       "Permissions → Bot Token Scopes with deploy/slack-manifest.yml by hand");
    }
    const std::set<std::string> granted = scope_set(*auth.oauth_scopes);
    std::vector<std::string> missing;
    std::vector<std::string> wanted;
    for (const auto scope : kManifestBotScopes) {
        wanted.emplace_back(scope);
        if (granted.count(std::string(scope)) == 0) missing.emplace_back(scope);
    }
    if (missing.empty()) {
        return finding(SetupStatus::ok, kBotScopes,
                       joined(wanted) + " granted, as deploy/slack-manifest.yml asks");
    }
    return finding(SetupStatus::fail, kBotScopes,
                   "missing " + joined(missing) + " — add " +
                       (missing.size() == 1 ? "it" : "them") +
                       " under OAuth & Permissions → Bot Token Scopes (or update the app from "
                       "deploy/slack-manifest.yml) and reinstall the app");
}

SetupFinding judge_socket_mode(const SlackCall& open) {
    if (unreachable(open)) return finding(SetupStatus::fail, kSocketMode, unreachable_detail(open));
    if (open.error == "ratelimited") {
        return finding(SetupStatus::warn, kSocketMode, rate_limited_detail());
    }
    const std::string& error = open.error;
    if (error == "socket_mode_not_enabled") {
        return finding(SetupStatus::fail, kSocketMode,
                       "off (socket_mode_not_enabled) — turn on Settings → Socket Mode → Enable "
                       "Socket Mode in the app's settings (deploy/slack-manifest.yml sets "
                       "socket_mode_enabled: true)");
    }
    if (error == "invalid_auth") {
        return finding(SetupStatus::fail, kAppToken,
                       "Slack refused SLACK_APP_TOKEN (invalid_auth) — generate an app-level token "
                       "with the connections:write scope under Basic Information → App-Level "
                       "Tokens and set SLACK_APP_TOKEN to it (xapp-…)");
    }
    if (error == "not_allowed_token_type") {
        return finding(SetupStatus::fail, kAppToken,
                       "SLACK_APP_TOKEN is not an app-level token (not_allowed_token_type) — use "
                       "the xapp-… token from Basic Information → App-Level Tokens, not the bot "
                       "token");
    }
    if (error == "not_authed") {
        return finding(SetupStatus::fail, kAppToken,
                       "no token reached Slack (not_authed) — set SLACK_APP_TOKEN to the app-level "
                       "token (xapp-…) from Basic Information → App-Level Tokens");
    }
    if (error == "missing_scope") {
        return finding(SetupStatus::fail, kAppToken,
                       "SLACK_APP_TOKEN lacks connections:write (missing_scope) — generate a new "
                       "app-level token with that scope under Basic Information → App-Level Tokens "
                       "(an existing token's scopes cannot be changed)");
    }
    if (error == "token_revoked" || error == "token_expired" || error == "account_inactive") {
        return finding(SetupStatus::fail, kAppToken,
                       "SLACK_APP_TOKEN is no longer valid (" + error +
                           ") — generate a new app-level token with connections:write under "
                           "Basic Information → App-Level Tokens");
    }
    if (!open.ok) {
        return finding(SetupStatus::fail, kSocketMode, "apps.connections.open answered " + error);
    }
    if (!text_of(open.body, "url").starts_with("wss://")) {
        return finding(SetupStatus::fail, kSocketMode,
                       "apps.connections.open answered without a wss:// URL — is SLACK_API_URL "
                       "Slack's Web API?");
    }
    return finding(SetupStatus::ok, kSocketMode,
                   "on, and SLACK_APP_TOKEN may open connections (connections:write)");
}

}  // namespace funnelbot::bot::slack
