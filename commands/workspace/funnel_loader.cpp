#include "commands/workspace/funnel_loader.hpp"

#include "storage/customer_repository.hpp"
#include "storage/funnel_reader.hpp"
#include "storage/goal_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"

namespace funnelbot::commands {

std::map<analysis::Id, std::int64_t> peer_line_popularity(storage::Database& db,
                                                          const storage::Workspace& ws,
                                                          std::optional<analysis::Id> team_id) {
    // An empty team has no rows: it never falls back to "all owners".
    return storage::CustomerRepository(db).peer_line_popularity(ws.id, team_id);
}

analysis::RepFunnel load_rep_funnel_without_cross_sell(storage::Database& db,
                                                       const storage::Workspace& ws,
                                                       const storage::User& rep,
                                                       const analysis::Clock& clock) {
    analysis::RepFunnel funnel;
    funnel.clock = clock;
    funnel.responsible_lines = storage::ProductLineRepository(db).responsible_lines(ws.id, rep.id);
    storage::OpportunityFilter filter;
    filter.owner_id = rep.id;
    filter.status = storage::OpportunityFilter::Status::all;
    funnel.opportunities = storage::OpportunityRepository(db).list(ws.id, filter);
    funnel.goals = storage::GoalRepository(db).resolve(ws.id, rep.team_id, rep.id);
    return funnel;
}

analysis::RepFunnel load_rep_funnel(storage::Database& db, const storage::Workspace& ws,
                                    const storage::User& rep, const analysis::Clock& clock) {
    analysis::RepFunnel funnel;
    funnel.clock = clock;
    auto rows = storage::FunnelReader(db).read(ws.id, rep.id);
    funnel.responsible_lines = std::move(rows.responsible_lines);
    funnel.opportunities = std::move(rows.opportunities);
    funnel.goals = storage::GoalRepository(db).resolve(ws.id, rep.team_id, rep.id);
    funnel.cross_sell.accounts = std::move(rows.current_accounts);
    funnel.cross_sell.line_popularity = peer_line_popularity(db, ws, rep.team_id);
    return funnel;
}

}  // namespace funnelbot::commands
