// libFuzzer: Slack Socket Mode envelopes into the sans-io protocol core. Each input line is one
// text frame on the open connection; the connection opens and closes as the core asks. Whatever
// Slack (or an attacker in its place) sends, the core answers with actions, never a crash, and
// every frame it sends back (an ack carries the envelope id it was given) is valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "bot/slack/socket_mode_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace funnelbot::bot::slack;
    SocketModeProtocol protocol;
    const auto check_frames = [](const Actions& actions) {
        for (const Action& a : actions) {
            if (const auto* frame = std::get_if<SendFrame>(&a)) {
                if (!nlohmann::json::accept(frame->text)) std::abort();
            }
        }
    };
    const auto follow = [&](Actions actions) {
        check_frames(actions);
        for (const Action& a : actions) {
            if (const auto* open = std::get_if<OpenConnection>(&a)) {
                (void)protocol.on_connected(open->generation);
            } else if (const auto* run = std::get_if<RunCommand>(&a)) {
                check_frames(protocol.on_reply(run->command.envelope_id, R"({"text":"ok"})"));
            }
        }
    };
    follow(protocol.start());
    std::string_view input(reinterpret_cast<const char*>(data), size);
    while (!input.empty() && !protocol.stopped()) {
        const auto end = input.find('\n');
        const std::string_view frame = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        follow(protocol.on_text(protocol.current(), frame));
    }
    return 0;
}
