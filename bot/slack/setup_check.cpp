#include "bot/slack/setup_check.hpp"

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::slack {

namespace {

constexpr const char* kBotToken = "Slack bot token";
constexpr const char* kBotScopes = "Slack bot scopes";
constexpr const char* kSocketMode = "Slack Socket Mode";
constexpr const char* kAppToken = "Slack app token";

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

// An error code Slack answered, what it says about the configuration and what to do: the line
// is "<subject>: <what> (<error>) — <fix>".
struct KnownError {
    std::string_view error;
    const char* subject;
    std::string_view what;
    std::string_view fix;
};

constexpr std::string_view kNewBotToken =
    "the app was uninstalled or the token replaced: reinstall the app and copy the new Bot User "
    "OAuth Token from OAuth & Permissions";
constexpr std::string_view kNewAppToken =
    "generate a new app-level token with connections:write under Basic Information → App-Level "
    "Tokens";

// auth.test with the bot token (https://api.slack.com/methods/auth.test).
constexpr KnownError kBotTokenErrors[] = {
    {"invalid_auth", kBotToken, "Slack refused SLACK_BOT_TOKEN",
     "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"},
    {"not_authed", kBotToken, "no token reached Slack",
     "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…)"},
    {"not_allowed_token_type", kBotToken, "SLACK_BOT_TOKEN is not a bot token",
     "use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions"},
    {"token_revoked", kBotToken, "SLACK_BOT_TOKEN is no longer valid", kNewBotToken},
    {"token_expired", kBotToken, "SLACK_BOT_TOKEN is no longer valid", kNewBotToken},
    {"account_inactive", kBotToken, "SLACK_BOT_TOKEN is no longer valid", kNewBotToken},
};

// apps.connections.open with the app-level token
// (https://api.slack.com/methods/apps.connections.open): Socket Mode off, or the token.
constexpr KnownError kConnectionErrors[] = {
    {"socket_mode_not_enabled", kSocketMode, "off",
     "turn on Settings → Socket Mode → Enable Socket Mode in the app's settings "
     "(deploy/slack-manifest.yml sets socket_mode_enabled: true)"},
    {"invalid_auth", kAppToken, "Slack refused SLACK_APP_TOKEN",
     "generate an app-level token with the connections:write scope under Basic Information → "
     "App-Level Tokens and set SLACK_APP_TOKEN to it (xapp-…)"},
    {"not_allowed_token_type", kAppToken, "SLACK_APP_TOKEN is not an app-level token",
     "use the xapp-… token from Basic Information → App-Level Tokens, not the bot token"},
    {"not_authed", kAppToken, "no token reached Slack",
     "set SLACK_APP_TOKEN to the app-level token (xapp-…) from Basic Information → App-Level "
     "Tokens"},
    {"missing_scope", kAppToken, "SLACK_APP_TOKEN lacks connections:write",
     "generate a new app-level token with that scope under Basic Information → App-Level Tokens "
     "(an existing token's scopes cannot be changed)"},
    {"token_revoked", kAppToken, "SLACK_APP_TOKEN is no longer valid", kNewAppToken},
    {"token_expired", kAppToken, "SLACK_APP_TOKEN is no longer valid", kNewAppToken},
    {"account_inactive", kAppToken, "SLACK_APP_TOKEN is no longer valid", kNewAppToken},
};

// The finding for a call that did not succeed (nullopt when it did): unreachable, rate-limited,
// a known error with its fix, or an unknown one named as it came.
template <std::size_t N>
std::optional<SetupFinding> known_error(const SlackCall& call, const char* subject,
                                        const KnownError (&errors)[N]) {
    if (unreachable(call))
        return SetupFinding{SetupStatus::fail, subject, unreachable_detail(call)};
    if (call.error == "ratelimited") {
        return SetupFinding{SetupStatus::warn, subject, rate_limited_detail()};
    }
    if (call.ok) return std::nullopt;
    for (const KnownError& known : errors) {
        if (known.error != call.error) continue;
        return SetupFinding{
            SetupStatus::fail, known.subject,
            std::string(known.what) + " (" + call.error + ") — " + std::string(known.fix)};
    }
    return SetupFinding{SetupStatus::fail, subject, "Slack answered " + call.error};
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
    if (auto known = known_error(auth, kBotToken, kBotTokenErrors)) return *known;
    const auto& body = auth.body;
    const std::string user = text_of(body, "user");
    // auth.test names a bot_id only for a bot's token (a user token would post as that person).
    if (text_of(body, "bot_id").empty()) {
        return {SetupStatus::fail, kBotToken,
                "SLACK_BOT_TOKEN belongs to the person @" + user +
                    ", not to the app's bot — use the Bot User OAuth Token (xoxb-…) from OAuth & "
                    "Permissions"};
    }
    return {SetupStatus::ok, kBotToken,
            "workspace \"" + text_of(body, "team") + "\" (" + text_of(body, "team_id") +
                "), bot @" + user};
}

SetupFinding judge_bot_scopes(const SlackCall& auth) {
    if (!auth.ok) {
        return SetupFinding{SetupStatus::skip, kBotScopes,
                            "not checked: the bot token did not work"};
    }
    if (!auth.oauth_scopes) {
        return SetupFinding{
            SetupStatus::warn, kBotScopes,
            "not checked: Slack sent no X-OAuth-Scopes header; compare OAuth & "
            "Permissions → Bot Token Scopes with deploy/slack-manifest.yml by hand"};
    }
    const std::set<std::string> granted = scope_set(*auth.oauth_scopes);
    std::vector<std::string> missing;
    std::vector<std::string> wanted;
    for (const auto scope : kManifestBotScopes) {
        wanted.emplace_back(scope);
        if (granted.count(std::string(scope)) == 0) missing.emplace_back(scope);
    }
    if (missing.empty()) {
        return SetupFinding{SetupStatus::ok, kBotScopes,
                            joined(wanted) + " granted, as deploy/slack-manifest.yml asks"};
    }
    return SetupFinding{SetupStatus::fail, kBotScopes,
                        "missing " + joined(missing) + " — add " +
                            (missing.size() == 1 ? "it" : "them") +
                            " under OAuth & Permissions → Bot Token Scopes (or update the app from "
                            "deploy/slack-manifest.yml) and reinstall the app"};
}

SetupFinding judge_socket_mode(const SlackCall& open) {
    if (auto known = known_error(open, kSocketMode, kConnectionErrors)) return *known;
    if (!text_of(open.body, "url").starts_with("wss://")) {
        return {SetupStatus::fail, kSocketMode,
                "apps.connections.open answered without a wss:// URL — is SLACK_API_URL Slack's "
                "Web API?"};
    }
    return {SetupStatus::ok, kSocketMode,
            "on, and SLACK_APP_TOKEN may open connections (connections:write)"};
}

}  // namespace funnelbot::bot::slack
