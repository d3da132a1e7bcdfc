#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

class TeamRepository {
public:
    explicit TeamRepository(Database& db) : db_(db) {}

    Team create(Id workspace_id, const std::string& name, std::optional<Id> manager_id);
    std::optional<Team> get(Id workspace_id, Id team_id);
    std::optional<Team> find_by_name(Id workspace_id, const std::string& name);  // case-insensitive
    void set_manager(Id workspace_id, Id team_id, std::optional<Id> manager_id);
    std::vector<Team> list(Id workspace_id);                       // by name
    std::vector<Team> managed_by(Id workspace_id, Id manager_id);  // by name

private:
    Database& db_;
};

}  // namespace funnelbot::storage
