#include "commands/csv/import_owners.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "commands/csv/csv_columns.hpp"
#include "commands/grammar/text_matching.hpp"

namespace funnelbot::commands {

ImportOwners::ImportOwners(storage::Database& db, analysis::Id workspace_id, bool console,
                           ImportSummary& summary)
    : users_(db), workspace_id_(workspace_id), console_(console), summary_(summary) {}

analysis::Id ImportOwners::owner_of(const std::string& text, const std::string& email_cell) {
    const std::string email =
        !email_cell.empty() ? email_cell : (looks_like_email(text) ? text : std::string());
    const std::string key = to_lower(text) + '\n' + to_lower(email);
    if (auto it = ids_.find(key); it != ids_.end()) {
        return it->second;
    }
    std::optional<storage::User> user = users_.find_by_email(workspace_id_, email);
    if (!user && !text.empty()) user = users_.find_by_imported_name(workspace_id_, text);
    if (!user && console_ && !text.empty()) user = users_.find_by_name(workspace_id_, text);
    if (!user) {
        // Someone the CRM knows but the chat does not (yet): a rep without a platform id.
        storage::User placeholder;
        placeholder.workspace_id = workspace_id_;
        placeholder.name = text.empty() ? email : text;
        placeholder.email = email;
        placeholder.imported_as = looks_like_email(text) ? std::string() : text;
        placeholder.role = storage::Role::rep;
        user = users_.create(placeholder);
        summary_.placeholder_owners.push_back(placeholder.name);
    }
    if (user->platform_user_id.empty() &&
        std::find(summary_.unlinked_owners.begin(), summary_.unlinked_owners.end(), user->name) ==
            summary_.unlinked_owners.end()) {
        summary_.unlinked_owners.push_back(user->name);
    }
    ids_.emplace(key, user->id);
    return user->id;
}

Result<analysis::Id> ImportOwners::named(const std::string& name) {
    if (auto owner = users_.find_by_name(workspace_id_, trim_cell(name))) return owner->id;
    std::vector<std::string> names;
    for (const storage::User& u : users_.list(workspace_id_, false)) {
        names.push_back(u.name);
    }
    std::string message = "No user named \"" + name + "\".";
    if (auto guess = did_you_mean(name, names)) {
        message += " Did you mean \"" + *guess + "\"?";
    }
    return UserError{message +
                     " Use the name, display name or e-mail of someone in this workspace."};
}

}  // namespace funnelbot::commands
