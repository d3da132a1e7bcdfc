// libFuzzer: Discord Gateway payloads into the sans-io protocol core. Each input line is one
// text frame on the open connection, a second apart; the connection opens as the core asks.
// Whatever arrives, the core answers with actions, never a crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "bot/discord/gateway_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace funnelbot::bot::discord;
    ProtocolOptions options;
    options.token = "fuzz-token";
    GatewayProtocol protocol(options);
    const auto follow = [&](const Actions& actions) {
        for (const Action& a : actions) {
            if (const auto* open = std::get_if<OpenConnection>(&a)) {
                (void)protocol.on_connected(open->generation);
            }
        }
    };
    follow(protocol.start());
    TimePoint now{};
    std::string_view input(reinterpret_cast<const char*>(data), size);
    while (!input.empty() && !protocol.stopped()) {
        const auto end = input.find('\n');
        const std::string_view frame = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        now += std::chrono::seconds(1);
        follow(protocol.on_text(protocol.current(), frame, now));
    }
    return 0;
}
