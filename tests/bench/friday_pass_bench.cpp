// The Friday pass end to end from SQLite: for every rep and manager of a 10,000-rep workspace
// (100 opportunities each, teams of ten with a manager each) the claim in reminder_log, the
// review (and each manager's team summary), the message rendered as Slack Block Kit and handed to
// a sink that only counts bytes, then the "sent" mark. Reports the pass's wall time and the
// process's peak RSS; run it on its own (--benchmark_filter=FridayPass) so the RSS is its own.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <stdexcept>

#include "bot/slack/block_kit_renderer.hpp"
#include "commands/front_desk/front_desk.hpp"
#include "tests/bench/bench_workspace.hpp"
#include "tests/support/temp_database.hpp"

namespace {

using namespace funnelbot;

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// A pass slower than this is stopped (the sink throws) and its rate extrapolated, so the
// benchmark stays bounded even where each review reads the whole workspace.
constexpr std::chrono::seconds kBudget{120};

struct PassOverBudget : std::runtime_error {
    PassOverBudget() : std::runtime_error("over budget") {}
};

void BM_FridayPass(benchmark::State& state) {
    testing::BenchWorkspaceSpec spec;
    spec.platform = storage::Platform::slack;
    spec.external_id = "T111";
    spec.reps = static_cast<int>(state.range(0));
    spec.opportunities_per_rep = 100;
    const std::string cached = testing::bench_workspace_file(spec, FUNNELBOT_BENCH_CACHE_DIR);
    testing::TempDir dir;
    const std::string path = dir.file("friday.db");
    for (auto _ : state) {
        state.PauseTiming();
        testing::copy_bench_workspace(cached, path);  // nobody reminded yet
        commands::FrontDesk desk(path);
        state.ResumeTiming();
        std::size_t messages = 0, bytes = 0;
        const auto started = std::chrono::steady_clock::now();
        try {
            const auto counts = desk.run_reminder_pass(
                testing::bench_now(), commands::ReminderPassOptions{},
                [&](const commands::ReminderMessage& message, std::string&) {
                    bytes += bot::slack::render_block_kit(message.reply).size();
                    ++messages;
                    if (std::chrono::steady_clock::now() - started > kBudget)
                        throw PassOverBudget();
                    return commands::Delivery::delivered;
                });
            state.counters["sent"] = counts.sent;
        } catch (const PassOverBudget&) {
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            state.counters["extrapolated_s"] = seconds *
                                               (spec.reps + spec.reps / spec.team_size + 1) /
                                               static_cast<double>(messages);
            state.counters["sent"] = static_cast<double>(messages);
        }
        state.counters["MiB_rendered"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
    }
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_FridayPass)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
