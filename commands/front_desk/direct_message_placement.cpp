#include "commands/front_desk/direct_message_placement.hpp"

#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

DirectMessagePlacement place_direct_message(storage::Database& db, storage::Platform platform,
                                            Identity& who) {
    DirectMessagePlacement placement;
    auto workspaces = storage::WorkspaceRepository(db).with_member(platform, who.platform_user_id);
    placement.workspaces = workspaces.size();
    if (workspaces.size() != 1) return placement;
    placement.workspace = workspaces.front();
    if (auto known = storage::UserRepository(db).find_by_platform_id(placement.workspace->id,
                                                                     who.platform_user_id)) {
        who.platform_admin = who.platform_admin || known->platform_admin;
    }
    return placement;
}

}  // namespace funnelbot::commands
