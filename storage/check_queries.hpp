// Internal to storage/: the SQL every funnel check runs, in one place so the storage tests can
// look at SQLite's plan for exactly these texts (each must stay on an index: its cost follows the
// rep's own funnel, never the workspace).
#pragma once

namespace funnelbot::storage::detail {

// Every column of an opportunity; names come from the customer and line rows (JOIN), never from
// the opportunity itself. Followed by a WHERE clause.
inline constexpr const char* kOpportunitySelect =
    "SELECT o.id, o.owner_id, o.customer_id, c.name, o.product_line_id, p.name, o.name, "
    "o.amount, o.stage, o.customer_type, o.close_date, o.created_at, o.updated_at, o.closed_at, "
    "o.external_id FROM opportunities o"
    " JOIN customers c ON c.workspace_id = o.workspace_id AND c.id = o.customer_id"
    " JOIN product_lines p ON p.workspace_id = o.workspace_id AND p.id = o.product_line_id ";

// A rep's whole funnel (?1 workspace, ?2 owner), in no particular order: the owner index covers
// it, so the table itself is never visited.
inline constexpr const char* kRepFunnelWhere = "WHERE o.workspace_id = ? AND o.owner_id = ?";

// The rep's current accounts (?1 workspace, ?2 rep): the rep's customers from the rep's own
// opportunities (covered by the owner index; CROSS JOIN keeps SQLite from starting at the
// workspace's every customer instead), the current ones, then per account one row per line it
// has any won or open opportunity on, whoever owns it, from the maintained customer_line_stats
// (in key order: lines ascending). An account without any line appears once with a NULL line.
inline constexpr const char* kCurrentAccounts =
    "WITH mine AS (SELECT DISTINCT customer_id FROM opportunities"
    "  WHERE workspace_id = ?1 AND owner_id = ?2)"
    " SELECT c.id, c.name, s.product_line_id, s.won > 0, s.open > 0"
    " FROM mine CROSS JOIN customers c"
    "  ON c.workspace_id = ?1 AND c.id = mine.customer_id AND c.status = 'current'"
    " LEFT JOIN customer_line_stats s ON s.workspace_id = ?1 AND s.customer_id = c.id";

// What FunnelReader reads for one rep (?1 workspace, ?2 rep), in three statements:
// - every opportunity of the rep from the owner index alone (covering: no table, no join), in
//   index order;
inline constexpr const char* kRepOpportunities =
    "SELECT id, customer_id, product_line_id, name, amount, stage, customer_type, close_date,"
    " created_at, updated_at, closed_at, external_id FROM opportunities"
    " WHERE workspace_id = ?1 AND owner_id = ?2";
// - the rep's customers, with, for the current ones, a row per line bought or open as in
//   kCurrentAccounts (rows in no particular order);
inline constexpr const char* kRepCustomers =
    "WITH mine AS (SELECT DISTINCT customer_id FROM opportunities"
    "  WHERE workspace_id = ?1 AND owner_id = ?2)"
    " SELECT c.id, c.name, c.status = 'current', s.product_line_id, s.won > 0, s.open > 0"
    " FROM mine CROSS JOIN customers c ON c.workspace_id = ?1 AND c.id = mine.customer_id"
    " LEFT JOIN customer_line_stats s"
    "  ON c.status = 'current' AND s.workspace_id = ?1 AND s.customer_id = c.id";
// - the names of the workspace's product lines, ids ascending.
inline constexpr const char* kLineNames =
    "SELECT id, name FROM product_lines WHERE workspace_id = ? ORDER BY id";

// Line popularity among a peer group (?1 workspace, ?2 group: a team id, 0 for the workspace),
// as the triggers keep it.
inline constexpr const char* kPeerLinePopularity =
    "SELECT product_line_id, customers FROM peer_line_popularity"
    " WHERE workspace_id = ? AND peer_group = ? AND customers > 0";

}  // namespace funnelbot::storage::detail
