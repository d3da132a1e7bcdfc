#include "commands/workspace/local_workspace.hpp"

#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {

std::optional<storage::Workspace> local_workspace(storage::Database& db, const std::string& id,
                                                  const std::string& default_tz) {
    storage::WorkspaceRepository workspaces(db);
    if (id.empty())
        return workspaces.find_or_create(storage::Platform::console, "console", default_tz);
    for (auto p :
         {storage::Platform::slack, storage::Platform::discord, storage::Platform::console}) {
        if (auto ws = workspaces.find(p, id)) return ws;
    }
    return std::nullopt;
}

}  // namespace funnelbot::commands
