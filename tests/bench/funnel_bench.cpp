// Speed and memory of the hot paths: the balance check, the team summary from SQLite and a
// 100,000-row CSV import. Peak RSS is reported as a counter (getrusage, whole process).
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <algorithm>

#include <chrono>
#include <fstream>
#include <sstream>

#include "analysis/balance_check.hpp"
#include "analysis/weekend_review.hpp"
#include "commands/csv/csv_import.hpp"
#include "commands/render/team_report.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/support/temp_database.hpp"

namespace {

using namespace funnelbot;
using namespace std::chrono;

const analysis::Instant kNow = sys_days{2026y / 11 / 27} + 15h;

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// A deterministic pseudo-random sequence (no global state, no clock).
struct Lcg {
    std::uint64_t state;
    std::uint32_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33);
    }
};

analysis::RepFunnel synthetic_funnel(int opportunities) {
    analysis::RepFunnel f;
    f.clock = analysis::Clock{kNow, floor<days>(kNow)};
    for (int l = 1; l <= 8; ++l) {
        analysis::ProductLine line;
        line.id = l;
        line.name = "Line " + std::to_string(l);
        line.category = l % 2 ? "Hardware" : "Software";
        if (l == 8) line.introduced_on = floor<days>(kNow) - days{20};
        f.responsible_lines.push_back(line);
    }
    Lcg rng{42};
    for (int i = 1; i <= opportunities; ++i) {
        analysis::Opportunity o;
        o.id = i;
        o.owner_id = 1;
        o.customer_id = 1 + rng.next() % 300;
        o.customer_name = "Customer " + std::to_string(o.customer_id);
        o.product_line_id = 1 + (rng.next() % 10 < 6 ? 0 : rng.next() % 8);
        o.product_line_name = "Line " + std::to_string(o.product_line_id);
        o.amount = 100000 + rng.next() % 5000000;
        o.stage = static_cast<analysis::Stage>(rng.next() % 6);
        o.customer_type = rng.next() % 2 ? analysis::CustomerType::new_customer
                                         : analysis::CustomerType::existing;
        o.created_at = kNow - days{rng.next() % 200};
        f.opportunities.push_back(o);
    }
    for (int c = 1; c <= 60; ++c) {
        analysis::CrossSellAccount a;
        a.customer_id = c;
        a.name = "Customer " + std::to_string(c);
        a.covered_lines = {1 + c % 8, 1 + (c + 3) % 8};
        std::sort(a.covered_lines.begin(), a.covered_lines.end());
        f.cross_sell.accounts.push_back(a);
    }
    for (int l = 1; l <= 8; ++l)
        f.cross_sell.line_popularity[l] = 10 * l;
    return f;
}

void BM_BalanceCheck1000(benchmark::State& state) {
    const auto funnel = synthetic_funnel(1000);
    for (auto _ : state) {
        auto report = analysis::check_balance(funnel);
        benchmark::DoNotOptimize(report);
    }
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_BalanceCheck1000)->Unit(benchmark::kMicrosecond);

// The Friday pass's computation: the five review answers for 10,000 reps with 100
// opportunities each, one rep in memory at a time (100 distinct funnels, cycled).
void BM_WeekendReview10000Reps(benchmark::State& state) {
    std::vector<analysis::RepFunnel> funnels;
    for (int i = 0; i < 100; ++i) {
        auto f = synthetic_funnel(100);
        for (auto& o : f.opportunities)
            o.customer_id += i;  // vary them a little
        funnels.push_back(std::move(f));
    }
    for (auto _ : state) {
        std::size_t answered = 0;
        for (int rep = 0; rep < 10000; ++rep) {
            const auto review =
                analysis::weekend_review(analysis::check_balance(funnels[rep % 100]));
            answered += review.answers.size();
        }
        benchmark::DoNotOptimize(answered);
    }
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_WeekendReview10000Reps)->Unit(benchmark::kMillisecond)->Iterations(3);

// 1,000 reps × 100 opportunities in one team, on a real SQLite file.
struct TeamFixture {
    testing::TempDir dir;
    storage::Database db{dir.file("team.db")};
    storage::Workspace ws;
    storage::Team team;

