#pragma once

#include <optional>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

class GoalRepository {
public:
    explicit GoalRepository(Database& db) : db_(db) {}

    // Merges the set fields of `settings` into the row of that scope (scope_id: team or user
    // id; ignored for the workspace scope).
    void merge(Id workspace_id, GoalScope scope, Id scope_id, const GoalSettings& settings);
    GoalSettings get(Id workspace_id, GoalScope scope, Id scope_id);
    // rep > team > workspace > analysis::Goals defaults, field by field.
    analysis::Goals resolve(Id workspace_id, std::optional<Id> team_id, std::optional<Id> user_id);
    // Users with goals of their own (everyone else takes their team's).
    std::vector<Id> users_with_goals(Id workspace_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
