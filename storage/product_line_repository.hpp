#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::storage {

// A rep's product lines as a check reads them (ProductLineRepository::rep_lines).
struct RepLines {
    std::vector<analysis::ProductLine> all;          // every line, retired ones too, by id
    std::vector<analysis::ProductLine> responsible;  // as responsible_lines gives them
};

class ProductLineRepository {
public:
    explicit ProductLineRepository(Database& db) : db_(db) {}

    // Inserts `line` (id ignored); names are unique per workspace, case-insensitively.
    analysis::ProductLine create(Id workspace_id, const analysis::ProductLine& line);
    std::optional<analysis::ProductLine> get(Id workspace_id, Id line_id);
    std::optional<analysis::ProductLine> find_by_name(Id workspace_id, const std::string& name);
    std::vector<analysis::ProductLine> list(Id workspace_id, bool include_retired);  // by name
    void update(Id workspace_id, const analysis::ProductLine& line);

    // Responsible lines: stored per team or per rep; none stored means every active line.
    void set_responsible_for_user(Id workspace_id, Id user_id, const std::vector<Id>& line_ids);
    void set_responsible_for_team(Id workspace_id, Id team_id, const std::vector<Id>& line_ids);
    void clear_responsible_for_user(Id workspace_id, Id user_id);  // back to "all"
    void clear_responsible_for_team(Id workspace_id, Id team_id);
    // The rep's own list, else their team's, else every active line; active lines only, by name.
    std::vector<analysis::ProductLine> responsible_lines(Id workspace_id, Id user_id);
    // The workspace's every line and the rep's responsible ones, in two short statements: a
    // check needs both (the names of lines the rep does not answer for show too).
    RepLines rep_lines(Id workspace_id, Id user_id);
    // Users with a list of their own (a team report asks only those individually).
    std::vector<Id> users_with_own_lines(Id workspace_id);

private:
    Database& db_;
};

}  // namespace funnelbot::storage
