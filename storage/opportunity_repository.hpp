#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

struct OpportunityFilter {
    std::optional<Id> owner_id;
    enum class Status { open, won, lost, all } status = Status::open;
    std::optional<Id> product_line_id;
    std::optional<Id> customer_id;
    int limit = 0;  // 0 = no limit
};

class OpportunityRepository {
public:
    explicit OpportunityRepository(Database& db) : db_(db) {}

    // Inserts `opp` (id ignored; customer_name and product_line_name ignored) and returns it
    // with its id and names filled in. `source_event_id` may be empty.
    analysis::Opportunity create(Id workspace_id, const analysis::Opportunity& opp,
                                 const std::string& source_event_id = {});
    // As create, returning only the id: bulk imports skip reading the row back.
    Id insert(Id workspace_id, const analysis::Opportunity& opp,
              const std::string& source_event_id = {});
    std::optional<analysis::Opportunity> get(Id workspace_id, Id opp_id);
    // Writes owner, customer, line, name, amount, stage, close date, updated_at, closed_at and
    // external id. Setting stage won also marks the customer current.
    void update(Id workspace_id, const analysis::Opportunity& opp);
    void remove(Id workspace_id, Id opp_id);
    // Ordered by id.
    std::vector<analysis::Opportunity> list(Id workspace_id, const OpportunityFilter& filter);
    // Every opportunity of the workspace in id order, one at a time (export, big reads).
    void for_each(Id workspace_id, const std::function<void(const analysis::Opportunity&)>& fn);
    // Every opportunity owned by an active member of the team, ordered by owner then id, one
    // at a time: a team summary reads its whole team in one statement.
    void for_each_in_team(Id workspace_id, Id team_id,
                          const std::function<void(const analysis::Opportunity&)>& fn);
    std::optional<analysis::Opportunity> find_by_external_id(Id workspace_id,
                                                             const std::string& external_id);
    // Import's fallback match: same owner, customer, line and (case-insensitive) name.
    std::optional<analysis::Opportunity> find_by_natural_key(Id workspace_id, Id owner_id,
                                                             Id customer_id, Id line_id,
                                                             const std::string& name);
    // Moves every opportunity of `from` to `to` (a rep who left).
    int reassign(Id workspace_id, Id from_user, Id to_user);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
