#include "commands/front_desk/direct_message_placement.hpp"

#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

DirectMessagePlacement place_direct_message(storage::Database& db, storage::Platform platform,
                                            Identity& who) {
    DirectMessagePlacement placement;
    auto workspaces = storage::WorkspaceRepository(db).with_member(platform, who.platform_user_id);
    placement.workspaces = workspaces.size();
    if (workspaces.size() != 1) return placement;
    placement.workspace = workspaces.front();
    // A DM carries no server permissions: it grants no more than the funnelbot role (and
    // FUNNELBOT_ADMINS), and leaves the stored flag as the server last said.
    who.platform_role_known = false;
    return placement;
}

}  // namespace funnelbot::commands
