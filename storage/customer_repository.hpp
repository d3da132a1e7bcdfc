#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

class CustomerRepository {
public:
    explicit CustomerRepository(Database& db) : db_(db) {}

    // Matches by customer_key(name); creates a prospect keeping `name` as written if none.
    Customer find_or_create(Id workspace_id, const std::string& name);
    std::optional<Customer> find(Id workspace_id, const std::string& name);
    std::optional<Customer> get(Id workspace_id, Id customer_id);
    void set_status(Id workspace_id, Id customer_id, CustomerStatus status);

    // The rep's current customers with the lines each bought (won, any owner) and has open
    // (any owner), by name.
    std::vector<analysis::CrossSellAccount> current_accounts_of(Id workspace_id, Id user_id);
    // line id -> number of distinct current customers with a won opportunity on that line,
    // counting only opportunities owned by `owner_ids` (all owners when empty). Reads every
    // such opportunity: for ad-hoc groups; peers use peer_line_popularity.
    std::map<Id, std::int64_t> line_popularity(Id workspace_id, const std::vector<Id>& owner_ids);
    // The same figure for a peer group, as the schema keeps it: the active members of team
    // `team_id`, or every owner of the workspace when nullopt. Costs a few rows, however big
    // the workspace. Lines no current customer bought are absent.
    std::map<Id, std::int64_t> peer_line_popularity(Id workspace_id, std::optional<Id> team_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
