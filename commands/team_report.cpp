#include "commands/team_report.hpp"

#include "commands/funnel_loader.hpp"
#include "commands/user_directory.hpp"
#include "commands/workspace_time.hpp"
#include "storage/goal_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

analysis::TeamSummary build_team_summary(storage::Database& db, const storage::Workspace& ws,
                                         const storage::Team& team, const analysis::Clock& clock) {
    const auto [begin, end] = quarter_bounds(ws.tz, clock.now);
    analysis::TeamSummaryBuilder builder(
        team.name, storage::ProductLineRepository(db).list(ws.id, false),
        storage::GoalRepository(db).resolve(ws.id, team.id, std::nullopt), clock, begin, end);
    const auto popularity = peer_line_popularity(db, ws, team.id);
    for (const auto& rep : storage::UserRepository(db).list_team(ws.id, team.id)) {
        if (team.manager_id == rep.id) continue;  // the manager's own row would skew the team
        builder.add_rep(rep.id, display_name(rep), load_rep_funnel(db, ws, rep, clock, popularity));
    }
    return std::move(builder).finish();
}

}  // namespace funnelbot::commands
