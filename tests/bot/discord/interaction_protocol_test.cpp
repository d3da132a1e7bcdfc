// Discord's answer-or-defer rule, event by event: a reply in time is the callback (type 4), a late
// one is deferred (type 5) and edited in, a redelivery is answered once, and no interaction stays
// pending. The core links nothing but itself.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <variant>

#include "bot/discord/interaction_protocol.hpp"

namespace funnelbot::bot::discord {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

json interaction(const std::string& id, const std::string& app = "900000000000000001") {
    json i = json::object();
    i["id"] = id;
    i["type"] = 2;
    i["token"] = "token-" + id;
    if (!app.empty()) i["application_id"] = app;
    i["data"] = json::object({{"name", "funnel-check"}});
    return i;
}

// A message as the renderer hands it over: JSON text.
std::string message(const std::string& text) {
    return json::object({{"content", text}, {"flags", kEphemeralFlag}}).dump();
}

InteractionProtocol make_protocol() {
    InteractionOptions options;
    options.defer_after = 1500ms;
    options.reply_window = 14min;
    return InteractionProtocol(options, json::object({{"content", "Already handled"}}).dump());
}

CallOutcome sent() {
    CallOutcome outcome;
    outcome.ok = true;
    return outcome;
}

template <class T>
T only(const InteractionActions& actions) {
    EXPECT_EQ(actions.size(), 1u);
    return std::get<T>(actions.at(0));
}

TEST(InteractionProtocolTest, AReplyInTimeIsTheCallback) {
    auto p = make_protocol();
    const auto started = p.on_interaction(interaction("1"));
    ASSERT_EQ(started.size(), 2u);
    EXPECT_EQ(std::get<RunInteraction>(started[0]).id, "1");
    EXPECT_EQ(std::get<RunInteraction>(started[0]).interaction, interaction("1"));
    EXPECT_EQ(std::get<ArmInteractionTimer>(started[1]).id, "1");
    EXPECT_EQ(std::get<ArmInteractionTimer>(started[1]).after, 1500ms);

    const auto replied = p.on_reply("1", message("hi"));
    ASSERT_EQ(replied.size(), 2u);
    EXPECT_EQ(std::get<CancelInteractionTimer>(replied[0]).id, "1");
    const auto& callback = std::get<SendCallback>(replied[1]);
    EXPECT_EQ(callback.id, "1");
    EXPECT_EQ(callback.token, "token-1");
    EXPECT_EQ(json::parse(callback.body)["type"], 4);
    EXPECT_EQ(json::parse(callback.body)["data"], json::parse(message("hi")))
        << "the ephemeral flag stays on a callback";
    EXPECT_EQ(p.pending(), 1u) << "until the callback is through";

    EXPECT_TRUE(p.on_callback_done("1", CallOutcome{true, 0, ""}).empty());
    EXPECT_EQ(p.pending(), 0u);
    EXPECT_TRUE(p.on_timer("1").empty()) << "a timer that fires anyway changes nothing";
    EXPECT_TRUE(p.on_reply("1", message("again")).empty());
}

TEST(InteractionProtocolTest, AReplyWithRoomToSpareBecomesTheCallbackBodyInPlace) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    std::string reply = message("hi");
    const std::string expected = R"({"type":4,"data":)" + reply + "}";
    reply.reserve(reply.size() + InteractionProtocol::kCallbackRoom);
    const char* const buffer = reply.data();

    const auto replied = p.on_reply("1", std::move(reply));
    ASSERT_EQ(replied.size(), 2u);
    const auto& callback = std::get<SendCallback>(replied[1]);
    EXPECT_EQ(callback.body, expected) << "the message spliced in byte for byte";
    EXPECT_EQ(callback.body.data(), buffer) << "wrapped in the message's own buffer";
}

TEST(InteractionProtocolTest, AFailedCallbackIsLoggedAndForgotten) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    p.on_reply("1", message("hi"));
    const auto line = only<LogLine>(p.on_callback_done("1", CallOutcome{false, 10062, "HTTP 404"}));
    EXPECT_EQ(line.level, LogLine::Level::warn);
    EXPECT_EQ(line.text, "answering interaction 1 failed: HTTP 404");
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, AnInteractionHandledBeforeGetsNoSecondCallback) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    EXPECT_EQ(only<CancelInteractionTimer>(p.on_reply("1", std::nullopt)).id, "1");
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, ASlowReplyIsDeferredThenEdited) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    const auto defer = only<SendCallback>(p.on_timer("1"));
    EXPECT_EQ(defer.token, "token-1");
    EXPECT_EQ(json::parse(defer.body), json::parse(R"({"type":5,"data":{"flags":64}})"));
    EXPECT_TRUE(p.on_timer("1").empty()) << "deferred once";

    const auto wait = only<ArmInteractionTimer>(p.on_callback_done("1", sent()));
    EXPECT_EQ(wait.after, 14min) << "the token's life, less a margin";

    const auto edited = p.on_reply("1", message("late"));
    ASSERT_EQ(edited.size(), 2u);
    EXPECT_EQ(std::get<CancelInteractionTimer>(edited[0]).id, "1");
    const auto& edit = std::get<SendEdit>(edited[1]);
    EXPECT_EQ(edit.application_id, "900000000000000001");
    EXPECT_EQ(edit.token, "token-1");
    EXPECT_EQ(json::parse(edit.message), json::object({{"content", "late"}}))
        << "flags fixed by the deferral";
    EXPECT_EQ(p.pending(), 0u);
    EXPECT_TRUE(p.on_edit_done("1", sent()).empty());
    const auto line = only<LogLine>(p.on_edit_done("1", CallOutcome{false, 0, "HTTP 500"}));
    EXPECT_EQ(line.text, "editing the reply to interaction 1 failed: HTTP 500");
}

