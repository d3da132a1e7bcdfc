// A protocol-faithful fake of Slack for the transport tests: the Web API, apps.connections.open,
// the Socket Mode WebSocket (wss, single-use tickets) and response_url, all over TLS on a random
// loopback port. It records everything the bot sends and lets a test script Slack's side:
// envelopes, duplicates, disconnect messages, close codes, dropped and half-open sockets, 429s
// and 5xx. Shapes follow https://api.slack.com/apis/socket-mode and the Web API method pages.
//
// Threading: the fake runs its own io_context on its own thread, started by the constructor and
// joined by the destructor. Every public method is thread-safe. Methods that touch sockets post
// onto the fake's thread and wait (bounded by `FakeSlackOptions::script_timeout`) until that
// thread has carried them out; record getters return copies taken under a mutex.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tests/support/recorded_request.hpp"

namespace funnelbot::testing {

struct FakeSlackOptions {
    std::string cert_file;  // server certificate chain (PEM); e.g. TestPki::server_cert
    std::string key_file;   // its private key (PEM)
    std::string bot_token = "xoxb-fake-bot-token";    // accepted on every Web API method
    std::string app_token = "xapp-1-fake-app-token";  // accepted on apps.connections.open
    std::string app_id = "A111";
    std::string team_id = "T111";
    // The bot token's scopes: every answer to a call made with it carries them in the
    // X-OAuth-Scopes header, comma-separated, as Slack does. The default is what
    // deploy/slack-manifest.yml asks for.
    std::vector<std::string> bot_scopes = {"commands", "chat:write", "im:write", "users:read",
                                           "users:read.email"};
    // Upper bound for a scripting call to be carried out on the fake's thread.
    std::chrono::milliseconds script_timeout{5000};
};

// A workspace member as users.info reports it.
struct FakeSlackUser {
    std::string id;  // "U…"
    std::string team_id = "T111";
    std::string name;
    std::string real_name;
    std::string display_name;
    std::string email;
    std::string tz = "America/Los_Angeles";
    std::string tz_label = "Pacific Standard Time";
    int tz_offset = -28800;  // seconds east of UTC
    bool is_admin = false;
    bool is_owner = false;
    bool deleted = false;
};

// A client frame that carried an `envelope_id`.
struct RecordedAck {
    std::string envelope_id;
    std::optional<nlohmann::json> payload;  // absent when the ack had no "payload" member
    std::chrono::steady_clock::time_point received;
    // Time since the fake last sent that envelope; nullopt for an id the fake never sent.
    std::optional<std::chrono::microseconds> since_sent;
};

class FakeSlack {
public:
    // Loads the certificate, binds 127.0.0.1 on a free port and starts serving. Throws
    // std::runtime_error if the certificate cannot be loaded or the port cannot be bound.
    explicit FakeSlack(FakeSlackOptions options);
    // Closes the listener and every socket (no close handshake) and joins the thread.
    ~FakeSlack();
    FakeSlack(const FakeSlack&) = delete;
    FakeSlack& operator=(const FakeSlack&) = delete;

    // ---- where to reach it -------------------------------------------------------------
    int port() const;
    // "https://localhost:PORT/api/" — the Web API base URL for the bot.
    std::string api_url() const;

    // ---- workspace data ----------------------------------------------------------------
    // Registers (or replaces, by id) a user for users.info. conversations.open with a user
    // marked deleted answers user_disabled.
    void add_user(FakeSlackUser user);

