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
    // counting only opportunities owned by `owner_ids` (all owners when empty).
    std::map<Id, std::int64_t> line_popularity(Id workspace_id, const std::vector<Id>& owner_ids);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
