#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

class WorkspaceRepository {
public:
    explicit WorkspaceRepository(Database& db) : db_(db) {}

    // The workspace for (platform, external id), created with `default_tz` if new.
    Workspace find_or_create(Platform platform, const std::string& external_id,
                             const std::string& default_tz);
    std::optional<Workspace> find(Platform platform, const std::string& external_id);
    std::optional<Workspace> get(Id id);
    std::vector<Workspace> list_all();
    // The workspaces of `platform` where an active user has this platform id, by id: the
    // Discord servers a person has used funnelbot in, to place their direct messages.
    std::vector<Workspace> with_member(Platform platform, const std::string& platform_user_id);
    // Writes currency, tz, name and the reminder settings of `ws` (matched by id).
    void update(const Workspace& ws);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