    // ---- Socket Mode scripting (sockets: carried out on the fake's thread) ---------------
    // Sends a `slash_commands` envelope shaped like https://api.slack.com/apis/socket-mode#command
    // (accepts_response_payload true, a fresh envelope_id, response_url
    // https://localhost:PORT/hooks/commands/<team>/<n>/ <secret>) to the most recently opened
    // WebSocket that is still open. An empty user_name becomes the registered user's name, else the
    // user id in lower case. Returns the envelope_id. Throws std::runtime_error if no WebSocket is
    // open.
    std::string send_slash_command(const std::string& team_id, const std::string& user_id,
                                   const std::string& command, const std::string& text,
                                   const std::string& channel_id = "C111",
                                   const std::string& user_name = "");
    // Delivers an envelope sent before once more, same envelope_id (at-least-once delivery), to
    // the most recent open WebSocket. Throws std::runtime_error for an unknown id or no socket.
    void resend_envelope(const std::string& envelope_id);
    // Sends {"type":"disconnect","reason":reason,"debug_info":{"host":"applink-fake"}} to every
    // open WebSocket. The sockets stay open (as on Slack) until the client closes them.
    void send_disconnect(const std::string& reason);
    // Abrupt TCP close of every WebSocket: no close frame, no TLS close_notify.
    void drop_connections();
    // true: every WebSocket open at the time of the call goes half-open. The fake stops taking
    // bytes from those sockets (reads wait on a gate below TLS; bytes already received may
    // still be processed), so client pings are neither counted nor answered (Beast pongs only
    // while reading), and queued frames are held back. WebSockets accepted later are normal.
    // false: every silenced socket resumes reading and sends what was held back.
    void set_silent(bool silent);
    // Sends a close frame with `code` to every open WebSocket (after frames already queued) and
    // completes the close handshake (bounded by a 5 s timeout, then the TCP socket is closed).
    void close_with(int code);

    // ---- Web API faults -------------------------------------------------------------------
    // The next `count` requests for a Web API method ("chat.postMessage") or for a path
    // prefix (starting with '/', e.g. "/hooks/commands/") are answered with HTTP `status`
    // instead of being served: 429 → {"ok":false,"error":"ratelimited"}, anything else →
    // "fake injected HTTP <status>" as text/plain (as a proxy would). With
    // `retry_after_seconds` the answer carries `Retry-After`. A path key also matches
    // WebSocket upgrades ("/link/": the handshake is refused with that status and the ticket
    // stays unused). Faults are checked before the token; several faults for the same key are
    // used up in the order they were added.
    void fail_next(std::string method_or_path, int status, int count = 1,
                   std::optional<int> retry_after_seconds = {});
    // Until cleared, an authorised call to `method` answers HTTP 200 {"ok":false,"error":error}
    // (e.g. apps.connections.open + "invalid_auth"). An empty `error` clears it.
    void set_api_error(std::string method, std::string error);
    // The next `count` authorised calls to `method` answer HTTP 200 with `body` as it is (a
    // malformed answer: fields of the wrong type, a missing url). Used before set_api_error's.
    void answer_next(std::string method, nlohmann::json body, int count = 1);
    // false: apps.connections.open with the right app token answers
    // {"ok":false,"error":"socket_mode_not_enabled"}, as for an app whose Socket Mode is off;
    // true (the default) serves it again. set_api_error and answer_next come first.
    void set_socket_mode_enabled(bool enabled);

    // ---- records (copies, taken under the lock) ------------------------------------------
    std::vector<RecordedRequest> requests() const;
    std::vector<RecordedAck> acks() const;
    // Cheap views for load tests: how many acks so far, and the acks from index `first` on.
    std::size_t ack_count() const;
    std::vector<RecordedAck> acks_from(std::size_t first) const;
    // JSON bodies POSTed to response_url paths, in arrival order.
    std::vector<nlohmann::json> response_url_posts() const;
    // chat.postMessage bodies that the fake accepted (answered ok:true), in arrival order.
    std::vector<nlohmann::json> posted_messages() const;
    // Every text frame clients sent over any WebSocket, in arrival order.
    std::vector<std::string> client_frames() const;
    int websocket_connections_accepted() const;   // successful upgrades, ever
    int open_websockets() const;                  // upgraded sockets not yet closed
    int envelopes_written() const;                // envelopes written whole, resends too
    int pings_received() const;                   // WebSocket ping frames from clients
    int apps_connections_open_calls() const;      // every request to the method, any outcome
    std::vector<int> client_close_codes() const;  // close frames clients sent, in order

    // ---- waiting ------------------------------------------------------------------------
    // Calls `predicate` every 5 ms until it returns true (→ true) or `timeout` has passed
    // (→ false). The predicate runs on the caller's thread; it may call the getters above.
    bool wait_until(const std::function<bool()>& predicate,
                    std::chrono::milliseconds timeout) const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace funnelbot::testing
