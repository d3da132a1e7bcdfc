#include "commands/render/team_report.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "commands/grammar/value_parsers.hpp"
#include "commands/workspace/user_directory.hpp"
#include "commands/workspace/workspace_time.hpp"
#include "storage/goal_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

analysis::TeamSummary build_team_summary(storage::Database& db, const storage::Workspace& ws,
                                         const storage::Team& team, const analysis::Clock& clock) {
    const auto [begin, end] = quarter_bounds(ws.tz, clock.now);
    storage::ProductLineRepository lines(db);
    storage::GoalRepository goals(db);
    const analysis::Goals team_goals = goals.resolve(ws.id, team.id, std::nullopt);
    analysis::TeamSummaryBuilder builder(team.name, lines.list(ws.id, false), team_goals, clock,
                                         begin, end);

    std::map<analysis::Id, storage::User> reps;
    for (auto& u : storage::UserRepository(db).list_team(ws.id, team.id)) {
        // The manager's own deals would skew the team's rows.
        if (team.manager_id != u.id) reps.emplace(u.id, std::move(u));
    }
    // Reps with their own lines or goals are read one by one; the others share the team's, so
    // a thousand-rep team costs a handful of statements rather than thousands.
    const auto own_lines_list = lines.users_with_own_lines(ws.id);
    const auto own_goals_list = goals.users_with_goals(ws.id);
    const std::set<analysis::Id> own_lines(own_lines_list.begin(), own_lines_list.end());
    const std::set<analysis::Id> own_goals(own_goals_list.begin(), own_goals_list.end());
    std::optional<std::vector<analysis::ProductLine>> shared_lines;

    auto add = [&](const storage::User& rep, std::vector<analysis::Opportunity> opportunities) {
        analysis::RepFunnel funnel;
        funnel.clock = clock;
        if (own_lines.count(rep.id) != 0) {
            funnel.responsible_lines = lines.responsible_lines(ws.id, rep.id);
        } else {
            if (!shared_lines) shared_lines = lines.responsible_lines(ws.id, rep.id);
            funnel.responsible_lines = *shared_lines;
        }
        funnel.goals =
            own_goals.count(rep.id) != 0 ? goals.resolve(ws.id, team.id, rep.id) : team_goals;
        funnel.opportunities = std::move(opportunities);
        builder.add_rep(rep.id, display_name(rep), funnel);
    };

    // One statement streams the team's opportunities grouped by owner: one rep in memory at a time.
    std::set<analysis::Id> done;
    analysis::Id current = 0;
    std::vector<analysis::Opportunity> batch;
    auto flush = [&] {
        if (current != 0 && reps.count(current) != 0) {
            add(reps.at(current), std::move(batch));
            done.insert(current);
        }
        batch.clear();
    };
    storage::OpportunityRepository(db).for_each_in_team(ws.id, team.id,
                                                        [&](const analysis::Opportunity& o) {
                                                            if (o.owner_id != current) {
                                                                flush();
                                                                current = o.owner_id;
                                                            }
                                                            batch.push_back(o);
                                                        });
    flush();
    for (const auto& [id, rep] : reps) {
        if (done.count(id) == 0) add(rep, {});
    }

    analysis::TeamSummary summary = std::move(builder).finish();
    // Rows by name, whatever order the opportunities came in.
    std::stable_sort(summary.rows.begin(), summary.rows.end(),
                     [](const analysis::RepRow& a, const analysis::RepRow& b) {
                         return to_lower(a.name) < to_lower(b.name);
                     });
    summary.reps_to_coach.clear();
    for (const auto& row : summary.rows) {
        if (row.to_coach) summary.reps_to_coach.push_back(row.name);
    }
    return summary;
}

}  // namespace funnelbot::commands
