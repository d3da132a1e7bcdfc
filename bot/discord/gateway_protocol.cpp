#include "bot/discord/gateway_protocol.hpp"

#include <algorithm>
#include <cassert>

#include "bot/protocol/backoff.hpp"
#include "bot/protocol/json_fields.hpp"
#include "bot/protocol/moved_actions.hpp"

namespace funnelbot::bot::discord {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// READY's resume_gateway_url comes bare ("wss://gateway-us-east1-c.discord.gg"), Get Gateway's with
// a trailing slash; a resume must use the same v/encoding, so both get the same query. Only the
// path and query are touched: scheme, host and port stay exactly as Discord sent them.
std::string with_query(std::string url) {
    if (const auto q = url.find('?'); q != std::string::npos) url.erase(q);
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url + "/?v=10&encoding=json";
}

const char* fatal_reason(int close_code) {
    switch (close_code) {
        case 4004:
            return "authentication failed: check DISCORD_BOT_TOKEN";
        case 4010:
            return "invalid shard";
        case 4011:
            return "sharding required";
        case 4012:
            return "invalid API version";
        case 4013:
            return "invalid intents: check the intents value";
        case 4014:
            return "disallowed intents: enable them in the Developer Portal or stop requesting "
                   "them";
        default:
            return nullptr;
    }
}

}  // namespace

GatewayProtocol::GatewayProtocol(ProtocolOptions options)
    : options_(std::move(options)), rng_(options_.seed) {}

bool GatewayProtocol::is_fatal_close(int close_code) {
    return fatal_reason(close_code) != nullptr;
}

void GatewayProtocol::on_gateway_url(std::string url) {
    options_.gateway_url = std::move(url);
}

Actions GatewayProtocol::start() {
    if (stopped_ || opening_ != 0 || current_ != 0) return {};
    opening_ = next_generation_++;
    return {OpenConnection{opening_, with_query(options_.gateway_url), milliseconds{0}}};
}

milliseconds GatewayProtocol::next_backoff() {
    return jittered_backoff(++failures_, {options_.backoff_base, options_.backoff_cap}, rng_);
}

void GatewayProtocol::clear_session() {
    session_id_.clear();
    resume_gateway_url_.clear();
    last_seq_.reset();
    resume_failures_ = 0;
}

Actions GatewayProtocol::reconnect(milliseconds min_delay) {
    if (stopped_ || opening_ != 0) return {};  // one reconnect in flight at a time
    opening_ = next_generation_++;
    // A resume goes to resume_gateway_url (fewer disconnects, per the docs); a new session to the
    // cached Get Gateway URL.
    const std::string& base =
        has_session() && !resume_gateway_url_.empty() ? resume_gateway_url_ : options_.gateway_url;
    return {OpenConnection{opening_, with_query(base), std::max(min_delay, next_backoff())}};
}

void GatewayProtocol::retire_current() {
    if (resuming_) {
        // A resume that never reached RESUMED: after two, the session or its URL is bad; start
        // over rather than loop (discordeno#3907, twilight#1942).
        if (++resume_failures_ >= 2) clear_session();
    }
    current_ = 0;
    hello_received_ = false;
    ready_ = false;
    awaiting_ack_ = false;
    resuming_ = false;
    interval_ = milliseconds{0};
    sent_.clear();
}

Actions GatewayProtocol::close_and_reconnect(int code, milliseconds min_delay) {
    Actions out{CloseConnection{current_, code}};
    // The old socket is retired now, so its own close report later finds nothing to do.
    retire_current();
    for (auto& a : reconnect(min_delay))
        out.push_back(std::move(a));
    return out;
}

Actions GatewayProtocol::on_connected(Generation generation) {
    if (stopped_ || generation != opening_) return {CloseConnection{generation, kResumeCloseCode}};
    opening_ = 0;
    current_ = generation;
    // Fresh heartbeat state on every socket: a stale "awaiting ACK" would kill the new one.
    hello_received_ = false;
    ready_ = false;
    awaiting_ack_ = false;
    resuming_ = false;
    interval_ = milliseconds{0};
    sent_.clear();
    return {};
}

bool GatewayProtocol::send(Actions& out, std::string text, bool heartbeat, TimePoint now) {
    // Our payloads are small (the token is the largest part); over 4096 bytes Discord closes 4002.
    assert(text.size() <= kMaxPayload);
    if (text.size() > kMaxPayload) return false;
    while (!sent_.empty() && now - sent_.front() >= kSendWindow)
        sent_.pop_front();
    const std::size_t limit = heartbeat ? kSendBudget : kSendBudget - kHeartbeatReserve;
    if (sent_.size() >= limit) return false;
    sent_.push_back(now);
    out.push_back(Send{current_, std::move(text)});
    return true;
}

