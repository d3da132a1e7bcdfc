// Finding the gateway before the first connection, as a state machine without sockets: the
// answers of GET /gateway/bot in, the next step out (ask again after a wait, connect, give up).
// https://discord.com/developers/docs/events/gateway#get-gateway-bot
// Bounded retries with doubling waits; 401/403 stop at once (the token is wrong, and retrying a
// refused token counts towards Discord's invalid-request ban); with no session starts left
// today, the connection waits for session_start_limit.reset_after rather than burn the token.
#pragma once

#include <chrono>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace funnelbot::bot::discord {

struct LookUpGateway {
    int attempt = 1;                     // 1 for the first request
    std::chrono::milliseconds delay{0};  // wait this long, then send GET /gateway/bot
    std::string warning;                 // why the previous attempt failed, for the log
};
struct GatewayFound {
    std::string url;                             // the wss:// URL for fresh sessions
    std::chrono::milliseconds identify_wait{0};  // wait this long before the first Identify
};
struct GatewayLookupFailed {
    std::string reason;  // one clear line for the log; never contains the token
};
using GatewayLookupStep = std::variant<LookUpGateway, GatewayFound, GatewayLookupFailed>;

// How long to wait before the first Identify, from GET /gateway/bot's session_start_limit: its
// reset_after (ms, at most a day) when no session starts remain, else zero.
std::chrono::milliseconds identify_wait(const nlohmann::json& gateway_bot);

class GatewayLookup {
public:
    explicit GatewayLookup(int max_attempts = 8) : max_attempts_(max_attempts) {}

    GatewayLookupStep start();
    // An answer to the last LookUpGateway: `status` the HTTP status (0: no answer), `body` the
    // parsed answer, `error` what failed (for the log).
    GatewayLookupStep on_answer(int status, const nlohmann::json& body, const std::string& error);

private:
    int max_attempts_;
    int attempt_ = 0;
    std::chrono::milliseconds wait_{500};
};

}  // namespace funnelbot::bot::discord
