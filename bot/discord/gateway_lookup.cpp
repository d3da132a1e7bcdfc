#include "bot/discord/gateway_lookup.hpp"

#include <algorithm>

#include "bot/protocol/json_fields.hpp"

namespace funnelbot::bot::discord {

std::chrono::milliseconds identify_wait(const nlohmann::json& gateway_bot) {
    const auto& limit = object_of(gateway_bot, "session_start_limit");
    const auto remaining = limit.find("remaining");
    const auto reset_after = limit.find("reset_after");
    if (remaining == limit.end() || !remaining->is_number_integer() ||
        remaining->get<long long>() > 0 || reset_after == limit.end() ||
        !reset_after->is_number()) {
        return std::chrono::milliseconds{0};
    }
    const double ms = std::clamp(reset_after->get<double>(), 0.0, 24.0 * 3600 * 1000);
    return std::chrono::milliseconds(static_cast<long long>(ms));
}

GatewayLookupStep GatewayLookup::start() {
    attempt_ = 1;
    wait_ = std::chrono::milliseconds{500};
    return LookUpGateway{attempt_, std::chrono::milliseconds{0}, {}};
}

GatewayLookupStep GatewayLookup::on_answer(int status, const nlohmann::json& body,
                                           const std::string& error) {
    const bool ok = status >= 200 && status <= 299;
    if (ok && body.is_object() && body.contains("url") && body["url"].is_string()) {
        return GatewayFound{body["url"].get<std::string>(), identify_wait(body)};
    }
    if (status == 401 || status == 403) {
        return GatewayLookupFailed{"Discord refused the bot token (HTTP " + std::to_string(status) +
                                   " on GET /gateway/bot): check DISCORD_BOT_TOKEN"};
    }
    if (attempt_ >= max_attempts_) {
        return GatewayLookupFailed{
            "could not look up the Discord gateway (GET /gateway/bot) after " +
            std::to_string(max_attempts_) + " attempts: check DISCORD_API_URL and the network"};
    }
    const std::string warning = "looking up the gateway failed (" +
                                (error.empty() ? std::string("no url in the answer") : error) +
                                "); attempt " + std::to_string(attempt_) + " of " +
                                std::to_string(max_attempts_);
    const auto delay = wait_;
    wait_ = std::min<std::chrono::milliseconds>(wait_ * 2, std::chrono::seconds(30));
    return LookUpGateway{++attempt_, delay, warning};
}

}  // namespace funnelbot::bot::discord
