#include "bot/slack/web_api.hpp"

#include <boost/beast/http/verb.hpp>

#include <spdlog/spdlog.h>

#include <cctype>

#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::slack {

namespace {

namespace http = boost::beast::http;

std::string form_encode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

WebApi::WebApi(HttpsClient& http, Url api_base, std::string app_token, std::string bot_token)
    : http_(http),
      api_base_(std::move(api_base)),
      app_token_(std::move(app_token)),
      bot_token_(std::move(bot_token)) {}

SlackCall WebApi::read_envelope(const HttpResult& result) {
    SlackCall call;
    if (!result.ok()) {
        call.error = result.error;
        return call;
    }
    const HttpResponse& r = *result.response;
    call.oauth_scopes = r.header("X-OAuth-Scopes");
    if (r.status == 429) {
        call.error = "ratelimited";
        if (auto after = r.header("Retry-After")) {
            try {
                call.retry_after =
                    std::chrono::milliseconds{static_cast<long long>(std::stod(*after) * 1000)};
            } catch (const std::exception&) {
            }
        }
        return call;
    }
    call.body = nlohmann::json::parse(r.body, nullptr, false);
    if (!call.body.is_object()) {
        call.error = "HTTP " + std::to_string(r.status) + " with a body that is not Slack's JSON";
        return call;
    }
    call.ok = flag_of(call.body, "ok");
    if (!call.ok) {
        call.error = text_of(call.body, "error");
        if (call.error.empty()) call.error = "unknown_error";
    }
    call.warning = text_of(call.body, "warning");
    return call;
}

boost::asio::awaitable<SlackCall> WebApi::call(const std::string& method, std::string content_type,
                                               std::string body, bool app_token) {
    HttpRequest req;
    req.method = http::verb::post;
    req.url = api_base_.join(method);
    req.headers.emplace_back("Authorization", "Bearer " + (app_token ? app_token_ : bot_token_));
    req.content_type = std::move(content_type);
    req.body = std::move(body);
    req.rate_limit_key = method;
    SlackCall result = read_envelope(co_await http_.send(std::move(req)));
    // Slack reports calls that worked but need attention (deprecated arguments, charset).
    if (!result.warning.empty()) spdlog::warn("Slack {}: warning {}", method, result.warning);
    co_return result;
}

boost::asio::awaitable<SlackCall> WebApi::open_connection() {
    co_return co_await call("apps.connections.open", "application/x-www-form-urlencoded", "", true);
}

boost::asio::awaitable<SlackCall> WebApi::auth_test() {
    co_return co_await call("auth.test", "application/x-www-form-urlencoded", "", false);
}

boost::asio::awaitable<SlackCall> WebApi::users_info(const std::string& user_id) {
    HttpRequest req;
    req.method = http::verb::get;
    req.url = api_base_.join("users.info?user=" + form_encode(user_id));
    req.headers.emplace_back("Authorization", "Bearer " + bot_token_);
    req.rate_limit_key = "users.info";
    co_return read_envelope(co_await http_.send(std::move(req)));
}

boost::asio::awaitable<SlackCall> WebApi::conversations_open(const std::string& user_id) {
    co_return co_await call("conversations.open", "application/x-www-form-urlencoded",
                            "users=" + form_encode(user_id), false);
}

boost::asio::awaitable<SlackCall> WebApi::post_message(const nlohmann::json& message) {
    co_return co_await call("chat.postMessage", "application/json; charset=utf-8", message.dump(),
                            false);
}

boost::asio::awaitable<SlackCall> WebApi::post_response_url(const std::string& url,
                                                            std::string body) {
    auto parsed = Url::parse(url);
    if (!parsed) {
        SlackCall bad;
        bad.error = "response_url is not an https URL";
        co_return bad;
    }
    HttpRequest req;
    req.method = http::verb::post;
    req.url = *parsed;
    req.content_type = "application/json; charset=utf-8";
    req.body = std::move(body);
    req.rate_limit_key = "response_url";
    // Its path is a secret that lets anyone answer in the channel: errors name it generically.
    req.describe_as = "POST response_url";
    const HttpResult result = co_await http_.send(std::move(req));
    SlackCall call;
    call.ok = result.ok() && result.response->status / 100 == 2;
    if (!call.ok) {
        call.error = result.ok() ? "HTTP " + std::to_string(result.response->status) : result.error;
    }
    co_return call;
}

}  // namespace funnelbot::bot::slack
