#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "storage/goal_repository.hpp"
#include "storage/team_repository.hpp"

namespace funnelbot::commands {

namespace {

bool any_set(const storage::GoalSettings& s) {
    return s.max_line_pct || s.new_share_pct || s.tolerance_pct || s.territory ||
           s.new_opps_per_month || s.quota_per_quarter || s.languishing_days ||
           s.languishing_share_pct;
}

Section goals_section(const analysis::Goals& g, std::string_view currency) {
    Section s;
    s.figures.push_back(
        {"max-line", std::to_string(g.max_line_pct) + " % (no line above this share)"});
    s.figures.push_back({"territory", std::string(territory_name(g.territory))});
    s.figures.push_back({"new-share", std::to_string(g.new_share_pct) + " % ± " +
                                          std::to_string(g.tolerance_pct) + " (tolerance)"});
    s.figures.push_back({"new-opps", g.new_opps_per_month
                                         ? std::to_string(*g.new_opps_per_month) + "/month"
                                         : std::string("not set")});
    s.figures.push_back({"quota", g.quota_per_quarter
                                      ? format_money(*g.quota_per_quarter, currency) + "/quarter"
                                      : std::string("not set")});
    s.figures.push_back({"languishing", "lines new in the last " +
                                            std::to_string(g.languishing_days) +
                                            " days or acquired, under " +
                                            std::to_string(g.languishing_share_pct) + " %"});
    return s;
}

}  // namespace

Result<Reply> handle(CommandContext& ctx, const GoalsSet& cmd) {
    const bool admin = is_admin(ctx.actor);
    storage::TeamRepository teams(ctx.db);
    storage::GoalScope scope = storage::GoalScope::workspace;
    analysis::Id scope_id = 0;
    std::string who = "the workspace";
    std::optional<analysis::Id> team_id;
    std::optional<analysis::Id> user_id;
    if (cmd.rep) {
        auto rep = resolve_user(ctx, *cmd.rep, false);
        if (!rep) return rep.error();
        if (!admin && !(rep->team_id &&
                        teams.get(ctx.workspace.id, *rep->team_id)->manager_id == ctx.actor.id)) {
            return UserError{"Managers set goals for the reps of their own team; " +
                             display_name(*rep) + " is not in yours."};
        }
        scope = storage::GoalScope::rep;
        scope_id = rep->id;
        who = display_name(*rep);
        team_id = rep->team_id;
        user_id = rep->id;
    } else if (cmd.team) {
        auto team = find_team(ctx, *cmd.team);
        if (!team) return team.error();
        if (!admin && team->manager_id != ctx.actor.id) {
            return UserError{"Managers set goals for their own team; " + team->name +
                             " is not yours."};
        }
        scope = storage::GoalScope::team;
        scope_id = team->id;
        who = "team " + team->name;
        team_id = team->id;
    } else if (!admin) {
        if (!is_manager(ctx, ctx.actor)) {
            return UserError{
                "Only managers and admins set goals. /funnel-check shows the goals that apply to "
                "you."};
        }
        if (any_set(cmd.settings)) {
            return UserError{
                "Workspace-wide goals are for admins. Name your team with team:<name> or a rep "
                "with @rep."};
        }
    }
    if (!admin && !is_manager(ctx, ctx.actor)) {
        return UserError{
            "Only managers and admins set goals. /funnel-check shows the goals that apply to you."};
    }
    storage::GoalRepository goals(ctx.db);
    Reply reply;
    if (any_set(cmd.settings)) {
        goals.merge(ctx.workspace.id, scope, scope_id, cmd.settings);
        reply.title = "Goals set";
        reply.verdict = Verdict::good;
        reply.summary = "Goals for " + who + " updated; the goals now in force:";
    } else {
        reply.title = "Goals";
        reply.summary = "Goals in force for " + who + " (rep overrides team overrides workspace):";
    }
    reply.sections.push_back(
        goals_section(goals.resolve(ctx.workspace.id, team_id, user_id), ctx.workspace.currency));
    return reply;
}

}  // namespace funnelbot::commands
