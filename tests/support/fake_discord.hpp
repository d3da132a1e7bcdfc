// A protocol-faithful fake of Discord for the transport tests: the REST API (v10) and the Gateway
// (wss), over TLS on random loopback ports. It records everything the bot sends and lets a test
// script Discord's side: interactions, redeliveries, op 7, op 9 both ways, server-requested
// heartbeats, withheld ACKs, close codes, dropped sockets, 429s (route and global) and 5xx.
// Shapes follow https://discord.com/developers/docs (gateway, REST, interactions).
//
// Two listeners: the gateway of GET /gateway/bot ("wss://localhost:PORT", REST on the same port)
// and the resume gateway of READY's resume_gateway_url ("wss://127.0.0.1:RESUME_PORT"), so a
// client that does not keep the resume host and port exactly as given is caught.
//
// Gateway rules the fake enforces (https://discord.com/developers/docs/events/gateway): the upgrade
// target is "/" with v=10 and encoding=json (else close 4012 / 4002, before Hello); Identify needs
// the raw token (4004), properties and intents, none of them privileged (4013 / 4014); one Identify
// per socket (4005); nothing but Heartbeat, Identify and Resume before READY/RESUMED (4003);
// unknown op 4001; non-JSON, binary or > 4096-byte payloads 4002; > 120 payloads per 60 s 4008. A
// Resume of an unknown or ended session gets op 9 d:false on a socket that stays open (Identify may
// follow on it); a seq beyond the session's last ends the session with 4007. A client close with
// 1000/1001 ends the session; any other code, or a TCP drop, keeps it resumable. "The current
// socket" of the scripting calls is the most recently opened gateway socket that is still open.
//
// Threading: the fake runs its own io_context on its own thread, started by the constructor and
// joined by the destructor. Every public method is thread-safe. Methods that touch sockets post
// onto the fake's thread and wait (bounded by `script_timeout`) until that thread has carried
// them out; record getters return copies taken under a mutex.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/recorded_request.hpp"

namespace funnelbot::testing {

struct FakeDiscordOptions {
    std::string cert_file;  // server certificate chain (PEM), valid for localhost and 127.0.0.1
    std::string key_file;
    std::string bot_token = "fake.discord.bot-token";   // "Authorization: Bot <this>", Identify
    std::string application_id = "900000000000000001";  // READY application.id, /applications/@me
    std::string bot_user_id = "900000000000000001";
    int heartbeat_interval_ms = 41250;  // sent in Hello
    // A callback later than this after the dispatch was sent is refused with 10062. It counts
    // from the latest write of the interaction's INTERACTION_CREATE (a resend or a resume replay
    // starts it again).
    std::chrono::milliseconds callback_deadline{3000};
    std::chrono::milliseconds script_timeout{5000};
};

// A guild member (or, with an empty guild_id, a user known only through DMs).
struct FakeDiscordMember {
    std::string user_id;  // snowflake string
    std::string guild_id;
    std::string username;
    std::string global_name;        // display name; empty → JSON null
    std::string permissions = "0";  // member.permissions in interactions (decimal string)
    bool dms_closed = false;        // messages to this user's DM channel fail with 50007
};

// One slash command invocation, as a user would make it.
struct FakeInteraction {
    std::string guild_id;  // empty: a DM interaction (top-level "user", no "member")
    std::string user_id;   // must have been added with add_member (any guild for DMs)
    std::string command;   // "funnel-check", "opp", …
    // data.options exactly as Discord sends them, e.g.
    // [{"type":1,"name":"add","options":[{"type":3,"name":"customer","value":"Acme"}]}].
    // USER options (type 6) get data.resolved.users/members filled from the registered members.
    nlohmann::json options = nlohmann::json::array();
    std::string channel_id = "700000000000000001";
};

// What the fake received for one interaction callback (POST /interactions/{id}/{token}/callback).
// Every attempt is recorded, also those answered by fail_next or a bucket 429 (status 5xx/429,
// error_code 0).
struct RecordedCallback {
    std::string interaction_id;
    int type = 0;         // 4, 5, …
    nlohmann::json data;  // the body's "data" (null if absent)
    int status = 0;       // what the fake answered: 204, or 400 (40060) / 404 (10062)
    // 0, 40060 or 10062; for a refused body the JSON code answered (50035, 50006, 50109).
    int error_code = 0;
    // Time from the moment the fake wrote the INTERACTION_CREATE frame (its latest delivery)
    // until the callback request was fully read (0 for an interaction the fake never wrote).
    std::chrono::microseconds since_dispatch{0};
    std::chrono::steady_clock::time_point received;
};

// A PATCH …/messages/@original or a POST /webhooks/{app}/{token} follow-up (every attempt,
// whatever the answer).
struct RecordedWebhookMessage {
    std::string interaction_id;  // resolved from the token
    bool original = false;       // true: PATCH @original; false: POST follow-up
    nlohmann::json body;
    int status = 0;
};

// A message the fake accepted on POST /channels/{id}/messages.
struct RecordedMessage {
    std::string channel_id;
    std::string recipient_id;  // for DM channels: the user; else ""
    nlohmann::json body;
};

// One payload a client sent over a gateway socket.
struct RecordedGatewayPayload {
    int connection = 0;            // 1-based index of the accepted socket (both listeners count)
    bool resume_listener = false;  // arrived on the resume gateway
    int op = -1;
    nlohmann::json payload;  // the whole frame as parsed
    std::chrono::steady_clock::time_point received;
};

// One accepted gateway socket.
struct RecordedGatewayConnection {
    int connection = 0;
    bool resume_listener = false;
    std::string target;  // upgrade request target, e.g. "/?v=10&encoding=json"
    std::string host_header;
    std::chrono::steady_clock::time_point opened;
    std::optional<int> client_close_code;  // the close code the client sent, if it sent one
    bool closed = false;
};

class FakeDiscord {
public:
    // Loads the certificate, binds 127.0.0.1 on two free ports and starts serving. Throws
    // std::runtime_error if the certificate cannot be loaded or a port cannot be bound.
    explicit FakeDiscord(FakeDiscordOptions options);
    // Closes the listeners and every socket (no close handshake) and joins the thread.
    ~FakeDiscord();
    FakeDiscord(const FakeDiscord&) = delete;
    FakeDiscord& operator=(const FakeDiscord&) = delete;

