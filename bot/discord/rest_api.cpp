#include "bot/discord/rest_api.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>

namespace funnelbot::bot::discord {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Snowflakes are decimal digits; interaction tokens are URL-safe text. Anything else is refused
// before it is put into a path.
bool is_snowflake(const std::string& text) {
    if (text.empty() || text.size() > 20) return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_token(const std::string& text) {
    if (text.empty() || text.find("..") != std::string::npos) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '-' || c == '_' || c == '.';
    });
}

DiscordCall refused(std::string error) {
    DiscordCall call;
    call.error = std::move(error);
    return call;
}

DiscordCall read_answer(const std::string& what, const HttpResult& result) {
    DiscordCall call;
    if (!result.ok()) {
        // The transport's message names the URL path, which for interaction routes holds the
        // interaction token: keep only its cause ("…: Connection refused").
        const auto cause = result.error.rfind(": ");
        call.error = what + ": " +
                     (cause == std::string::npos ? std::string("request failed")
                                                 : result.error.substr(cause + 2));
        return call;
    }
    const HttpResponse& response = *result.response;
    call.status = response.status;
    // An empty body (204 No Content, every interaction callback's) is no JSON, so not parsed.
    if (!response.body.empty()) call.body = nlohmann::json::parse(response.body, nullptr, false);
    if (call.body.is_discarded()) call.body = nullptr;
    if (call.body.is_object()) {
        if (const auto it = call.body.find("code");
            it != call.body.end() && it->is_number_integer())
            call.code = it->get<int>();
    }
    if (!call.ok()) {
        call.error = what + ": HTTP " + std::to_string(call.status);
        if (call.body.is_object() && call.body.contains("message") &&
            call.body["message"].is_string()) {
            call.error += " " + call.body["message"].get<std::string>();
        }
        if (call.code != 0) call.error += " (code " + std::to_string(call.code) + ")";
    }
    return call;
}

}  // namespace

HttpOptions http_options(std::string_view version) {
    HttpOptions options;
    options.max_rate_limit_waits = 0;
    options.user_agent =
        "DiscordBot (https://github.com/funnelbot/funnelbot, " + std::string(version) + ")";
    return options;
}

HttpOptions callback_http_options(std::string_view version) {
    HttpOptions options = http_options(version);
    options.max_attempts = 2;
    options.request_timeout = std::chrono::milliseconds(1200);
    options.max_idle_per_host = 16;
    return options;
}

RestApi::RestApi(asio::any_io_executor executor, HttpsClient& http, HttpsClient& callbacks,
                 RestApiOptions options)
    : executor_(std::move(executor)),
      http_(http),
      callbacks_(callbacks),
      options_(std::move(options)) {}

