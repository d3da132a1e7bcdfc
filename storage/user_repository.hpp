#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

class UserRepository {
public:
    explicit UserRepository(Database& db) : db_(db) {}

    // Inserts `user` (id ignored) and returns it with its id.
    User create(const User& user);
    std::optional<User> get(Id workspace_id, Id user_id);
    std::optional<User> find_by_platform_id(Id workspace_id, const std::string& platform_user_id);
    // Case-insensitive match on name, display name, real name or e-mail; active users
    // first, then the lowest id.
    std::optional<User> find_by_name(Id workspace_id, const std::string& name_or_email);
    // The person with this e-mail address, case-insensitively; a platform user before a
    // placeholder.
    std::optional<User> find_by_email(Id workspace_id, const std::string& email);
    // The person a CSV import knows by this owner name (User::imported_as), case-insensitively.
    std::optional<User> find_by_imported_name(Id workspace_id, const std::string& owner);
    // Writes every field of `user` (matched by workspace and id).
    void update(const User& user);
    std::vector<User> list(Id workspace_id, bool active_only = true);  // by name
    std::vector<User> list_team(Id workspace_id, Id team_id);          // active members, by name

private:
    Database& db_;
};

}  // namespace funnelbot::storage
