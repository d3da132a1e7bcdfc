// Internal to storage/: the SQL of the reads every funnel check (and each Friday review) runs, in
// one place so the storage tests can look at SQLite's plan for exactly these texts: each must
// stay on an index, its cost following the rep's (or team's) own data, never the workspace.
#pragma once

#include <string>

namespace funnelbot::storage::detail {

// Every column of an opportunity, with the customer's and the line's names (from their rows,
// never from the opportunity itself).
inline constexpr const char* kOpportunityColumns =
    "SELECT o.id, o.owner_id, o.customer_id, c.name, o.product_line_id, p.name, o.name, "
    "o.amount, o.stage, o.customer_type, o.close_date, o.created_at, o.updated_at, o.closed_at, "
    "o.external_id";

inline constexpr const char* kNameJoins =
    " JOIN customers c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id"
    " JOIN product_lines p ON p.workspace_id = o.workspace_id AND p.id = o.product_line_id ";

// Every column of an opportunity; followed by a WHERE clause.
inline std::string opportunity_select() {
    return std::string(kOpportunityColumns) + " FROM opportunities o" + kNameJoins;
}

// Every opportunity of a team's active members (?1 workspace, ?2 team), by owner then id:
// driven from the members (CROSS JOIN fixes the order), each member's rows from the owner index,
// so a team summary reads its team, never the whole workspace. Ordering by the member rather
// than o.owner_id (equal) lets SQLite sort one member's rows at a time.
inline std::string team_opportunities_sql() {
    return std::string(kOpportunityColumns) +
           " FROM users u CROSS JOIN opportunities o"
           " ON o.workspace_id = u.workspace_id AND o.owner_id = u.id" +
           kNameJoins + "WHERE u.workspace_id = ? AND u.team_id = ? AND u.active = 1" +
           " ORDER BY u.id, o.id";
}

// A rep's whole funnel (?1 workspace, ?2 owner), in no particular order: the owner index finds
// the rep's rows, whatever the workspace holds.
inline constexpr const char* kRepFunnelWhere = "WHERE o.workspace_id = ? AND o.owner_id = ?";

// The rep's current accounts (?1 workspace, ?2 rep): the rep's customers from the rep's own
// opportunities (covered by the owner index; CROSS JOIN keeps SQLite from starting at the
// workspace's every customer instead), the current ones, each with the lines it has any won or
// open opportunity on, whoever owns it (customers.covered_lines, kept by triggers).
inline constexpr const char* kCurrentAccounts =
    "WITH mine AS (SELECT DISTINCT customer_id FROM opportunities"
    "  WHERE workspace_id = ?1 AND owner_id = ?2)"
    " SELECT c.id, c.name, c.covered_lines"
    " FROM mine CROSS JOIN customers c"
    "  ON c.workspace_id = ?1 AND c.id = mine.customer_id AND c.status = 'current'";

// What FunnelReader reads for one rep (?1 workspace, ?2 rep), beside the lines below: every
// opportunity of the rep, the columns the balance check reads, from the owner index alone (it
// holds them), in customer order (the index's: no sort), each with its customer's row (a LEFT
// JOIN: SQLite starts from the rep's rows, never the workspace's customers, and a missing
// customer shows as a NULL name instead of hiding the opportunity): the name, the status, and the
// lines the customer has a won or open opportunity on, any owner's. A rep's rows of one customer
// follow each other, so the customer's row is read once and found again in place. The status
// comes as stored and the reader compares it: `c.status = 'current'` cost three opcodes a row.
inline constexpr const char* kRepOpportunities =
    "SELECT o.id, o.customer_id, o.product_line_id, o.amount, o.stage, o.customer_type,"
    " o.created_at, c.name, c.status, c.covered_lines"
    " FROM opportunities o LEFT JOIN customers c ON c.workspace_id = ?1 AND c.id = o.customer_id"
    " WHERE o.workspace_id = ?1 AND o.owner_id = ?2 ORDER BY o.customer_id";

// The rep's product lines (ProductLineRepository::rep_lines), in two statements: a workspace has
// a handful of lines and a rep or team a list of a few, so each is a short range of its index.
// - every line of the workspace (?1), retired ones too, ids ascending;
inline constexpr const char* kWorkspaceLines =
    "SELECT id, name, category, introduced_on, origin, active FROM product_lines"
    " WHERE workspace_id = ?1 ORDER BY id";
// - the lines the rep's own list (second column 1) and the rep's team's list (0) hold (?1
//   workspace, ?2 rep); the team id is read once.
inline constexpr const char* kRepListedLines =
    "SELECT product_line_id, 1 FROM responsible_lines WHERE workspace_id = ?1 AND user_id = ?2"
    " UNION ALL"
    " SELECT product_line_id, 0 FROM responsible_lines WHERE workspace_id = ?1"
    " AND team_id = (SELECT team_id FROM users WHERE workspace_id = ?1 AND id = ?2)";

// Line popularity among a peer group (?1 workspace, ?2 group: a team id, 0 for the workspace),
// as the triggers keep it.
inline constexpr const char* kPeerLinePopularity =
    "SELECT product_line_id, customers FROM peer_line_popularity"
    " WHERE workspace_id = ? AND peer_group = ? AND customers > 0";

}  // namespace funnelbot::storage::detail