asio::awaitable<DiscordCall> RestApi::call(http::verb method, std::string path, std::string route,
                                           std::string major, std::optional<std::string> body,
                                           Auth auth) {
    const std::string what = route;  // "POST /channels/{id}/messages": no ids, no tokens
    auto limits = limits_;
    auto rejected = token_rejected_;
    // Interaction routes are authorised by the token in their path, not by the bot token, so a
    // revoked bot token does not stop them (and their 401s do not mean the bot token is bad).
    if (*rejected && auth == Auth::bot) {
        co_return refused(what + ": not sent, Discord rejected the bot token earlier (401)");
    }
    HttpRequest request;
    request.method = method;
    request.url = options_.api_base.join(path);
    if (auth == Auth::bot) request.headers.emplace_back("Authorization", "Bot " + options_.token);
    if (body) {
        request.content_type = "application/json";
        request.body = std::move(*body);
    }
    request.rate_limit_key = route + "|" + major;
    // The route template, never the path: interaction and webhook tokens live in paths.
    request.describe_as = route;
    const bool limited = auth != Auth::callback;
    DiscordCall answer;
    for (int waits = 0;; ++waits) {
        if (limited) {
            // Bounded: each pass either sends or sleeps until a known reset.
            for (int pass = 0; pass < 1000; ++pass) {
                if (limits->too_many_invalid(RestRateLimits::Clock::now())) {
                    co_return refused(what +
                                      ": not sent, too many refused requests in the last 10 "
                                      "minutes (Discord would ban this address)");
                }
                const auto wait = limits->acquire(route, major, RestRateLimits::Clock::now());
                if (wait.count() == 0) break;
                asio::steady_timer timer(executor_, wait);
                co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            }
        }
        HttpsClient& client = auth == Auth::callback ? callbacks_ : http_;
        // The last pass may give the request (and its body, the whole reply) away. Named, not a
        // temporary in the co_await: built there, GCC 12's coroutine freed it wrongly ("free():
        // invalid pointer" in every gateway test).
        HttpRequest sent = waits >= options_.max_rate_limit_waits ? std::move(request) : request;
        const HttpResult result = co_await client.send(std::move(sent));
        if (result.ok() && limited)
            limits->on_response(route, major, *result.response, RestRateLimits::Clock::now());
        answer = read_answer(what, result);
        if (answer.status == 401 && auth == Auth::bot) *rejected = true;
        if (answer.status != 429 || waits >= options_.max_rate_limit_waits) co_return answer;
        // The wait is in the limiter now (route or global); a callback waits here itself.
        if (!limited) {
            asio::steady_timer timer(executor_, RestRateLimits::retry_after(*result.response));
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    }
}

asio::awaitable<DiscordCall> RestApi::get_gateway_bot() {
    std::string path = "gateway/bot", route = "GET /gateway/bot", major;
    co_return co_await call(http::verb::get, path, route, major, std::nullopt, Auth::bot);
}

asio::awaitable<DiscordCall> RestApi::get_current_application() {
    std::string path = "applications/@me", route = "GET /applications/@me", major;
    co_return co_await call(http::verb::get, path, route, major, std::nullopt, Auth::bot);
}

asio::awaitable<DiscordCall> RestApi::get_current_user() {
    std::string path = "users/@me", route = "GET /users/@me", major;
    co_return co_await call(http::verb::get, path, route, major, std::nullopt, Auth::bot);
}

asio::awaitable<DiscordCall> RestApi::commands_call(http::verb method,
                                                    const std::string& application_id,
                                                    const std::string& guild_id,
                                                    const nlohmann::json* commands) {
    const std::string verb(http::to_string(method));
    if (!is_snowflake(application_id) || (!guild_id.empty() && !is_snowflake(guild_id)))
        co_return refused(verb + " commands: the application or guild id is not a Discord id");
    std::string path = "applications/" + application_id + "/commands";
    std::string route = verb + " /applications/{id}/commands";
    std::string major = application_id;
    if (!guild_id.empty()) {
        path = "applications/" + application_id + "/guilds/" + guild_id + "/commands";
        route = verb + " /applications/{id}/guilds/{id}/commands";
        major = guild_id;
    }
    std::optional<std::string> body;
    if (commands != nullptr) body = commands->dump();
    co_return co_await call(method, path, route, major, std::move(body), Auth::bot);
}

asio::awaitable<DiscordCall> RestApi::get_commands(const std::string& application_id,
                                                   const std::string& guild_id) {
    co_return co_await commands_call(http::verb::get, application_id, guild_id, nullptr);
}

asio::awaitable<DiscordCall> RestApi::put_commands(const std::string& application_id,
                                                   const std::string& guild_id,
                                                   const nlohmann::json& commands) {
    co_return co_await commands_call(http::verb::put, application_id, guild_id, &commands);
}

asio::awaitable<DiscordCall> RestApi::interaction_callback(const std::string& interaction_id,
                                                           const std::string& token,
                                                           std::string response) {
    if (!is_snowflake(interaction_id) || !is_token(token))
        co_return refused("POST interaction callback: malformed interaction id or token");
    std::string path = "interactions/" + interaction_id + "/" + token + "/callback";
    std::string route = "POST /interactions/{id}/{token}/callback";
    co_return co_await call(http::verb::post, path, route, interaction_id, std::move(response),
                            Auth::callback);
}

asio::awaitable<DiscordCall> RestApi::edit_original(const std::string& application_id,
                                                    const std::string& token, std::string message) {
    if (!is_snowflake(application_id) || !is_token(token))
        co_return refused("PATCH @original: malformed application id or token");
    // Webhook routes are limited per webhook and token.
    std::string path = "webhooks/" + application_id + "/" + token + "/messages/@original";
    std::string route = "PATCH /webhooks/{id}/{token}/messages/@original";
    co_return co_await call(http::verb::patch, path, route, token, std::move(message),
                            Auth::webhook);
}

asio::awaitable<DiscordCall> RestApi::create_dm(const std::string& user_id) {
    if (!is_snowflake(user_id)) co_return refused("POST /users/@me/channels: malformed user id");
    const nlohmann::json body{{"recipient_id", user_id}};
    std::string path = "users/@me/channels", route = "POST /users/@me/channels", major;
    co_return co_await call(http::verb::post, path, route, major, body.dump(), Auth::bot);
}

asio::awaitable<DiscordCall> RestApi::create_message(const std::string& channel_id,
                                                     const nlohmann::json& message) {
    if (!is_snowflake(channel_id)) co_return refused("POST message: malformed channel id");
    std::string path = "channels/" + channel_id + "/messages";
    std::string route = "POST /channels/{id}/messages";
    co_return co_await call(http::verb::post, path, route, channel_id, message.dump(), Auth::bot);
}

}  // namespace funnelbot::bot::discord