    // ---- where to reach it -------------------------------------------------------------
    int port() const;             // REST and the main gateway
    int resume_port() const;      // the resume gateway
    std::string api_url() const;  // "https://localhost:PORT/api/v10"
    // What GET /gateway/bot answers as "url" ("wss://localhost:PORT") and READY as
    // "resume_gateway_url" ("wss://127.0.0.1:RESUME_PORT").
    std::string gateway_url() const;
    std::string resume_gateway_url() const;

    // ---- guild data ----------------------------------------------------------------------
    // Registers (or replaces, by user_id + guild_id) a member. READY lists every guild_id seen
    // here as unavailable guilds; they are also the guilds the bot is in (guild command routes
    // for any other guild answer 403 50001).
    void add_member(FakeDiscordMember member);
    // Makes a guild text channel known to POST /channels/{id}/messages (else 404 10003). DM
    // channels become known through POST /users/@me/channels, and an interaction's channel_id
    // through send_interaction (as a DM channel of the invoking user when guild_id is empty).
    void add_channel(std::string channel_id, std::string guild_id);

    // ---- gateway scripting (carried out on the fake's thread) ------------------------------
    // Appends INTERACTION_CREATE (type 2, fresh snowflake id and token, version 1,
    // application_id, data {id, name, type 1, options, resolved?}, guild_id + member with
    // permissions, or user for DMs, channel_id, locale) to the current session's dispatch log
    // with the next sequence number and writes it to the session's socket if one is ready
    // (READY or RESUMED sent). With no ready socket it stays in the log and is replayed on a
    // successful resume (as Discord does); an identify starts a new session and loses it.
    // Returns the interaction id. Throws std::runtime_error if there was never a session, or
    // the invoking user (in that guild) or a USER option's user was not added with add_member.
    std::string send_interaction(const FakeInteraction& interaction);
    // Dispatches an interaction sent before once more (same id, token and d; a new sequence
    // number), e.g. to check that a redelivered interaction changes nothing.
    void resend_interaction(const std::string& interaction_id);
    // op 7 Reconnect to the current socket. The fake closes that socket itself (code 4000,
    // resumable) if the client has not closed it within 2 s.
    void send_reconnect();
    // op 9 Invalid Session with d = resumable to the current socket (std::runtime_error if there
    // is none, as for send_reconnect and request_heartbeat). With d:false the session is gone: a
    // later Resume gets op 9 d:false again. Either way the socket stops receiving dispatches until
    // it sends Identify or Resume again.
    void send_invalid_session(bool resumable);
    // op 1 from the server: the client must answer with a heartbeat at once.
    void request_heartbeat();
    // true: heartbeats are recorded but not ACKed (zombie detection); false: ACK again.
    void withhold_acks(bool withhold);
    // Sends a close frame with `code` to the current socket and completes the close handshake
    // (bounded, then TCP close). 4004/4010–4014 keep closing every later connection with the
    // same code until clear_fatal_close() (a revoked token stays revoked). Those codes and 4007
    // and 4009 also end the socket's session (a later Resume gets op 9 d:false).
    void close_with(int code);
    void clear_fatal_close();
    // Abrupt TCP close of every gateway socket: no close frame, no TLS close_notify.
    void drop_connections();

