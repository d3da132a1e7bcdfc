// Who owns an imported row. A name is something anyone can put on their chat profile, so a name
// alone never picks out a person on Slack or Discord: only the e-mail address does (the owner
// cell or an Owner Email column), or an owner name an admin linked (/funnel-admin user link).
// Anyone else becomes (or joins) a placeholder rep. The console is exempt: whoever runs it holds
// the database file, and its people are their names.
#pragma once

#include <map>
#include <string>

#include "commands/csv/csv_import.hpp"
#include "commands/user_error.hpp"
#include "storage/user_repository.hpp"

namespace funnelbot::commands {

class ImportOwners {
public:
    // Placeholders created and owners not linked yet are listed in `summary`.
    ImportOwners(storage::Database& db, analysis::Id workspace_id, bool console,
                 ImportSummary& summary);

    // The person an owner cell (and an Owner Email cell) names, a placeholder rep created for
    // someone the chat does not know yet.
    analysis::Id owner_of(const std::string& text, const std::string& email_cell);

    // --owner NAME: someone already in the workspace, by name, display name or e-mail.
    Result<analysis::Id> named(const std::string& name);

private:
    storage::UserRepository users_;
    analysis::Id workspace_id_;
    bool console_;
    ImportSummary& summary_;
    std::map<std::string, analysis::Id> ids_;  // lower-cased cells -> user
};

}  // namespace funnelbot::commands
