#include "tests/bench/end_to_end_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "storage/customer_repository.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"
#include "tests/bench/bench_workspace.hpp"

namespace funnelbot::testing {

void seed_bench_funnel(const std::string& path, storage::Platform platform,
                       const std::string& workspace_id, const std::string& platform_user_id,
                       const std::string& name) {
    storage::Database db(path);
    const auto ws = storage::WorkspaceRepository(db).find_or_create(platform, workspace_id, "UTC");
    storage::Transaction tx(db);
    std::vector<analysis::Id> lines;
    for (const char* name : {"Widgets", "Gadgets", "Services", "Cloud Suite", "Sensors"}) {
        analysis::ProductLine l;
        l.name = name;
        lines.push_back(storage::ProductLineRepository(db).create(ws.id, l).id);
    }
    storage::User rep;
    rep.workspace_id = ws.id;
    rep.platform_user_id = platform_user_id;
    rep.name = name;
    rep = storage::UserRepository(db).create(rep);
    storage::CustomerRepository customers(db);
    storage::OpportunityRepository opps(db);
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < 1000; ++i) {
        analysis::Opportunity o;
        o.owner_id = rep.id;
        o.customer_id = customers.find_or_create(ws.id, "Customer " + std::to_string(i % 300)).id;
        o.product_line_id = lines[static_cast<std::size_t>(i % 7 < 4 ? 0 : i % 5)];
        o.amount = 100000 + (i * 7919) % 5000000;
        o.stage = static_cast<analysis::Stage>(i % 6);
        o.customer_type =
            i % 2 ? analysis::CustomerType::new_customer : analysis::CustomerType::existing;
        o.created_at = now - std::chrono::days{i % 120};
        o.updated_at = o.created_at;
        if (!analysis::is_open(o.stage)) o.closed_at = o.created_at;
        opps.insert(ws.id, o);
    }
    tx.commit();
}

std::string BenchData::describe() const {
    if (reps <= 0) return "1,000-opportunity funnel";
    return std::to_string(opportunities) + "-opportunity funnel in a workspace of " +
           std::to_string(reps) + " reps x " + std::to_string(opportunities) + " (" +
           std::to_string(reps * opportunities) + " opportunities)";
}

BenchData bench_data_from_args(std::vector<std::string>& args) {
    BenchData data;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--command") {
            const std::string value = i + 1 < args.size() ? args[i + 1] : "";
            if (value != "funnel-check" && value != "funnel-help") {
                std::fprintf(stderr, "--command is funnel-check or funnel-help\n");
                std::exit(2);
            }
            data.command = value;
            ++i;
            continue;
        }
        const bool reps = args[i] == "--reps", opps = args[i] == "--opps";
        if (!reps && !opps) {
            rest.push_back(args[i]);
            continue;
        }
        const int value = i + 1 < args.size() ? std::atoi(args[i + 1].c_str()) : 0;
        if (value <= 0) {
            std::fprintf(stderr, "%s needs a positive number\n", args[i].c_str());
            std::exit(2);
        }
        (reps ? data.reps : data.opportunities) = value;
        ++i;
    }
    args = std::move(rest);
    return data;
}

void prepare_bench_data(const BenchData& data, const std::string& db_path,
                        storage::Platform platform, const std::string& workspace_id,
                        const std::string& platform_user_id, const std::string& name) {
    if (data.reps <= 0) {
        seed_bench_funnel(db_path, platform, workspace_id, platform_user_id, name);
        return;
    }
    BenchWorkspaceSpec spec;
    spec.platform = platform;
    spec.external_id = workspace_id;
    spec.reps = data.reps;
    spec.opportunities_per_rep = data.opportunities;
    spec.solo_platform_id = platform_user_id;
    spec.solo_name = name;
    copy_bench_workspace(bench_workspace_file(spec, FUNNELBOT_BENCH_CACHE_DIR), db_path);
}

double process_cpu_seconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces) start after its closing ')':
    // state is field 3, utime field 14 and stime field 15 (proc(5)).
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int n = 3; n <= 15 && fields >> field; ++n) {
        if (n == 14) utime = std::atoll(field.c_str());
        if (n == 15) stime = std::atoll(field.c_str());
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::chrono::microseconds percentile(std::vector<std::chrono::microseconds> samples, double p) {
    if (samples.empty()) return std::chrono::microseconds{0};
    std::sort(samples.begin(), samples.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
}

double to_ms(std::chrono::microseconds d) {
    return static_cast<double>(d.count()) / 1000.0;
}

}  // namespace funnelbot::testing
