#include "bot/app/workspace_choice.hpp"

#include "storage/workspace_repository.hpp"

namespace funnelbot::bot {

std::optional<storage::Workspace> choose_workspace(storage::Database& db, const std::string& id,
                                                   const RuntimeConfig& config) {
    storage::WorkspaceRepository workspaces(db);
    if (id.empty())
        return workspaces.find_or_create(storage::Platform::console, "console", config.default_tz);
    for (auto p :
         {storage::Platform::slack, storage::Platform::discord, storage::Platform::console}) {
        if (auto ws = workspaces.find(p, id)) return ws;
    }
    return std::nullopt;
}

}  // namespace funnelbot::bot
