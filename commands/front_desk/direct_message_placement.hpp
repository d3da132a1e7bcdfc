// Where a direct message belongs. A DM names no team or guild, and funnelbot keeps funnels per
// workspace: a DM is answered in the one workspace of that platform the person uses funnelbot in.
#pragma once

#include <cstddef>
#include <optional>

#include "commands/command_context.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::commands {

struct DirectMessagePlacement {
    std::optional<storage::Workspace> workspace;  // set when exactly one workspace fits
    std::size_t workspaces = 0;                   // how many the person is a member of
};

// The workspace of `platform` that `who` is a member of, when there is exactly one. A DM carries
// no server permissions, so who.platform_role_known turns false: there the person is an admin
// only by funnelbot's own role (or FUNNELBOT_ADMINS), never by what a server once said.
DirectMessagePlacement place_direct_message(storage::Database& db, storage::Platform platform,
                                            Identity& who);

}  // namespace funnelbot::commands
