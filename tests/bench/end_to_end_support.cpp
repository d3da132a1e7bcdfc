#include "tests/bench/end_to_end_support.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "storage/customer_repository.hpp"
#include "storage/database.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

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
