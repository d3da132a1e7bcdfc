// The Discord Gateway as a state machine without sockets: connection events, gateway payloads and
// heartbeat-timer expiries in; actions out (open or close a socket, send a payload, arm the
// heartbeat timer, hand a dispatch to the bot, stop). A coroutine client only feeds it and carries
// the actions out, so every rule (Hello/heartbeat/zombie, Identify vs Resume, op 7/op 9, close
// codes, back-off, send budget) is tested frame by frame in
// tests/bot/discord/gateway_protocol_test.cpp. The rules it follows:
// https://discord.com/developers/docs/events/gateway (see bot/discord/README.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/protocol/pruned_json.hpp"
#include "bot/protocol/stop_cause.hpp"

namespace funnelbot::bot::discord {

using Generation = std::uint64_t;  // one per WebSocket; frames and timers of an old one are ignored
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// --- actions ---------------------------------------------------------------------------------
struct OpenConnection {
    Generation generation = 0;
    std::string url;  // gateway or resume_gateway_url + "/?v=10&encoding=json"
    std::chrono::milliseconds delay{0};
};
struct Send {
    Generation generation = 0;
    std::string text;  // one gateway payload, at most 4096 bytes
};
struct StartHeartbeatTimer {
    Generation generation = 0;
    std::chrono::milliseconds delay{0};  // one-shot: fire on_heartbeat_timer after it
};
struct CloseConnection {
    Generation generation = 0;
    int code = 4900;  // non-1000 keeps the session resumable; 1000 only for a full stop
};
struct Dispatch {
    std::string event;  // t, e.g. "INTERACTION_CREATE"
    nlohmann::json data;
};
struct Stop {
    std::string reason;  // one clear line for the log; never contains the token
    StopCause cause = StopCause::failure;
};
using Action =
    std::variant<OpenConnection, Send, StartHeartbeatTimer, CloseConnection, Dispatch, Stop>;
using Actions = std::vector<Action>;

// What GatewayProtocol builds of an INTERACTION_CREATE frame: op, s, t, and of d the fields
// funnelbot reads (gateway_protocol.cpp lists them and who reads each).
std::span<const KeptMember> interaction_frame_fields();

struct ProtocolOptions {
    std::string token;          // raw bot token, no "Bot " prefix; only ever in Identify and Resume
    std::uint64_t intents = 0;  // INTERACTION_CREATE needs no intent
    std::uint64_t seed = 0xd15c0;
    std::chrono::milliseconds backoff_base{1000};
    std::chrono::milliseconds backoff_cap{30000};
    std::string gateway_url = "wss://gateway.discord.gg";  // until on_gateway_url() says otherwise
};

class GatewayProtocol {
public:
    // Discord closes a connection that sends more than 120 payloads per 60 s.
    static constexpr std::size_t kSendBudget = 120;
    // Held back for timer heartbeats, so server-requested beats can never starve them (djs: 115).
    static constexpr std::size_t kHeartbeatReserve = 5;
    static constexpr std::chrono::seconds kSendWindow{60};
    static constexpr std::size_t kMaxPayload = 4096;  // larger payloads are closed with 4002
    static constexpr int kResumeCloseCode = 4900;     // any code but 1000/1001 keeps the session

    explicit GatewayProtocol(ProtocolOptions options);

    // The first connection.
    Actions start();
    // The URL from GET /gateway/bot, used for every fresh (non-resume) connection.
    void on_gateway_url(std::string url);
    // The socket of `generation` is upgraded (Hello not yet received).
    Actions on_connected(Generation generation);
    // A text frame arrived on `generation`; `now` feeds the send budget.
    Actions on_text(Generation generation, std::string_view frame, TimePoint now);
    // The heartbeat timer armed for `generation` fired.
    Actions on_heartbeat_timer(Generation generation, TimePoint now);
    // The socket of `generation` is gone, or failed to open; close_code 0: no code (dropped).
    Actions on_closed(Generation generation, int close_code);
    // A full stop (the process is shutting down): close with 1000, which ends the session.
    Actions shutdown();

    static bool is_fatal_close(int close_code);

    Generation current() const { return current_; }
    bool stopped() const { return stopped_; }
    // The current connection reached READY or RESUMED: interactions arrive on it.
    bool ready() const { return ready_; }
    const std::string& session_id() const { return session_id_; }
    const std::string& resume_gateway_url() const { return resume_gateway_url_; }
    const std::string& application_id() const { return application_id_; }
    std::optional<std::int64_t> last_sequence() const { return last_seq_; }

private:
    nlohmann::json read_frame(std::string_view frame);
    Actions on_hello(Generation generation, const nlohmann::json& d, TimePoint now);
    Actions on_dispatch(nlohmann::json msg);
    Actions close_and_reconnect(int code, std::chrono::milliseconds min_delay);
    Actions reconnect(std::chrono::milliseconds min_delay);
    void retire_current();
    void clear_session();
    bool has_session() const { return !session_id_.empty(); }
    std::chrono::milliseconds next_backoff();
    std::string heartbeat_payload() const;
    // Appends a Send when the payload fits the budget; false when it was held back.
    bool send(Actions& out, std::string text, bool heartbeat, TimePoint now);

    ProtocolOptions options_;
    std::mt19937_64 rng_;
    Generation next_generation_ = 1;
    Generation current_ = 0;  // the upgraded socket we talk on (0: none)
    Generation opening_ = 0;  // a socket being opened (at most one reconnect in flight)
    bool stopped_ = false;
    int failures_ = 0;         // reconnects since the last READY/RESUMED, for the back-off
    int resume_failures_ = 0;  // resumes that never reached RESUMED, to break resume loops

    // Per socket; reset on every new one (stale ACK flags cause reconnect loops).
    bool hello_received_ = false;
    bool ready_ = false;
    bool awaiting_ack_ = false;
    bool resuming_ = false;  // Resume sent, RESUMED not yet seen
    std::chrono::milliseconds interval_{0};
    std::deque<TimePoint> sent_;  // send times within the last window

    // Session, from READY.
    std::string session_id_;
    std::string resume_gateway_url_;
    std::string application_id_;
    std::optional<std::int64_t> last_seq_;

    // Reads INTERACTION_CREATE frames (read_frame); an interaction is a few KB, so larger frames
    // are parsed whole and the parser's buffers stay small.
    PrunedJsonParser frame_parser_{64 * 1024};
};

}  // namespace funnelbot::bot::discord
