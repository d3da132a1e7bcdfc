// Reading the frames that come by the thousand: an INTERACTION_CREATE from the Discord gateway and
// a slash command's Socket Mode envelope, as nlohmann::json parsed them whole (before) and as the
// protocol cores read them now (simdjson, only the fields funnelbot reads). Each iteration reads
// the frame and frees what it built, as the network thread does.
#include <benchmark/benchmark.h>

#include <string>

#include <nlohmann/json.hpp>

#include "bot/discord/gateway_protocol.hpp"
#include "bot/protocol/pruned_json.hpp"
#include "bot/slack/socket_mode_protocol.hpp"
#include "tests/support/platform_frames.hpp"

namespace {

using namespace funnelbot;

void read_whole(benchmark::State& state, std::string_view frame) {
    for (auto _ : state) {
        nlohmann::json msg = nlohmann::json::parse(frame, nullptr, false);
        benchmark::DoNotOptimize(msg);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}

void read_pruned(benchmark::State& state, std::string_view frame,
                 std::span<const bot::KeptMember> kept) {
    bot::PrunedJsonParser parser(64 * 1024);
    for (auto _ : state) {
        auto msg = parser.parse(frame, kept);
        if (!msg) state.SkipWithError("the frame was declined");
        benchmark::DoNotOptimize(msg);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}

BENCHMARK_CAPTURE(read_whole, InteractionFrameNlohmann, testing::kInteractionCreateFrame);
BENCHMARK_CAPTURE(read_pruned, InteractionFramePruned, testing::kInteractionCreateFrame,
                  bot::discord::interaction_frame_fields());
BENCHMARK_CAPTURE(read_whole, SlashCommandEnvelopeNlohmann, testing::kSlashCommandEnvelope);
BENCHMARK_CAPTURE(read_pruned, SlashCommandEnvelopePruned, testing::kSlashCommandEnvelope,
                  bot::slack::socket_mode_frame_fields());

}  // namespace
