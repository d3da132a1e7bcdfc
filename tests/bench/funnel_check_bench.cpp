// /funnel-check through the real command path (FrontDesk: identify, one deferred transaction,
// load, analysis, reply) rendered as text, from a SQLite file holding a whole workspace: the
// measured rep's funnel sits among every other rep's data. CPU time per check is the figure.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "analysis/balance_check.hpp"
#include "commands/front_desk/front_desk.hpp"
#include "commands/render/text_renderer.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/funnel_reader.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/bench/bench_workspace.hpp"
#include "tests/support/temp_database.hpp"

namespace {

using namespace funnelbot;

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

// Checks `who`'s funnel over and over in the workspace of `reps` × `per_rep` opportunities.
void run_checks(benchmark::State& state, int reps, int per_rep, bool team_rep) {
    testing::BenchWorkspaceSpec spec;
    spec.platform = storage::Platform::slack;
    spec.external_id = "T111";
    spec.reps = reps;
    spec.opportunities_per_rep = per_rep;
    const std::string cached = testing::bench_workspace_file(spec, FUNNELBOT_BENCH_CACHE_DIR);
    testing::TempDir dir;
    const std::string path = dir.file("bench.db");
    testing::copy_bench_workspace(cached, path);

    commands::FrontDesk desk(path);
    const auto ws = desk.workspace_of(storage::Platform::slack, "T111", "UTC");
    commands::Identity who;
    who.platform_user_id = team_rep ? spec.team_rep_platform_id : spec.solo_platform_id;
    who.name = team_rep ? spec.team_rep_name : spec.solo_name;
    const auto now = testing::bench_now();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto outcome = desk.run_text(ws, who, "funnel-check", "", now, {});
        if (!outcome.failure.empty()) {
            state.SkipWithError(outcome.failure.c_str());
            break;
        }
        bytes += commands::render_text(outcome.reply).size();
    }
    benchmark::DoNotOptimize(bytes);
    state.counters["workspace_opps"] = static_cast<double>(reps) * per_rep;
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}

// 200 reps × 250 opportunities (50,000), the rep in no team: line popularity over everyone.
void BM_FunnelCheck200x250(benchmark::State& state) {
    run_checks(state, 200, 250, false);
}
BENCHMARK(BM_FunnelCheck200x250)->Unit(benchmark::kMicrosecond);

// The same workspace, a rep in a team of ten.
void BM_FunnelCheck200x250TeamRep(benchmark::State& state) {
    run_checks(state, 200, 250, true);
}
BENCHMARK(BM_FunnelCheck200x250TeamRep)->Unit(benchmark::kMicrosecond);

// The same workspace, every rep in turn: each check finds little of the previous one's pages in
// the cache, as in a workspace where everyone checks their own funnel.
void BM_FunnelCheck200x250EveryRep(benchmark::State& state) {
    testing::BenchWorkspaceSpec spec;
    spec.platform = storage::Platform::slack;
    spec.external_id = "T111";
    const std::string cached = testing::bench_workspace_file(spec, FUNNELBOT_BENCH_CACHE_DIR);
    testing::TempDir dir;
    const std::string path = dir.file("bench.db");
    testing::copy_bench_workspace(cached, path);
    std::vector<commands::Identity> reps;
    for (int r = 0; r < spec.reps; ++r) {
        commands::Identity who;
        who.platform_user_id = r == 0   ? spec.solo_platform_id
                               : r == 1 ? spec.team_rep_platform_id
                                        : "R" + std::to_string(r);
        who.name = r == 0   ? spec.solo_name
                   : r == 1 ? spec.team_rep_name
                            : "rep" + std::to_string(r);
        reps.push_back(who);
    }
    commands::FrontDesk desk(path);
    const auto ws = desk.workspace_of(storage::Platform::slack, "T111", "UTC");
    std::size_t next = 0, bytes = 0;
    for (auto _ : state) {
        const auto outcome = desk.run_text(ws, reps[next++ % reps.size()], "funnel-check", "",
                                           testing::bench_now(), {});
        if (!outcome.failure.empty()) {
            state.SkipWithError(outcome.failure.c_str());
            break;
        }
        bytes += commands::render_text(outcome.reply).size();
    }
    benchmark::DoNotOptimize(bytes);
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_FunnelCheck200x250EveryRep)->Unit(benchmark::kMicrosecond);

// 1,000 reps × 100 opportunities (100,000).
void BM_FunnelCheck1000x100(benchmark::State& state) {
    run_checks(state, 1000, 100, false);
}
BENCHMARK(BM_FunnelCheck1000x100)->Unit(benchmark::kMicrosecond);

// One rep's 250-opportunity funnel while the workspace grows: 1k, 10k, 100k, 1M opportunities
// (4 to 4,000 reps of 250). The first run writes each workspace once (the 1M file takes a
// while) and keeps it under the build directory.
void BM_FunnelCheckScaling(benchmark::State& state) {
    run_checks(state, static_cast<int>(state.range(0) / 250), 250, false);
}
BENCHMARK(BM_FunnelCheckScaling)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMicrosecond);

// Where a check's time goes, in the 200 × 250 workspace: 0 the rep's opportunities, current
// accounts and product lines (storage::FunnelReader), 1 the whole load (with goals and line
// popularity), 2 the analysis of the loaded funnel.
void BM_FunnelCheckParts(benchmark::State& state) {
    testing::BenchWorkspaceSpec spec;
    spec.platform = storage::Platform::slack;
    spec.external_id = "T111";
    storage::Database db(testing::bench_workspace_file(spec, FUNNELBOT_BENCH_CACHE_DIR));
    const auto ws = *storage::WorkspaceRepository(db).find(storage::Platform::slack, "T111");
    const auto rep = *storage::UserRepository(db).find_by_platform_id(ws.id, "U2");
    storage::Transaction tx(db);  // read only: rolled back at the end
    const auto clock = commands::clock_in_zone("UTC", testing::bench_now());
    const auto funnel = commands::load_rep_funnel(db, ws, rep, clock);
    for (auto _ : state) {
        switch (state.range(0)) {
            case 0:
                benchmark::DoNotOptimize(storage::FunnelReader(db).read(ws.id, rep.id));
                break;
            case 1:
                benchmark::DoNotOptimize(commands::load_rep_funnel(db, ws, rep, clock));
                break;
            default:
                benchmark::DoNotOptimize(analysis::check_balance(funnel));
                break;
        }
    }
}
BENCHMARK(BM_FunnelCheckParts)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace
