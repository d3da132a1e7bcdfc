#pragma once

#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

// Everything a balance check reads about one rep's own funnel.
struct RepFunnelRows {
    // Every opportunity the rep owns (any stage), by id: what OpportunityRepository::list gives
    // for the owner and Status::all.
    std::vector<analysis::Opportunity> opportunities;
    // What CustomerRepository::current_accounts_of gives for the rep.
    std::vector<analysis::CrossSellAccount> current_accounts;
};

// Reads a rep's funnel in three statements whose cost follows the rep's own opportunities and
// accounts: the opportunities through the owner index (no join), the rep's customers (names,
// and for the current ones their lines) once each, and the workspace's product line names. A check
// asks for it on every command, so it avoids the per-row joins of the general queries.
class FunnelReader {
public:
    explicit FunnelReader(Database& db) : db_(db) {}

    RepFunnelRows read(Id workspace_id, Id owner_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
