// Discord's "answer within 3 s or defer, then edit" rule as a state machine without sockets:
// interactions, replies, timer expiries and the outcome of each callback in; actions out (run the
// command, arm or cancel an interaction's timer, send a callback of type 4 or 5, edit the original
// response, log). The gateway client only feeds it and carries the actions out, so the rule is
// tested event by event (tests/bot/discord/interaction_protocol_test.cpp). The rule:
// https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bot/protocol/seen_ids.hpp"

namespace funnelbot::bot::discord {

// Interaction callback types and the ephemeral message flag
// (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object).
inline constexpr int kChannelMessageWithSource = 4;
inline constexpr int kDeferredChannelMessageWithSource = 5;
inline constexpr int kEphemeralFlag = 64;
// "Interaction has already been acknowledged"
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
inline constexpr int kAlreadyAcknowledged = 40060;

// --- actions ---------------------------------------------------------------------------------
struct RunInteraction {
    std::string id;
    nlohmann::json interaction;  // the INTERACTION_CREATE data, for the command runner
};
struct ArmInteractionTimer {  // one timer per interaction: a new one replaces the old
    std::string id;
    std::chrono::milliseconds after{0};
};
struct CancelInteractionTimer {
    std::string id;
};
struct SendCallback {
    std::string id;
    std::string token;
    std::string body;  // JSON text: {"type": 4 or 5, "data": …}
};
struct SendEdit {  // PATCH /webhooks/{application_id}/{token}/messages/@original
    std::string id;
    std::string application_id;
    std::string token;
    std::string message;  // JSON text
};
struct LogLine {
    enum class Level { debug, warn, error } level = Level::debug;
    std::string text;  // never a token
};
using InteractionAction = std::variant<RunInteraction, ArmInteractionTimer, CancelInteractionTimer,
                                       SendCallback, SendEdit, LogLine>;
using InteractionActions = std::vector<InteractionAction>;

struct InteractionOptions {
    // Discord invalidates an interaction not acknowledged within 3 s; past this, defer.
    std::chrono::milliseconds defer_after{1500};
    // The token stays valid for 15 minutes; a reply later than this cannot be shown.
    std::chrono::milliseconds reply_window{std::chrono::minutes(14)};
    std::size_t remembered_interactions = 10000;  // ids kept to drop redeliveries in memory
};

// How a callback or an edit went.
struct CallOutcome {
    bool ok = false;
    int code = 0;       // Discord's JSON error code, when the answer carried one
    std::string error;  // for the log; never a token
};

class InteractionProtocol {
public:
    // `already_handled` (JSON text) is the edit for a deferred interaction whose command turned
    // out to have been handled before (the renderer lives outside this core).
    InteractionProtocol(InteractionOptions options, std::string already_handled);

    // The application id to edit with when an interaction names none (READY's, or configured).
    void set_application_id(std::string application_id);

    // The data of an INTERACTION_CREATE dispatch. Only application commands are answered;
    // a redelivered id is dropped.
    // Taken by value: moved in and on to the command runner, never copied.
    InteractionActions on_interaction(nlohmann::json interaction);
    // The command's reply is ready, a message as JSON text (render_discord_message's); nullopt:
    // the interaction was handled before. A message with kCallbackRoom bytes of spare capacity
    // becomes the callback body in place, without a new allocation.
    InteractionActions on_reply(const std::string& id, std::optional<std::string> message);
    static constexpr std::size_t kCallbackRoom = 24;  // {"type":N,"data": … }
    // The interaction's timer fired (the defer point, or the end of the reply window).
    InteractionActions on_timer(const std::string& id);
    // The callback sent for `id` (type 4 or 5) got this answer.
    InteractionActions on_callback_done(const std::string& id, const CallOutcome& outcome);
    // The edit sent for `id` got this answer.
    InteractionActions on_edit_done(const std::string& id, const CallOutcome& outcome);

    // Interactions not yet finished (for tests and shutdown checks).
    std::size_t pending() const { return pending_.size(); }

private:
    enum class Phase {
        running,    // the command runs; nothing sent yet
        answering,  // the type 4 callback with the reply is in flight
        deferring,  // the type 5 callback is in flight
        deferred,   // acknowledged; the reply goes out as an edit
    };
    struct Pending {
        std::string token;
        std::string application_id;
        Phase phase = Phase::running;
        bool replied = false;              // the reply came while deferring
        std::optional<std::string> reply;  // JSON text; nullopt when replied: handled before
    };
    InteractionActions edit(const std::string& id, Pending& pending);

    InteractionOptions options_;
    std::string already_handled_;
    std::string application_id_;
    std::map<std::string, Pending> pending_;
    SeenIds seen_;
};

}  // namespace funnelbot::bot::discord