TEST(InteractionProtocolTest, AReplyDuringTheDeferralIsEditedInOnceItIsThrough) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    p.on_timer("1");
    EXPECT_TRUE(p.on_reply("1", message("soon")).empty()) << "the deferral is still in flight";
    const auto edit = only<SendEdit>(p.on_callback_done("1", sent()));
    EXPECT_EQ(json::parse(edit.message), json::object({{"content", "soon"}}));
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, ADeferredInteractionHandledBeforeSaysSo) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    p.on_timer("1");
    p.on_callback_done("1", sent());
    const auto edited = p.on_reply("1", std::nullopt);
    ASSERT_EQ(edited.size(), 2u);
    EXPECT_EQ(json::parse(std::get<SendEdit>(edited[1]).message),
              json::object({{"content", "Already handled"}}));
}

TEST(InteractionProtocolTest, AFailedDeferralEndsTheInteractionUnlessAlreadyAcknowledged) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    p.on_timer("1");
    const auto line = only<LogLine>(p.on_callback_done("1", CallOutcome{false, 10062, "gone"}));
    EXPECT_EQ(line.text, "deferring interaction 1 failed: gone");
    EXPECT_EQ(p.pending(), 0u);
    EXPECT_TRUE(p.on_reply("1", message("late")).empty()) << "nothing to edit";

    // 40060: an earlier attempt went through after all; the edit still works.
    p.on_interaction(interaction("2"));
    p.on_timer("2");
    p.on_reply("2", message("late"));
    const auto out = p.on_callback_done("2", CallOutcome{false, kAlreadyAcknowledged, "40060"});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(std::get<LogLine>(out[0]).level, LogLine::Level::warn);
    EXPECT_EQ(json::parse(std::get<SendEdit>(out[1]).message), json::object({{"content", "late"}}));
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, NoReplyWithinTheWindowIsLoggedAndForgotten) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    p.on_timer("1");
    p.on_callback_done("1", sent());
    const auto line = only<LogLine>(p.on_timer("1"));
    EXPECT_EQ(line.level, LogLine::Level::error);
    EXPECT_EQ(line.text, "interaction 1 got no reply within 14 minutes");
    EXPECT_EQ(p.pending(), 0u);
    EXPECT_TRUE(p.on_reply("1", message("too late")).empty());
}

TEST(InteractionProtocolTest, ARedeliveryIsAnsweredOnce) {
    auto p = make_protocol();
    p.on_interaction(interaction("1"));
    const auto line = only<LogLine>(p.on_interaction(interaction("1")));
    EXPECT_EQ(line.level, LogLine::Level::debug);
    p.on_reply("1", message("hi"));
    p.on_callback_done("1", sent());
    EXPECT_EQ(only<LogLine>(p.on_interaction(interaction("1"))).level, LogLine::Level::debug)
        << "also after it was answered";
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, OnlyWellFormedApplicationCommandsAreRun) {
    auto p = make_protocol();
    json component = interaction("1");
    component["type"] = 3;
    EXPECT_TRUE(p.on_interaction(component).empty());
    json typed_as_text = interaction("2");
    typed_as_text["type"] = "2";
    EXPECT_TRUE(p.on_interaction(typed_as_text).empty());
    json no_token = interaction("3");
    no_token.erase("token");
    EXPECT_TRUE(p.on_interaction(no_token).empty());
    json no_id = interaction("4");
    no_id["id"] = 4;
    EXPECT_TRUE(p.on_interaction(no_id).empty());
    EXPECT_TRUE(p.on_interaction(json::array()).empty());
    EXPECT_EQ(p.pending(), 0u);
}

TEST(InteractionProtocolTest, AnInteractionWithoutApplicationIdIsEditedWithTheKnownOne) {
    auto p = make_protocol();
    p.set_application_id("900000000000000009");
    p.on_interaction(interaction("1", ""));
    p.on_timer("1");
    p.on_callback_done("1", sent());
    const auto edited = p.on_reply("1", message("late"));
    ASSERT_EQ(edited.size(), 2u);
    EXPECT_EQ(std::get<SendEdit>(edited[1]).application_id, "900000000000000009");
}

TEST(InteractionProtocolTest, ATimerForAnUnknownInteractionIsIgnored) {
    auto p = make_protocol();
    EXPECT_TRUE(p.on_timer("nope").empty());
    EXPECT_TRUE(p.on_callback_done("nope", sent()).empty());
    EXPECT_TRUE(p.on_reply("nope", message("x")).empty());
}

}  // namespace
}  // namespace funnelbot::bot::discord
