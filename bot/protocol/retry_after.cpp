#include "bot/protocol/retry_after.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace funnelbot::bot {

namespace {

std::optional<std::chrono::milliseconds> to_wait(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
    // Capped before the conversion so absurd values cannot overflow.
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(std::ceil(std::min(seconds, 1e9) * 1000)));
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_after_header(std::string_view value) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    double seconds = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || value.empty() || end != value.data() + value.size())
        return std::nullopt;
    return to_wait(seconds);
}

std::optional<std::chrono::milliseconds> retry_after_body(std::string_view body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    const auto it = json.find("retry_after");
    if (it == json.end() || !it->is_number()) return std::nullopt;
    return to_wait(it->get<double>());
}

}  // namespace funnelbot::bot
