#include "tests/bench/bench_workspace.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <span>
#include <vector>

#include "storage/customer_repository.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/team_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::testing {
namespace {

using namespace std::chrono;

// Bump when the generated data or the schema's layout changes: cached files of an older
// generator are not reused (4: schema v6 written from the start, not migrated).
constexpr int kGeneratorVersion = 4;

// A deterministic pseudo-random sequence (no global state, no clock).
struct Lcg {
    std::uint64_t state;
    std::uint32_t next() {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33);
    }
    std::uint32_t below(std::size_t n) { return next() % static_cast<std::uint32_t>(n); }
};

const char* platform_name(storage::Platform p) {
    switch (p) {
        case storage::Platform::slack:
            return "slack";
        case storage::Platform::discord:
            return "discord";
        case storage::Platform::console:
            break;
    }
    return "console";
}

std::vector<analysis::Id> create_lines(storage::Database& db, analysis::Id ws) {
    std::vector<analysis::Id> ids;
    storage::ProductLineRepository lines(db);
    const auto today = floor<days>(bench_now());
    for (int l = 1; l <= 8; ++l) {
        analysis::ProductLine line;
        line.name = "Line " + std::to_string(l);
        line.category = l % 2 != 0 ? "Hardware" : "Software";
        if (l == 7) line.acquired = true;
        if (l == 8) line.introduced_on = today - days{20};
        ids.push_back(lines.create(ws, line).id);
    }
    return ids;
}

storage::User create_user(storage::Database& db, analysis::Id ws, const std::string& platform_id,
                          const std::string& name, storage::Role role,
                          std::optional<analysis::Id> team) {
    storage::User u;
    u.workspace_id = ws;
    u.platform_user_id = platform_id;
    u.name = name;
    u.role = role;
    u.team_id = team;
    return storage::UserRepository(db).create(u);
}

// The customers every workspace has, whatever its size: rep 0's funnel only uses these, so it
// stays the same funnel while the workspace around it grows.
constexpr std::size_t kFixedCustomers = 300;

// Rep `r`'s opportunities: three in four with customers of their own territory, the rest with
// anyone's (rep 0: anyone among the first kFixedCustomers); half on one favourite line; a fifth
// won, an eighth lost, the rest open.
void create_funnel(storage::Database& db, analysis::Id ws, analysis::Id owner, int r, int count,
                   const std::vector<analysis::Id>& lines, std::span<const analysis::Id> all,
                   Lcg& rng) {
    storage::OpportunityRepository opps(db);
    const auto customers = r == 0 ? all.first(kFixedCustomers) : all;
    const std::size_t territory = std::max<std::size_t>(10, static_cast<std::size_t>(count) / 3);
    const std::size_t base = (static_cast<std::size_t>(r) * territory) % customers.size();
    const auto now = bench_now();
    for (int i = 0; i < count; ++i) {
        analysis::Opportunity o;
        o.owner_id = owner;
        o.customer_id = rng.below(4) != 0
                            ? customers[(base + rng.below(territory)) % customers.size()]
                            : customers[rng.below(customers.size())];
        o.product_line_id = lines[rng.below(2) == 0 ? 0 : rng.below(lines.size())];
        o.amount = 100000 + rng.below(5000000);
        const auto roll = rng.below(40);
        o.stage = roll < 8    ? analysis::Stage::won
                  : roll < 13 ? analysis::Stage::lost
                              : static_cast<analysis::Stage>(rng.below(4));
        o.customer_type = rng.below(2) != 0 ? analysis::CustomerType::new_customer
                                            : analysis::CustomerType::existing;
        o.created_at = now - days{rng.below(200)};
        o.updated_at = o.created_at;
        if (!analysis::is_open(o.stage)) o.closed_at = o.created_at + days{10};
        opps.insert(ws, o);
    }
}

void generate(const BenchWorkspaceSpec& spec, const std::string& path) {
    storage::Database db(path);
    const auto ws =
        storage::WorkspaceRepository(db).find_or_create(spec.platform, spec.external_id, "UTC");
    storage::Transaction tx(db, storage::Transaction::Lock::immediate);
    const auto lines = create_lines(db, ws.id);
    storage::CustomerRepository customer_repo(db);
    const int total = spec.reps * spec.opportunities_per_rep;
    std::vector<analysis::Id> customers;
    for (int c = 0; c < std::max(static_cast<int>(kFixedCustomers), total / 25); ++c) {
        customers.push_back(
            customer_repo.find_or_create(ws.id, "Customer " + std::to_string(c)).id);
    }
    // Some accounts an admin marked current without a won deal.
    for (std::size_t c = 0; c < customers.size(); c += 20) {
        customer_repo.set_status(ws.id, customers[c], storage::CustomerStatus::current);
    }
    storage::TeamRepository teams(db);
    storage::UserRepository users(db);
    std::optional<storage::Team> team;
    Lcg rng{20261127};
    for (int r = 0; r < spec.reps; ++r) {
        std::string platform_id = "R" + std::to_string(r);
        std::string name = "rep" + std::to_string(r);
        std::optional<analysis::Id> team_id;
        if (r == 0) {
            platform_id = spec.solo_platform_id;
            name = spec.solo_name;
        } else {
            const int index = (r - 1) / spec.team_size;
            if ((r - 1) % spec.team_size == 0) {
                const auto manager =
                    create_user(db, ws.id, "M" + std::to_string(index),
                                "manager" + std::to_string(index), storage::Role::manager, {});
                team = teams.create(ws.id, "Team " + std::to_string(index), manager.id);
                auto with_team = manager;
                with_team.team_id = team->id;
                users.update(with_team);
            }
            team_id = team->id;
            if (r == 1) {
                platform_id = spec.team_rep_platform_id;
                name = spec.team_rep_name;
            }
        }
        const auto rep = create_user(db, ws.id, platform_id, name, storage::Role::rep, team_id);
        // Rep 0 draws from a sequence of its own: the same funnel in every workspace.
        Lcg own{7};
        create_funnel(db, ws.id, rep.id, r, spec.opportunities_per_rep, lines, customers,
                      r == 0 ? own : rng);
    }
    tx.commit();
}

}  // namespace

analysis::Instant bench_now() {
    return sys_days{2026y / 11 / 27} + 15h;
}

std::string bench_workspace_file(const BenchWorkspaceSpec& spec, const std::string& cache_dir) {
    std::filesystem::create_directories(cache_dir);
    const std::string name =
        std::string("workspace-") + platform_name(spec.platform) + "-" + spec.external_id + "-" +
        std::to_string(spec.reps) + "x" + std::to_string(spec.opportunities_per_rep) + "-t" +
        std::to_string(spec.team_size) + "-" + spec.solo_platform_id + "-" +
        spec.team_rep_platform_id + "-g" + std::to_string(kGeneratorVersion) + ".db";
    const std::string path = (std::filesystem::path(cache_dir) / name).string();
    if (std::filesystem::exists(path)) {
        // A file cached by an older funnelbot is migrated once, in place, not on every copy.
        storage::Database migrated(path);
        return path;
    }
    // Generated under another name and renamed: an interrupted run leaves no half file behind.
    const std::string partial = path + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(partial + suffix);
    generate(spec, partial);
    std::filesystem::rename(partial, path);
    return path;
}

void copy_bench_workspace(const std::string& cached, const std::string& target) {
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(target + suffix);
    std::filesystem::copy_file(cached, target);
}

}  // namespace funnelbot::testing
