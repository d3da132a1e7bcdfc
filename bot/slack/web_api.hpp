// The Slack Web API calls funnelbot makes, on the shared HTTPS client. Every answer is read
// through Slack's envelope: HTTP 200 does not mean success, `ok` does.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/net/https_client.hpp"
#include "bot/net/url.hpp"

namespace funnelbot::bot::slack {

struct SlackCall {
    bool ok = false;
    std::string error;  // Slack's error code ("invalid_auth") or the transport failure
    std::string warning;
    nlohmann::json body;                                   // the whole answer when it was JSON
    std::optional<std::chrono::milliseconds> retry_after;  // from a 429
    // The token's scopes as Slack lists them in the X-OAuth-Scopes header ("commands,chat:write"),
    // when the answer carried one (https://api.slack.com/legacy/oauth-scopes).
    std::optional<std::string> oauth_scopes;
};

class WebApi {
public:
    // `api_base` ends with '/' (SLACK_API_URL). Tokens are only ever put in Authorization.
    WebApi(HttpsClient& http, Url api_base, std::string app_token, std::string bot_token);

    // apps.connections.open with the app-level token: {"url": "wss://…"}.
    boost::asio::awaitable<SlackCall> open_connection();
    // auth.test with the bot token: who the token is (team, team_id, user, user_id) and, in
    // oauth_scopes, what it may do (https://api.slack.com/methods/auth.test).
    boost::asio::awaitable<SlackCall> auth_test();
    // users.info (GET: the method does not take JSON).
    boost::asio::awaitable<SlackCall> users_info(const std::string& user_id);
    boost::asio::awaitable<SlackCall> conversations_open(const std::string& user_id);
    boost::asio::awaitable<SlackCall> post_message(const nlohmann::json& message);
    // A reply to response_url (no token: the URL is the credential).
    // `body` is JSON text (render_block_kit's).
    boost::asio::awaitable<SlackCall> post_response_url(const std::string& url, std::string body);

    // Reads Slack's envelope out of an HTTP result.
    static SlackCall read_envelope(const HttpResult& result);

private:
    boost::asio::awaitable<SlackCall> call(const std::string& method, std::string content_type,
                                           std::string body, bool app_token);

    HttpsClient& http_;
    Url api_base_;
    std::string app_token_;
    std::string bot_token_;
};

}  // namespace funnelbot::bot::slack
