#include "bot/slack/socket_mode_protocol.hpp"

#include <algorithm>
#include <array>

#include "bot/protocol/backoff.hpp"
#include "bot/protocol/json_fields.hpp"
#include "bot/protocol/json_text.hpp"
#include "bot/protocol/moved_actions.hpp"

namespace funnelbot::bot::slack {

namespace {

using nlohmann::json;

// The payload is JSON text already: enclosed in place, never parsed (kAckRoom is its room).
std::string ack_frame(const std::string& envelope_id, std::optional<std::string> payload) {
    std::string head = R"({"envelope_id":)";
    append_json_string(head, envelope_id);
    if (!payload) return head + '}';
    head += R"(,"payload":)";
    return enclosed(head, std::move(*payload));
}

}  // namespace

SocketModeProtocol::SocketModeProtocol(ProtocolOptions options)
    : options_(options), rng_(options.jitter_seed), seen_(options.remembered_envelopes) {}

namespace {

// Of the fatal errors, those that say the token itself is wrong (the rest: the app's settings).
bool token_error(std::string_view slack_error) {
    static constexpr std::array<std::string_view, 6> kToken{
        "invalid_auth",  "not_authed",    "account_inactive",
        "token_revoked", "token_expired", "not_allowed_token_type"};
    return std::find(kToken.begin(), kToken.end(), slack_error) != kToken.end();
}

}  // namespace

bool SocketModeProtocol::is_fatal_error(std::string_view slack_error) {
    // The errors the official SDKs treat as unrecoverable, plus revoked or wrong-type tokens.
    static constexpr std::array<std::string_view, 9> kFatal{
        "invalid_auth",  "not_authed",    "account_inactive",       "token_revoked",
        "token_expired", "team_disabled", "user_removed_from_team", "not_allowed_token_type",
        "missing_scope"};
    return std::find(kFatal.begin(), kFatal.end(), slack_error) != kFatal.end();
}

Actions SocketModeProtocol::start() {
    if (stopped_ || opening_ != 0 || current_ != 0) return {};
    opening_ = next_generation_++;
    return {OpenConnection{opening_, std::chrono::milliseconds{0}}};
}

std::chrono::milliseconds SocketModeProtocol::next_backoff() {
    return jittered_backoff(++failures_, {options_.backoff_base, options_.backoff_cap}, rng_);
}

Actions SocketModeProtocol::reconnect(bool make_before_break) {
    if (stopped_ || opening_ != 0) return {};  // one reconnect in flight at a time
    opening_ = next_generation_++;
    return {OpenConnection{opening_,
                           make_before_break ? std::chrono::milliseconds{0} : next_backoff()}};
}

Actions SocketModeProtocol::on_connected(Generation generation) {
    if (stopped_ || generation != opening_) return {CloseConnection{generation}};
    open_.insert(generation);
    return {};
}

Actions SocketModeProtocol::on_connect_failed(Generation generation,
                                              const ConnectFailure& failure) {
    if (stopped_ || generation != opening_) return {};
    opening_ = 0;
    if (is_fatal_error(failure.error)) {
        stopped_ = true;
        return {Stop{
            "Slack refused the app-level token (" + failure.error +
                "): check SLACK_APP_TOKEN (an xapp- token with connections:write) and that "
                "the app is installed. Not retrying.",
            token_error(failure.error) ? StopCause::token_rejected : StopCause::configuration}};
    }
    opening_ = next_generation_++;
    const auto backoff = next_backoff();
    return {OpenConnection{
        opening_, failure.retry_after ? std::max(*failure.retry_after, backoff) : backoff}};
}

namespace {

// What funnelbot reads of a Socket Mode frame: its type, a disconnect's reason, an envelope's id
// and of a slash command's payload the fields handle_envelope() copies into a SlashCommand. A
// field read there and not named here would read as missing: the end-to-end tests send what
// Slack sends.
constexpr KeptMember kPayloadFields[] = {{"team_id"},     {"channel_id"}, {"user_id"},
                                         {"user_name"},   {"command"},    {"text"},
                                         {"response_url"}};
constexpr KeptMember kFrameFields[] = {
    {"type"}, {"reason"}, {"envelope_id"}, {"payload", kPayloadFields}};

}  // namespace

std::span<const KeptMember> socket_mode_frame_fields() {
    return kFrameFields;
}

json SocketModeProtocol::read_frame(std::string_view frame) {
    // Every frame, read by simdjson with only those fields built (an envelope is about 1.5 KB);
    // one simdjson does not read is parsed whole, as it always was.
    if (auto msg = frame_parser_.parse(frame, socket_mode_frame_fields())) return std::move(*msg);
    return json::parse(frame, nullptr, false);
}

Actions SocketModeProtocol::on_text(Generation generation, std::string_view frame) {
    if (stopped_ || open_.count(generation) == 0) return {};
    const json msg = read_frame(frame);
    if (!msg.is_object()) return {};  // binary-ish or junk: ignored, as the SDKs do
    const std::string type = text_of(msg, "type");
    if (type == "hello") {
        if (generation != opening_) return {};
        Actions out;
        if (current_ != 0 && current_ != generation) {
            retiring_.insert(current_);
            out.push_back(CloseConnection{current_});
        }
        current_ = generation;
        opening_ = 0;
        failures_ = 0;
        return out;
    }
    if (type == "disconnect") {
        const std::string reason = text_of(msg, "reason");
        if (reason == "link_disabled") {
            stopped_ = true;
            return {
                Stop{"Slack disabled Socket Mode for this app (disconnect: link_disabled): turn "
                     "Socket Mode back on in the app settings, then restart funnelbot.",
                     StopCause::configuration}};
        }
        if (reason == "too_many_websockets") {
            // Over the per-app cap: close this one first; its close triggers the reconnect.
            return {CloseConnection{generation}};
        }
        if (generation != current_) return {};
        // warning, refresh_requested or anything new: open the next before closing this one.
        return reconnect(true);
    }
    if (msg.contains("envelope_id")) return handle_envelope(generation, msg);
    return {};
}

Actions SocketModeProtocol::handle_envelope(Generation generation, const json& msg) {
    const std::string id = text_of(msg, "envelope_id");
    if (id.empty()) return {};
    if (!seen_.remember(id)) {
        // A redelivery: the first copy is running (its ack will come) or done (ack this one so
        // Slack stops retrying). Never run it twice.
        if (auto it = pending_.find(id); it != pending_.end() && !it->second.acked) return {};
        return {SendFrame{generation, ack_frame(id, std::nullopt)}};
    }
    const std::string type = text_of(msg, "type");
    const auto payload = msg.find("payload");
    if (type != "slash_commands" || payload == msg.end() || !payload->is_object()) {
        // Events and interactions are not ours to handle yet: acknowledge so they are not retried.
        return {SendFrame{generation, ack_frame(id, std::nullopt)}};
    }
    SlashCommand cmd;
    cmd.envelope_id = id;
    cmd.team_id = text_of(*payload, "team_id");
    cmd.channel_id = text_of(*payload, "channel_id");
    cmd.user_id = text_of(*payload, "user_id");
    cmd.user_name = text_of(*payload, "user_name");
    cmd.command = text_of(*payload, "command");
    cmd.text = text_of(*payload, "text");
    cmd.response_url = text_of(*payload, "response_url");
    if (cmd.command.empty() || cmd.user_id.empty() || cmd.team_id.empty()) {
        return {SendFrame{generation, ack_frame(id, std::nullopt)}};
    }
    pending_[id] = Pending{generation, cmd.response_url, false};
    return moved_actions<Actions>(RunCommand{std::move(cmd)},
                                  StartAckTimer{id, options_.ack_deadline});
}

Actions SocketModeProtocol::on_reply(const std::string& envelope_id,
                                     std::optional<std::string> payload) {
    const auto it = pending_.find(envelope_id);
    if (it == pending_.end()) return {};
    const Pending p = std::move(it->second);
    pending_.erase(it);
    if (!p.acked && can_send_on(p.generation)) {
        return moved_actions<Actions>(
            SendFrame{p.generation, ack_frame(envelope_id, std::move(payload))});
    }
    // Acked empty at the deadline, or its socket is gone or being closed (a frame queued there
    // would be dropped): the reply goes to response_url.
    if (payload && !p.response_url.empty()) {
        return {PostResponseUrl{p.response_url, std::move(*payload)}};
    }
    return {};
}

Actions SocketModeProtocol::on_ack_deadline(const std::string& envelope_id) {
    const auto it = pending_.find(envelope_id);
    if (it == pending_.end() || it->second.acked) return {};
    it->second.acked = true;
    if (!can_send_on(it->second.generation)) return {};
    return {SendFrame{it->second.generation, ack_frame(envelope_id, std::nullopt)}};
}

bool SocketModeProtocol::can_send_on(Generation generation) const {
    return open_.count(generation) != 0 && retiring_.count(generation) == 0;
}

Actions SocketModeProtocol::on_closed(Generation generation) {
    open_.erase(generation);
    retiring_.erase(generation);
    if (stopped_) return {};
    if (generation == opening_) {
        // Closed before its hello: as good as a failed connect.
        opening_ = 0;
        return reconnect(false);
    }
    if (generation != current_) return {};
    current_ = 0;
    return reconnect(false);
}

}  // namespace funnelbot::bot::slack
