// Slack Socket Mode as a state machine without sockets: frames, timer expiries and connection
// events in; actions out (send an ack, run a command, open or close a connection, stop). The
// coroutine client in socket_mode_client.cpp only feeds it and carries the actions out, so
// every rule of the protocol is tested frame by frame
// (tests/bot/slack/socket_mode_protocol_test.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/protocol/pruned_json.hpp"
#include "bot/protocol/seen_ids.hpp"
#include "bot/protocol/stop_cause.hpp"

namespace funnelbot::bot::slack {

using Generation = std::uint64_t;  // one per WebSocket; timers of an old one never touch a new one

struct SlashCommand {
    std::string envelope_id;
    std::string team_id;
    std::string channel_id;
    std::string user_id;
    std::string user_name;
    std::string command;  // "/funnel-check"
    std::string text;
    std::string response_url;
};

// --- actions ---------------------------------------------------------------------------------
struct OpenConnection {
    Generation generation = 0;
    std::chrono::milliseconds delay{0};  // back-off before apps.connections.open
};
struct CloseConnection {
    Generation generation = 0;
};
struct SendFrame {
    Generation generation = 0;
    std::string text;  // an ack
};
struct RunCommand {
    SlashCommand command;
};
struct StartAckTimer {
    std::string envelope_id;
    std::chrono::milliseconds after{0};
};
struct PostResponseUrl {
    std::string url;
    std::string body;  // JSON text
};
struct Stop {
    std::string reason;  // one clear line for the log
    StopCause cause = StopCause::failure;
};
using Action = std::variant<OpenConnection, CloseConnection, SendFrame, RunCommand, StartAckTimer,
                            PostResponseUrl, Stop>;
using Actions = std::vector<Action>;

// What SocketModeProtocol builds of a frame: the type, a disconnect's reason, the envelope id and
// of a slash command's payload the fields it reads (socket_mode_protocol.cpp lists them).
std::span<const KeptMember> socket_mode_frame_fields();

struct ProtocolOptions {
    std::chrono::milliseconds ack_deadline{1500};  // empty ack by then, reply via response_url
    std::chrono::milliseconds backoff_base{1000};
    std::chrono::milliseconds backoff_cap{30000};
    std::uint64_t jitter_seed = 0x51ac;
    std::size_t remembered_envelopes = 4096;  // in-memory duplicate detection window
};

// Why apps.connections.open or the upgrade failed.
struct ConnectFailure {
    std::string error;  // Slack's error code ("invalid_auth") or a transport message
    std::optional<std::chrono::milliseconds> retry_after;  // from a 429
};

class SocketModeProtocol {
public:
    explicit SocketModeProtocol(ProtocolOptions options = {});

    // The first connection.
    Actions start();
    // The socket of `generation` is upgraded (hello not yet received).
    Actions on_connected(Generation generation);
    // Opening `generation` failed (apps.connections.open error or transport failure).
    Actions on_connect_failed(Generation generation, const ConnectFailure& failure);
    // A text frame arrived on `generation`.
    Actions on_text(Generation generation, std::string_view frame);
    // The socket of `generation` is gone (closed by either side, dropped or stale).
    Actions on_closed(Generation generation);
    // A command's reply is ready (a Block Kit message as JSON text, render_block_kit's); nullopt:
    // nothing to send (a duplicate). A payload with kAckRoom bytes of spare capacity becomes the
    // ack frame in place, without a new allocation of its size.
    Actions on_reply(const std::string& envelope_id, std::optional<std::string> payload);
    static constexpr std::size_t kAckRoom = 128;  // {"envelope_id":"…","payload": … }
    // The ack deadline of an envelope passed.
    Actions on_ack_deadline(const std::string& envelope_id);

    // Errors that no reconnect can fix (a revoked token, a disabled workspace).
    static bool is_fatal_error(std::string_view slack_error);

    Generation current() const { return current_; }
    // Commands handed out whose reply is not yet sent (for tests and shutdown checks).
    std::size_t pending() const { return pending_.size(); }
    bool stopped() const { return stopped_; }

private:
    struct Pending {
        Generation generation = 0;
        std::string response_url;
        bool acked = false;  // an empty ack went out at the deadline
    };

    nlohmann::json read_frame(std::string_view frame);
    Actions reconnect(bool make_before_break);
    Actions handle_envelope(Generation generation, const nlohmann::json& msg);
    // Open and not being closed: a frame sent there reaches Slack.
    bool can_send_on(Generation generation) const;
    std::chrono::milliseconds next_backoff();

    ProtocolOptions options_;
    std::mt19937_64 rng_;
    Generation next_generation_ = 1;
    Generation current_ = 0;         // the socket that receives envelopes (0: none)
    Generation opening_ = 0;         // a connection being opened (at most one in flight)
    std::set<Generation> open_;      // upgraded sockets not yet closed
    std::set<Generation> retiring_;  // old sockets to close once the new one says hello
    int failures_ = 0;
    bool stopped_ = false;
    std::map<std::string, Pending> pending_;
    SeenIds seen_;  // envelope ids, to spot Slack's redeliveries
    // Reads frames (read_frame); an envelope is a few KB, so larger frames are parsed whole and
    // the parser's buffers stay small.
    PrunedJsonParser frame_parser_{64 * 1024};
};

}  // namespace funnelbot::bot::slack