    // ---- REST faults -----------------------------------------------------------------------
    // The next `count` requests whose "METHOD /path" (path after /api/v10, no query) starts
    // with `prefix` (e.g. "POST /channels/", "POST /interactions/", "PUT /applications/") are
    // answered with `status` instead of being served: 429 → {"message":"You are being rate
    // limited.","retry_after":S,"global":G} with Retry-After, X-RateLimit-Scope (global|user)
    // and, when global, X-RateLimit-Global: true; 5xx → a text/plain body. Faults are checked
    // after authentication and used up in the order added.
    void fail_next(std::string prefix, int status, int count = 1, double retry_after_seconds = 0.2,
                   bool global = false);
    // Every REST answer carries X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket for the
    // request's bucket (route template + its top-level id: channel, guild or webhook). The
    // default is 50 requests per 1 s per bucket. A request arriving with the bucket exhausted is
    // answered 429 (scope user) and counted in rate_limited_count(). `route` is a template:
    // "POST /channels/{id}/messages", "POST /users/@me/channels", "PUT
    // /applications/{id}/commands". Every all-digit path segment becomes {id}, the token of
    // /interactions/ and /webhooks/ paths {token}: "POST /interactions/{id}/{token}/callback",
    // "POST /webhooks/{id}/{token}", "PUT /applications/{id}/guilds/{id}/commands". A fixed window
    // per bucket: the first request opens it, `limit` requests fit, the window's end resets it.
    void set_bucket_limit(std::string route, int limit, std::chrono::milliseconds window);
    // true: every command route (GET and PUT, global and guild) answers 403 {"message": "Missing
    // Access", "code": 50001}, as for an application not authorised with applications.commands;
    // false (the default) serves them again.
    void forbid_commands(bool forbidden);

    // ---- records (copies, taken under the lock) -------------------------------------------
    std::vector<RecordedRequest> requests() const;  // every REST request, in arrival order
    std::vector<RecordedCallback> callbacks() const;
    std::size_t callback_count() const;
    std::vector<RecordedCallback> callbacks_from(std::size_t first) const;
    std::vector<RecordedWebhookMessage> webhook_messages() const;
    std::vector<RecordedMessage> messages() const;  // accepted channel messages
    // The bodies of accepted PUT …/commands, with the path they went to (after /api/v10, e.g.
    // "/applications/900000000000000001/commands"), in arrival order.
    std::vector<std::pair<std::string, nlohmann::json>> command_registrations() const;
    std::vector<RecordedGatewayPayload> gateway_payloads() const;
    std::vector<RecordedGatewayConnection> gateway_connections() const;
    int identify_count() const;      // Identify payloads received, whatever the outcome
    int resume_count() const;        // Resume payloads received, whatever the outcome
    int rate_limited_count() const;  // 429s the fake answered because a bucket was exhausted
    int open_gateway_sockets() const;

    // ---- waiting --------------------------------------------------------------------------
    // Calls `predicate` every 5 ms until it returns true (→ true) or `timeout` passed (→ false).
    bool wait_until(const std::function<bool()>& predicate,
                    std::chrono::milliseconds timeout) const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace funnelbot::testing