namespace {

// What funnelbot reads of an INTERACTION_CREATE: its id, application, type and token
// (interaction_protocol.cpp), who sent it and where (command_runner.cpp: the member's or, in a
// DM, the user's id and names, the member's nick and permissions, the guild) and the command with
// its options (interaction_command.cpp reads all of `data`). A field read there and not named
// here would read as missing: the end-to-end tests send what Discord sends.
constexpr KeptMember kUserFields[] = {{"id"}, {"username"}, {"global_name"}};
constexpr KeptMember kMemberFields[] = {{"user", kUserFields}, {"nick"}, {"permissions"}};
constexpr KeptMember kInteractionFields[] = {{"id"},
                                             {"application_id"},
                                             {"type"},
                                             {"token"},
                                             {"data"},
                                             {"guild_id"},
                                             {"member", kMemberFields},
                                             {"user", kUserFields}};
constexpr KeptMember kInteractionFrame[] = {{"op"}, {"s"}, {"t"}, {"d", kInteractionFields}};

}  // namespace

std::span<const KeptMember> interaction_frame_fields() {
    return kInteractionFrame;
}

namespace {

bool is_interaction_dispatch(const json& msg) {
    const auto op = msg.find("op");
    const auto t = msg.find("t");
    return op != msg.end() && op->is_number_integer() && op->get<std::int64_t>() == 0 &&
           t != msg.end() && t->is_string() &&
           t->get_ref<const std::string&>() == "INTERACTION_CREATE";
}

}  // namespace

json GatewayProtocol::read_frame(std::string_view frame) {
    // Interactions are the frames that come by the thousand, each about 2 KB of which funnelbot
    // reads a tenth: read by simdjson, only those fields are built. Anything else (Hello, READY,
    // heartbeat ACKs, a frame simdjson does not read) is parsed whole, as it always was.
    if (auto msg = frame_parser_.parse(frame, interaction_frame_fields());
        msg && is_interaction_dispatch(*msg))
        return std::move(*msg);
    return json::parse(frame, nullptr, false);
}

std::string GatewayProtocol::heartbeat_payload() const {
    return json{{"op", 1}, {"d", last_seq_ ? json(*last_seq_) : json(nullptr)}}.dump();
}

Actions GatewayProtocol::on_text(Generation generation, std::string_view frame, TimePoint now) {
    if (stopped_ || generation == 0 || generation != current_) return {};
    json msg = read_frame(frame);
    if (!msg.is_object()) return {};
    const auto op_it = msg.find("op");
    if (op_it == msg.end() || !op_it->is_number_integer()) return {};
    const int op = op_it->get<int>();
    // An interaction's payload is moved along, never copied: six deep copies of its map-based
    // tree, from this frame to the worker, were about a tenth of the bot's CPU per interaction.
    static const json kNoData;
    const auto d_it = msg.find("d");
    const json& d = d_it != msg.end() ? *d_it : kNoData;
    switch (op) {
        case 0:
            return on_dispatch(std::move(msg));
        case 1: {
            // Server-requested beat: answer now, outside the ACK check (djs#3993 killed healthy
            // shards by treating these as missed ACKs). Over budget it waits for the timer beat.
            Actions out;
            if (hello_received_) send(out, heartbeat_payload(), false, now);
            return out;
        }
        case 7:  // Reconnect: may come at any time, even instead of Hello.
            return close_and_reconnect(kResumeCloseCode, milliseconds{0});
        case 9: {
            if (d.is_boolean() && d.get<bool>()) {
                return close_and_reconnect(kResumeCloseCode, milliseconds{0});
            }
            // Not resumable: new session after a random 1-5 s (older gateway docs; also spaces
            // identifies out under max_concurrency).
            clear_session();
            std::uniform_int_distribution<milliseconds::rep> wait(1000, 5000);
            return close_and_reconnect(kResumeCloseCode, milliseconds{wait(rng_)});
        }
        case 10:
            return on_hello(generation, d, now);
        case 11:
            awaiting_ack_ = false;
            return {};
        default:
            return {};  // undocumented or send-only opcodes
    }
}

