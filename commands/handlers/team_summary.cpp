#include "analysis/team_summary.hpp"
#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/render/funnel_replies.hpp"
#include "commands/render/team_report.hpp"
#include "commands/workspace/funnel_loader.hpp"
#include "commands/workspace/lookups.hpp"
#include "commands/workspace/user_directory.hpp"
#include "storage/team_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const TeamSummaryRequest& cmd) {
    const bool admin = is_admin(ctx.actor);
    if (!admin && !is_manager(ctx, ctx.actor)) {
        return UserError{
            "/team-summary is for managers and admins. /funnel-check shows your own funnel."};
    }
    storage::TeamRepository teams(ctx.db);
    std::vector<storage::Team> chosen;
    if (cmd.team) {
        auto team = find_team(ctx, *cmd.team);
        if (!team) return team.error();
        if (!admin && team->manager_id != ctx.actor.id) {
            return UserError{"You manage " +
                             std::string(teams.managed_by(ctx.workspace.id, ctx.actor.id).empty()
                                             ? "no team yet"
                                             : "other teams") +
                             ", not " + team->name + ". /team-summary with no name shows yours."};
        }
        chosen.push_back(*team);
    } else {
        chosen =
            admin ? teams.list(ctx.workspace.id) : teams.managed_by(ctx.workspace.id, ctx.actor.id);
    }
    if (chosen.empty()) {
        return UserError{
            admin ? "There are no teams yet. Create one with /funnel-admin team <name> "
                    "manager:@manager."
                  : "You manage no team yet. An admin assigns one with /funnel-admin team <name> "
                    "manager:@you."};
    }
    Reply combined;
    for (const auto& team : chosen) {
        Reply one = team_summary_reply(build_team_summary(ctx.db, ctx.workspace, team, ctx.clock),
                                       ctx.workspace.currency);
        if (chosen.size() == 1) return one;
        if (combined.title.empty()) {
            combined.title = "Team summaries";
            combined.summary = std::to_string(chosen.size()) + " teams";
        }
        Section heading;
        heading.heading = one.title;
        heading.lines.push_back(one.summary);
        combined.sections.push_back(std::move(heading));
        for (auto& s : one.sections)
            combined.sections.push_back(std::move(s));
        for (auto& w : one.warnings)
            combined.warnings.push_back(team.name + ": " + w);
        for (auto& n : one.next_steps)
            combined.next_steps.push_back(team.name + ": " + n);
        if (one.verdict == Verdict::attention) combined.verdict = Verdict::attention;
    }
    return combined;
}

Result<Command> parse_team_summary(std::span<const Arg> args, std::string_view usage) {
    TeamSummaryRequest cmd;
    if (!args.empty()) {
        for (const auto& a : args) {
            if (a.kind == Arg::Kind::option && a.key == "team" && args.size() == 1) {
                cmd.team = a.text;
                return Command{cmd};
            }
            if (a.kind != Arg::Kind::word) {
                return wrong("Unexpected " + describe(a) + ". Give a team name or nothing.", usage);
            }
        }
        auto n = checked_name(join_words(args), "team name", usage);
        if (!n) return n.error();
        cmd.team = *n;
    }
    return Command{cmd};
}

}  // namespace funnelbot::commands
