#include "bot/discord/interaction_protocol.hpp"

#include "bot/protocol/json_fields.hpp"
#include "bot/protocol/json_text.hpp"
#include "bot/protocol/moved_actions.hpp"

namespace funnelbot::bot::discord {

namespace {

using nlohmann::json;

// The message (JSON text) is enclosed in place, never parsed: the reply is sent as rendered
// (kCallbackRoom is its room).
std::string callback_body(int type, std::string data) {
    return enclosed(R"({"type":)" + std::to_string(type) + R"(,"data":)", std::move(data));
}

std::string ephemeral() {
    return R"({"flags":)" + std::to_string(kEphemeralFlag) + "}";
}

LogLine warn(std::string text) {
    return LogLine{LogLine::Level::warn, std::move(text)};
}

}  // namespace

InteractionProtocol::InteractionProtocol(InteractionOptions options, std::string already_handled)
    : options_(options),
      already_handled_(std::move(already_handled)),
      seen_(options.remembered_interactions) {}

void InteractionProtocol::set_application_id(std::string application_id) {
    application_id_ = std::move(application_id);
}

InteractionActions InteractionProtocol::on_interaction(json interaction) {
    if (!interaction.is_object()) return {};
    const auto type = interaction.find("type");
    // Application commands only: funnelbot has no components, autocomplete or modals.
    if (type == interaction.end() || !type->is_number_integer() || type->get<int>() != 2) return {};
    const std::string id = text_of(interaction, "id");
    std::string token = text_of(interaction, "token");
    if (id.empty() || token.empty()) return {};
    if (!seen_.remember(id)) {
        return {LogLine{LogLine::Level::debug,
                        "interaction " + id + " delivered again; answered once already"}};
    }
    Pending& p = pending_[id];
    p.token = std::move(token);
    p.application_id = text_of(interaction, "application_id");
    return moved_actions<InteractionActions>(RunInteraction{id, std::move(interaction)},
                                             ArmInteractionTimer{id, options_.defer_after});
}

InteractionActions InteractionProtocol::on_reply(const std::string& id,
                                                 std::optional<std::string> message) {
    const auto it = pending_.find(id);
    if (it == pending_.end() || it->second.replied) return {};
    Pending& p = it->second;
    switch (p.phase) {
        case Phase::running: {
            if (!message) {  // handled before: it has its answer
                pending_.erase(it);
                return {CancelInteractionTimer{id}};
            }
            p.phase = Phase::answering;
            p.replied = true;
            return moved_actions<InteractionActions>(
                CancelInteractionTimer{id},
                SendCallback{id, p.token,
                             callback_body(kChannelMessageWithSource, std::move(*message))});
        }
        case Phase::deferring:  // edited in once the deferral is through
            p.replied = true;
            p.reply = std::move(message);
            return {};
        case Phase::deferred: {
            p.replied = true;
            p.reply = std::move(message);
            InteractionActions out{CancelInteractionTimer{id}};
            for (auto& a : edit(id, p))
                out.push_back(std::move(a));
            pending_.erase(id);
            return out;
        }
        case Phase::answering:
            break;
    }
    return {};
}

InteractionActions InteractionProtocol::on_timer(const std::string& id) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) return {};
    Pending& p = it->second;
    if (p.phase == Phase::running) {
        // Slow: acknowledge now (the user sees "thinking…"), edit the answer in later.
        p.phase = Phase::deferring;
        return {SendCallback{id, p.token,
                             callback_body(kDeferredChannelMessageWithSource, ephemeral())}};
    }
    if (p.phase == Phase::deferred) {
        pending_.erase(it);
        return {LogLine{LogLine::Level::error,
                        "interaction " + id + " got no reply within " +
                            std::to_string(std::chrono::duration_cast<std::chrono::minutes>(
                                               options_.reply_window)
                                               .count()) +
                            " minutes"}};
    }
    return {};
}

InteractionActions InteractionProtocol::on_callback_done(const std::string& id,
                                                         const CallOutcome& outcome) {
    const auto it = pending_.find(id);
    if (it == pending_.end()) return {};
    Pending& p = it->second;
    if (p.phase == Phase::answering) {
        pending_.erase(it);
        if (outcome.ok) return {};
        return {warn("answering interaction " + id + " failed: " + outcome.error)};
    }
    if (p.phase != Phase::deferring) return {};
    InteractionActions out;
    if (!outcome.ok) {
        out.push_back(warn("deferring interaction " + id + " failed: " + outcome.error));
        // Already acknowledged (a callback retried after a lost answer) still allows the edit.
        if (outcome.code != kAlreadyAcknowledged) {
            pending_.erase(it);
            return out;
        }
    }
    if (p.replied) {
        for (auto& a : edit(id, p))
            out.push_back(std::move(a));
        pending_.erase(it);
        return out;
    }
    p.phase = Phase::deferred;
    out.push_back(ArmInteractionTimer{id, options_.reply_window});
    return out;
}

InteractionActions InteractionProtocol::on_edit_done(const std::string& id,
                                                     const CallOutcome& outcome) {
    if (outcome.ok) return {};
    return {warn("editing the reply to interaction " + id + " failed: " + outcome.error)};
}

InteractionActions InteractionProtocol::edit(const std::string& id, Pending& pending) {
    // Only a slow command gets here, so the message is parsed again to drop its "flags": the
    // deferred response fixed them.
    json message = json::parse(pending.reply ? *pending.reply : already_handled_, nullptr, false);
    if (message.is_object()) message.erase("flags");
    const std::string& app =
        pending.application_id.empty() ? application_id_ : pending.application_id;
    return {SendEdit{id, app, pending.token, message.dump()}};
}

}  // namespace funnelbot::bot::discord
