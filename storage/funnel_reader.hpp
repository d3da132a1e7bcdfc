#pragma once

#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

// Everything a balance check reads about one rep's own funnel.
struct RepFunnelRows {
    // Every opportunity the rep owns (any stage), by id, with the fields the balance check
    // (analysis::check_balance) reads: id, owner, customer (id and name), product line (id and
    // name), amount, stage, customer type and created time. The name, close date, updated and
    // closed times and external id are left empty: OpportunityRepository::list has them.
    std::vector<analysis::Opportunity> opportunities;
    // The accounts CustomerRepository::current_accounts_of gives for the rep, by customer id
    // rather than by name: the cross-sell check orders what it shows itself.
    std::vector<analysis::CrossSellAccount> current_accounts;
    // ProductLineRepository::responsible_lines for the rep: active lines, by name.
    std::vector<analysis::ProductLine> responsible_lines;
};

// Reads a rep's funnel for a balance check in two statements whose cost follows the rep's own
// opportunities and accounts: the opportunities from the owner index alone, each with its
// customer's row (name, and for a current one its lines; taken once per customer), and the
// workspace's product lines with those the rep answers for (ProductLineRepository::rep_lines).
// Every check, review and Friday message asks for it, so it reads no column it does not use and
// avoids the name joins of the general queries.
class FunnelReader {
public:
    explicit FunnelReader(Database& db) : db_(db) {}

    RepFunnelRows read(Id workspace_id, Id owner_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