    TeamFixture(int reps, int per_rep) {
        ws = storage::WorkspaceRepository(db).find_or_create(storage::Platform::console, "console",
                                                             "UTC");
        storage::Transaction tx(db);
        storage::ProductLineRepository lines(db);
        std::vector<analysis::Id> line_ids;
        for (int l = 1; l <= 8; ++l) {
            analysis::ProductLine line;
            line.name = "Line " + std::to_string(l);
            line.category = l % 2 ? "Hardware" : "Software";
            line_ids.push_back(lines.create(ws.id, line).id);
        }
        storage::UserRepository users(db);
        storage::User manager;
        manager.workspace_id = ws.id;
        manager.platform_user_id = "manager";
        manager.name = "manager";
        manager.role = storage::Role::manager;
        manager = users.create(manager);
        team = storage::TeamRepository(db).create(ws.id, "Everyone", manager.id);
        storage::CustomerRepository customers(db);
        std::vector<analysis::Id> customer_ids;
        for (int c = 0; c < 2000; ++c) {
            customer_ids.push_back(
                customers.find_or_create(ws.id, "Customer " + std::to_string(c)).id);
        }
        storage::OpportunityRepository opps(db);
        Lcg rng{7};
        for (int r = 0; r < reps; ++r) {
            storage::User u;
            u.workspace_id = ws.id;
            u.platform_user_id = "rep" + std::to_string(r);
            u.name = u.platform_user_id;
            u.team_id = team.id;
            u = users.create(u);
            for (int i = 0; i < per_rep; ++i) {
                analysis::Opportunity o;
                o.owner_id = u.id;
                o.customer_id = customer_ids[rng.next() % customer_ids.size()];
                o.product_line_id = line_ids[rng.next() % line_ids.size()];
                o.amount = 100000 + rng.next() % 5000000;
                o.stage = static_cast<analysis::Stage>(rng.next() % 6);
                o.customer_type = rng.next() % 2 ? analysis::CustomerType::new_customer
                                                 : analysis::CustomerType::existing;
                o.created_at = kNow - days{rng.next() % 200};
                o.updated_at = o.created_at;
                if (!analysis::is_open(o.stage)) o.closed_at = o.created_at + days{10};
                opps.create(ws.id, o);
            }
        }
        tx.commit();
    }
};

void BM_TeamSummary1000x100(benchmark::State& state) {
    TeamFixture fixture(1000, 100);
    const auto clock = commands::clock_in_zone("UTC", kNow);
    for (auto _ : state) {
        auto summary = commands::build_team_summary(fixture.db, fixture.ws, fixture.team, clock);
        benchmark::DoNotOptimize(summary);
    }
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_TeamSummary1000x100)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_CsvImport100k(benchmark::State& state) {
    testing::TempDir dir;
    const std::string csv = dir.file("export.csv");
    {
        std::ofstream out(csv);
        out << "Opportunity ID,Opportunity Name,Account Name,Product,Amount,Stage,Close "
               "Date,Type,Opportunity Owner\n";
        Lcg rng{9};
        for (int i = 0; i < 100000; ++i) {
            out << "006" << i << ",Deal " << i << ",\"Account " << rng.next() % 5000
                << ", Inc.\",Line " << 1 + rng.next() % 8 << ',' << 1000 + rng.next() % 90000
                << ".00," << (i % 7 == 0 ? "Closed Won" : "Prospecting") << ",12/31/2026,"
                << (i % 3 ? "New Customer" : "Existing Customer - Upgrade") << ",Rep "
                << rng.next() % 200 << '\n';
        }
    }
    int run = 0;
    for (auto _ : state) {
        state.PauseTiming();
        storage::Database db(dir.file("import" + std::to_string(run++) + ".db"));
        const auto ws = storage::WorkspaceRepository(db).find_or_create(storage::Platform::console,
                                                                        "console", "UTC");
        std::ifstream in(csv);
        state.ResumeTiming();
        auto result = commands::import_csv(db, ws.id, in, commands::ImportOptions{}, kNow);
        if (!result) state.SkipWithError(result.error().message.c_str());
        benchmark::DoNotOptimize(result);
    }
    state.counters["rows"] = 100000;
    state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_CsvImport100k)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
