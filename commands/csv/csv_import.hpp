// CSV import of a CRM export (ours, Salesforce, HubSpot) and our own CSV export.
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/funnel_types.hpp"
#include "commands/csv/import_steps.hpp"
#include "commands/user_error.hpp"
#include "storage/database.hpp"

namespace funnelbot::commands {

struct ImportOptions {
    std::optional<std::string> owner;    // --owner NAME: every row belongs to this user
    std::optional<std::string> product;  // --product LINE: rows without a product column or cell
    analysis::Id default_owner_id = 0;   // rows with no owner (column or cell) and no --owner
};

struct ImportSummary {
    int rows = 0;
    int created = 0;
    int updated = 0;
    std::vector<std::string> new_lines;           // product lines created, in first-seen order
    std::vector<std::string> placeholder_owners;  // owners created as placeholder reps
    // Owners of this file's rows that are not linked to a chat user yet (placeholders, new or
    // not), in first-seen order: /funnel-admin user link "<owner>" @person links each.
    std::vector<std::string> unlinked_owners;
    std::vector<std::string> customers_marked_current;
};

// All or nothing: every row is checked first (a bad row aborts with "Row N: …", N = the CSV line
// number; a malformed file, an unclosed quote, with the reader's "Line N: …"), then written in
// short steps that leave the write lock to the bot's commands between them; a run that fails or
// dies halfway is undone (import_steps.hpp). `in` must be seekable (it is read twice). One import
// per database at a time. Blank rows are skipped. A re-imported row that matches (CRM id, else
// owner + customer + product + name) is updated; its empty cells keep the stored values, and an
// unchanged row keeps its updated_at.
Result<ImportSummary> import_csv(storage::Database& db, analysis::Id workspace_id, std::istream& in,
                                 const ImportOptions& options, analysis::Instant now,
                                 ImportPacing pacing = {});

}  // namespace funnelbot::commands
