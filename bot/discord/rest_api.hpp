// The Discord REST calls funnelbot makes (API v10), on the shared HTTPS client: bot-token
// authentication, per-bucket rate limiting learnt from the X-RateLimit-* headers, 429s waited
// out (per route, or for every route when global), 5xx retried a bounded number of times by the
// HTTPS client, and no more requests once Discord rejected the token (401) or too many requests
// were refused. Interaction callbacks go through their own HTTPS client and skip the limiter:
// they are exempt from the global limit and must never wait behind other traffic.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/discord/rest_rate_limits.hpp"
#include "bot/net/https_client.hpp"
#include "bot/net/url.hpp"

namespace funnelbot::bot::discord {

// JSON error codes funnelbot reacts to
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
inline constexpr int kUnknownInteraction = 10062;
inline constexpr int kCannotMessageUser = 50007;

struct DiscordCall {
    int status = 0;       // HTTP status; 0 when no answer arrived
    int code = 0;         // Discord's JSON error code, when the answer carried one
    std::string error;    // what failed, for the log; never a token
    nlohmann::json body;  // the answer when it was JSON
    bool ok() const { return status >= 200 && status <= 299; }
};

struct RestApiOptions {
    Url api_base;                  // DISCORD_API_URL, ending with '/'
    std::string token;             // the bot token, only ever in "Authorization: Bot …"
    int max_rate_limit_waits = 3;  // 429s waited out per request before giving up
};

// Options for the HTTPS clients RestApi uses: the User-Agent Discord asks for
// ("DiscordBot (url, version)"), and 429s returned rather than waited out, since RestApi
// waits them out itself (per bucket, or for every route when global).
HttpOptions http_options(std::string_view version);
// The interaction callbacks' client: a retry only within Discord's 3 s deadline, and as many
// kept-alive connections as callbacks in flight at busy times. With the default 4, eight people
// at once made it open (and TLS-handshake) a connection for most callbacks: a fifth of the bot's
// CPU and twice the p99 (README "Performance").
HttpOptions callback_http_options(std::string_view version);

class RestApi {
public:
    // `http` serves every call but interaction callbacks, which use `callbacks` (may be the same
    // client). Both should be made with http_options(), must outlive this object and run on
    // `executor`.
    RestApi(boost::asio::any_io_executor executor, HttpsClient& http, HttpsClient& callbacks,
            RestApiOptions options);

    boost::asio::awaitable<DiscordCall> get_gateway_bot();
    boost::asio::awaitable<DiscordCall> get_current_application();
    // The bot's own user (https://discord.com/developers/docs/resources/user#get-current-user).
    boost::asio::awaitable<DiscordCall> get_current_user();
    // The registered commands: global when guild_id is empty, else that guild's.
    boost::asio::awaitable<DiscordCall> get_commands(const std::string& application_id,
                                                     const std::string& guild_id);
    // Bulk overwrite: global when guild_id is empty, else that guild's commands.
    boost::asio::awaitable<DiscordCall> put_commands(const std::string& application_id,
                                                     const std::string& guild_id,
                                                     const nlohmann::json& commands);
    // `response` and `message` are JSON text (render_discord_message's, in a callback body).
    boost::asio::awaitable<DiscordCall> interaction_callback(const std::string& interaction_id,
                                                             const std::string& token,
                                                             std::string response);
    boost::asio::awaitable<DiscordCall> edit_original(const std::string& application_id,
                                                      const std::string& token,
                                                      std::string message);
    boost::asio::awaitable<DiscordCall> create_dm(const std::string& user_id);
    boost::asio::awaitable<DiscordCall> create_message(const std::string& channel_id,
                                                       const nlohmann::json& message);

    // True once Discord answered 401 to the bot token: it is wrong or revoked; nothing more is sent
    // with it (interaction callbacks and edits, authorised by their own tokens, still go out).
    bool token_rejected() const { return *token_rejected_; }

private:
    // bot: "Authorization: Bot …", rate-limited; webhook: the interaction token in the path is the
    // credential, rate-limited; callback: the same, exempt from the limits (own client).
    enum class Auth { bot, webhook, callback };
    // `route` is the template for the limiter ("POST /channels/{id}/messages"), `major` its
    // top-level id.
    boost::asio::awaitable<DiscordCall> call(boost::beast::http::verb method, std::string path,
                                             std::string route, std::string major,
                                             std::optional<std::string> body, Auth auth);
    // GET or PUT of the command list, global or of one guild.
    boost::asio::awaitable<DiscordCall> commands_call(boost::beast::http::verb method,
                                                      const std::string& application_id,
                                                      const std::string& guild_id,
                                                      const nlohmann::json* commands);

    boost::asio::any_io_executor executor_;
    HttpsClient& http_;
    HttpsClient& callbacks_;
    RestApiOptions options_;
    // Shared with calls in flight, which may outlive a stopped client.
    std::shared_ptr<RestRateLimits> limits_ = std::make_shared<RestRateLimits>();
    std::shared_ptr<bool> token_rejected_ = std::make_shared<bool>(false);
};

}  // namespace funnelbot::bot::discord