Actions GatewayProtocol::on_hello(Generation generation, const json& d, TimePoint now) {
    if (hello_received_) return {};  // a second Identify on one socket is closed with 4005
    const auto it = d.is_object() ? d.find("heartbeat_interval") : d.end();
    // Discord sends about 41 s. Below 10 ms the client would do nothing but beat; above an hour
    // (or huge, beyond what a duration holds) it is not a Hello to follow either.
    constexpr double kShortestInterval = 10;
    constexpr double kLongestInterval = 3'600'000;
    if (!d.is_object() || it == d.end() || !it->is_number() ||
        !(it->get<double>() >= kShortestInterval) || it->get<double>() > kLongestInterval) {
        return close_and_reconnect(kResumeCloseCode, milliseconds{0});
    }
    hello_received_ = true;
    interval_ = milliseconds{static_cast<milliseconds::rep>(it->get<double>())};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    const milliseconds first{
        static_cast<milliseconds::rep>(static_cast<double>(interval_.count()) * jitter(rng_))};
    Actions out{StartHeartbeatTimer{generation, first}};
    if (has_session()) {
        resuming_ = true;
        send(out,
             json{{"op", 6},
                  {"d",
                   {{"token", options_.token},
                    {"session_id", session_id_},
                    {"seq", last_seq_ ? json(*last_seq_) : json(nullptr)}}}}
                 .dump(),
             false, now);
    } else {
        send(out,
             json{{"op", 2},
                  {"d",
                   {{"token", options_.token},
                    {"intents", options_.intents},
                    {"properties",
                     {{"os", "linux"}, {"browser", "funnelbot"}, {"device", "funnelbot"}}}}}}
                 .dump(),
             false, now);
    }
    return out;
}

Actions GatewayProtocol::on_dispatch(json msg) {
    if (const auto s = msg.find("s"); s != msg.end() && s->is_number_integer()) {
        const auto seq = s->get<std::int64_t>();
        // The highest seen, so a replay or reordering never moves resume backwards.
        if (!last_seq_ || seq > *last_seq_) last_seq_ = seq;
    }
    std::string t = text_of(msg, "t");
    json d = msg.contains("d") ? std::move(msg["d"]) : json(nullptr);
    if (t == "READY" && d.is_object()) {
        session_id_ = text_of(d, "session_id");
        resume_gateway_url_ = text_of(d, "resume_gateway_url");
        if (const auto app = d.find("application"); app != d.end() && app->is_object()) {
            application_id_ = text_of(*app, "id");
        }
        failures_ = 0;
        resume_failures_ = 0;
        ready_ = true;
    } else if (t == "RESUMED") {
        resuming_ = false;
        failures_ = 0;
        resume_failures_ = 0;
        ready_ = true;
    }
    if (t.empty()) return {};
    return moved_actions<Actions>(Dispatch{std::move(t), std::move(d)});
}

Actions GatewayProtocol::on_heartbeat_timer(Generation generation, TimePoint now) {
    if (stopped_ || generation == 0 || generation != current_ || !hello_received_) return {};
    if (awaiting_ack_) {
        // Zombie: no ACK since the last beat. Close with a non-1000 code so the session survives,
        // then resume on a new socket.
        return close_and_reconnect(kResumeCloseCode, milliseconds{0});
    }
    Actions out;
    if (send(out, heartbeat_payload(), true, now)) awaiting_ack_ = true;
    out.push_back(StartHeartbeatTimer{generation, interval_});
    return out;
}

Actions GatewayProtocol::on_closed(Generation generation, int close_code) {
    if (stopped_ || generation == 0) return {};
    if (generation == opening_) {
        // The socket never came up: the resume URL may be the problem (counts towards fallback).
        opening_ = 0;
        if (has_session() && ++resume_failures_ >= 2) clear_session();
        return reconnect(milliseconds{0});
    }
    if (generation != current_) return {};  // a socket we already retired
    if (const char* reason = fatal_reason(close_code)) {
        retire_current();
        stopped_ = true;
        const StopCause cause = close_code == 4004 ? StopCause::token_rejected
                                : close_code == 4013 || close_code == 4014
                                    ? StopCause::configuration
                                    : StopCause::failure;
        return {Stop{"Discord gateway closed the connection with " + std::to_string(close_code) +
                         " (" + reason + "); not reconnecting.",
                     cause}};
    }
    if (close_code == 4007 || close_code == 4009) {
        // Invalid seq / session timed out: "reconnect and start a new session".
        clear_session();
    }
    retire_current();
    // Everything else (other 4xxx, 1000/1001, 1006, no code): resume if there is a session,
    // otherwise identify; a dead session answers the Resume with op 9 false.
    return reconnect(milliseconds{0});
}

Actions GatewayProtocol::shutdown() {
    if (stopped_) return {};
    stopped_ = true;
    Actions out;
    if (current_ != 0) out.push_back(CloseConnection{current_, 1000});
    if (opening_ != 0) out.push_back(CloseConnection{opening_, 1000});
    retire_current();
    opening_ = 0;
    out.push_back(Stop{"shutting down"});
    return out;
}

}  // namespace funnelbot::bot::discord
