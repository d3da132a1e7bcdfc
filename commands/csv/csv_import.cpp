#include "commands/csv/csv_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "commands/csv/csv_columns.hpp"
#include "commands/csv/csv_reader.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "storage/customer_key.hpp"
#include "storage/customer_repository.hpp"
#include "storage/opportunity_repository.hpp"
#include "storage/product_line_repository.hpp"
#include "storage/transaction.hpp"
#include "storage/user_repository.hpp"
#include "storage/workspace_repository.hpp"

namespace funnelbot::commands {
namespace {

using analysis::CustomerType;
using analysis::Id;
using analysis::Opportunity;
using analysis::ProductLine;

using Field = CsvField;

constexpr std::string_view kStageForms =
    "Use prospecting, qualification, proposal, negotiation, won or lost (Salesforce and "
    "HubSpot stage names work too).";

std::string in_quotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// One import run: the repositories, the caches and the summary being built.
class Importer {
public:
    Importer(storage::Database& db, Id workspace_id, bool console, const ImportOptions& options,
             analysis::Instant now)
        : users_(db),
          customers_(db),
          lines_(db),
          opps_(db),
          ws_(workspace_id),
          console_(console),
          options_(options),
          now_(now) {}

    Result<ImportSummary> run(CsvReader& reader) {
        auto header = reader.next();
        if (!header) {
            return UserError{
                "The CSV file is empty. Its first line must name the columns, like "
                "id,name,customer,product,amount,stage,close,type,owner."};
        }
        if (!header->ok()) {
            return header->error();
        }
        if (auto error = read_header(header->value())) {
            return *error;
        }
        if (options_.owner) {
            auto owner = users_.find_by_name(ws_, trim_cell(*options_.owner));
            if (!owner) {
                return unknown_owner(*options_.owner);
            }
            fixed_owner_ = owner->id;
        }
        storage::OpportunityFilter any;
        any.status = storage::OpportunityFilter::Status::all;
        any.limit = 1;
        had_opportunities_ = !opps_.list(ws_, any).empty();
        for (const ProductLine& line : lines_.list(ws_, true)) {
            line_ids_.emplace(to_lower(line.name), line.id);
        }

        while (auto record = reader.next()) {
            if (!record->ok()) {
                return record->error();
            }
            if (auto error = import_row(record->value())) {
                return UserError{"Row " + std::to_string(reader.line()) + ": " + *error};
            }
        }
        return std::move(summary_);
    }

private:
    std::optional<UserError> read_header(const std::vector<std::string>& cells) {
        columns_.read(cells);
        if (!columns_.has(Field::customer)) {
            return UserError{
                "The header (line 1) has no customer column. Name it customer, Account Name "
                "(Salesforce) or Associated Company (HubSpot)."};
        }
        if (!columns_.has(Field::product) && !options_.product) {
            return UserError{
                "The header (line 1) has no product column. Name it product (Salesforce: "
                "Product), or give --product LINE for every row."};
        }
        return std::nullopt;
    }

    std::string cell(const std::vector<std::string>& row, Field f) const {
        return columns_.cell(row, f);
    }

    UserError unknown_owner(const std::string& name) {
        std::vector<std::string> names;
        for (const storage::User& u : users_.list(ws_, false)) {
            names.push_back(u.name);
        }
        std::string message = "No user named " + in_quotes(name) + ".";
        if (auto guess = did_you_mean(name, names)) {
            message += " Did you mean " + in_quotes(*guess) + "?";
        }
        return UserError{message +
                         " Use the name, display name or e-mail of someone in this workspace."};
    }

    // Returns the reason when the row is bad; the caller adds "Row N: ".
    std::optional<std::string> import_row(const std::vector<std::string>& row) {
        bool blank = true;
        for (const std::string& c : row) {
            blank = blank && trim_cell(c).empty();
        }
        if (blank) {
            return std::nullopt;  // spreadsheets leave ",,,," rows behind
        }
        if (row.size() > columns_.width()) {
            for (std::size_t i = columns_.width(); i < row.size(); ++i) {
                if (!trim_cell(row[i]).empty()) {
                    return std::to_string(row.size()) + " fields but the header has " +
                           std::to_string(columns_.width()) +
                           ". Quote any field that holds a comma, like \"Acme, Inc.\".";
                }
            }
        }
        ++summary_.rows;

        // Parse and check every cell before writing anything for the row.
        const std::string customer_name = cell(row, Field::customer);
        if (customer_name.empty()) {
            return std::string("the customer is empty. Every row needs one.");
        }
        if (storage::customer_key(customer_name).empty()) {
            return "the customer " + in_quotes(customer_name) +
                   " has no letters or digits. Write the customer's name.";
        }
        std::string product_name = cell(row, Field::product);
        if (product_name.empty() && options_.product) {
            product_name = trim_cell(*options_.product);
        }
        if (product_name.empty()) {
            return std::string(
                "the product is empty. Fill it in, or give --product LINE for rows without "
                "one.");
        }
        std::optional<analysis::Money> amount;
        if (const std::string text = cell(row, Field::amount); !text.empty()) {
            auto parsed = parse_money(strip_currency_code(text));
            if (!parsed) {
                return parsed.error().message;
            }
            amount = *parsed;
        }
        std::optional<analysis::Stage> stage;
        if (const std::string text = cell(row, Field::stage); !text.empty()) {
            stage = parse_stage(text);
            if (!stage) {
                return "unknown stage " + in_quotes(text) + ". " + std::string(kStageForms);
            }
        }
        std::optional<analysis::Date> close;
        if (const std::string text = cell(row, Field::close); !text.empty()) {
            auto parsed = parse_date(text, true);
            if (!parsed) {
                return parsed.error().message;
            }
            close = *parsed;
        }
        std::optional<analysis::Date> created;
        if (const std::string text = cell(row, Field::created); !text.empty()) {
            auto parsed = parse_date(date_part(text), true);
            if (!parsed) {
                return "created date: " + parsed.error().message;
            }
            if (analysis::Instant(std::chrono::sys_days(*parsed)) > now_) {
                return "the created date " + in_quotes(text) +
                       " is in the future. Give the date the opportunity was created.";
            }
            created = *parsed;
        }
        std::optional<CustomerType> type;
        if (const std::string text = cell(row, Field::type); !text.empty()) {
            type = parse_crm_type(text);
            if (!type) {
                return "unknown type " + in_quotes(text) +
                       ". Use new or existing (Salesforce \"New Customer\", \"Existing Customer "
                       "- Upgrade\", \"Renewal\"; HubSpot newbusiness, existingbusiness), or "
                       "leave it empty to go by the customer.";
            }
        }
        std::optional<Id> owner = fixed_owner_;
        if (!owner) {
            const std::string text = cell(row, Field::owner);
            const std::string email = cell(row, Field::owner_email);
            if (!text.empty() || !email.empty()) {
                owner = owner_id(text, email);
            }
        }
        const std::string name = cell(row, Field::name);
        const std::string external_id = cell(row, Field::id);

        storage::Customer& customer = customer_for(customer_name);
        const Id line_id = line_for(product_name);

        if (auto match = find_match(external_id, owner.value_or(options_.default_owner_id),
                                    customer.id, line_id, name)) {
            update(*match, RowValues{owner, customer.id, line_id, name, amount, stage, close,
                                     created, external_id});
        } else {
            const Id owner_id = owner.value_or(options_.default_owner_id);
            if (owner_id == 0) {
                return std::string(
                    "no owner. Add an owner column, or give --owner NAME for every row.");
            }
            Opportunity opp;
            opp.owner_id = owner_id;
            opp.customer_id = customer.id;
            opp.product_line_id = line_id;
            opp.name = name;
            opp.amount = amount.value_or(0);
            opp.stage = stage.value_or(analysis::Stage::prospecting);
            // Without a type the customer decides: already current means existing business.
            opp.customer_type = type.value_or(customer.status == storage::CustomerStatus::current
                                                  ? CustomerType::existing
                                                  : CustomerType::new_customer);
            opp.close_date = close;
            opp.created_at = created ? at_midnight(*created) : now_;
            opp.updated_at = now_;
            if (!analysis::is_open(opp.stage)) {
                opp.closed_at = closed_at(close);
            }
            opp.external_id = external_id;
            touched_.insert(opps_.insert(ws_, opp));
            ++summary_.created;
        }
        if (type == CustomerType::existing || stage == analysis::Stage::won) {
            mark_current(customer);
        }
        return std::nullopt;
    }

    // The CRM id first; else the same owner, customer, line and name. An opportunity already
    // matched by an earlier row is skipped, so two identical rows stay two opportunities.
    std::optional<Opportunity> find_match(const std::string& external_id, Id owner_id,
                                          Id customer_id, Id line_id, const std::string& name) {
        if (!external_id.empty()) {
            // In a workspace that was empty, only an id repeated within this file can match;
            // a hash set of the ids seen spares a query per row. A collision only costs one.
            const bool seen = !ids_seen_.insert(std::hash<std::string>{}(external_id)).second;
            if (had_opportunities_ || seen) {
                if (auto found = opps_.find_by_external_id(ws_, external_id)) {
                    return found;
                }
            }
        }
        if (!had_opportunities_) {
            return std::nullopt;  // everything here was created by this import
        }
        // Filtering by customer alone keeps SQLite on the customer index; with the line and
        // owner too it may pick a far less selective index and scan most of the table.
        storage::OpportunityFilter filter;
        filter.customer_id = customer_id;
        filter.status = storage::OpportunityFilter::Status::all;
        for (Opportunity& o : opps_.list(ws_, filter)) {
            // Another CRM record with the same natural key is a different opportunity.
            const bool other_record = !external_id.empty() && !o.external_id.empty();
            if (o.owner_id == owner_id && o.product_line_id == line_id && !other_record &&
                iequals(o.name, name) && !touched_.contains(o.id)) {
                return std::move(o);
            }
        }
        return std::nullopt;
    }

    // A row's cells as read, for updating a matched opportunity.
    struct RowValues {
        std::optional<Id> owner;
        Id customer_id = 0;
        Id line_id = 0;
        std::string name;
        std::optional<analysis::Money> amount;
        std::optional<analysis::Stage> stage;
        std::optional<analysis::Date> close;
        std::optional<analysis::Date> created;
        std::string external_id;
    };

    // Cells left empty (or columns absent) keep what is stored.
    void update(Opportunity opp, const RowValues& row) {
        const Opportunity before = opp;
        if (row.owner) {
            opp.owner_id = *row.owner;
        }
        opp.customer_id = row.customer_id;
        opp.product_line_id = row.line_id;
        if (!row.name.empty()) {
            opp.name = row.name;
        }
        if (row.amount) {
            opp.amount = *row.amount;
        }
        if (row.close) {
            opp.close_date = row.close;
        }
        if (row.stage && *row.stage != opp.stage) {
            opp.stage = *row.stage;
            opp.closed_at = analysis::is_open(opp.stage)
                                ? std::nullopt
                                : std::optional<analysis::Instant>(closed_at(opp.close_date));
        }
        if (row.created) {
            opp.created_at = at_midnight(*row.created);
        }
        if (!row.external_id.empty() && opp.external_id.empty()) {
            opp.external_id = row.external_id;
        }
        const bool changed =
            opp.owner_id != before.owner_id || opp.customer_id != before.customer_id ||
            opp.product_line_id != before.product_line_id || opp.name != before.name ||
            opp.amount != before.amount || opp.stage != before.stage ||
            opp.close_date != before.close_date || opp.external_id != before.external_id ||
            opp.created_at != before.created_at;
        // An unchanged row keeps its updated_at, so a weekly re-import touches nothing.
        if (changed) {
            opp.updated_at = now_;
            opps_.update(ws_, opp);
        }
        touched_.insert(opp.id);
        ++summary_.updated;
    }

    // A CRM date as an instant: its midnight (UTC), never later than the import itself.
    analysis::Instant at_midnight(analysis::Date date) const {
        return std::min(analysis::Instant(std::chrono::sys_days(date)), now_);
    }

    // When a closed row closed: its close date when the export has one, else now.
    analysis::Instant closed_at(std::optional<analysis::Date> close) const {
        return close ? at_midnight(*close) : now_;
    }

    // The owner of a row. A name is something anyone can put on their chat profile, so a name
    // alone never picks out a person on Slack or Discord: only the e-mail address does (the owner
    // cell or an Owner Email column), or an owner name an admin linked (/funnel-admin user link).
    // Anyone else becomes (or joins) a placeholder rep. The console is exempt: whoever runs it
    // holds the database file, and its people are their names.
    Id owner_id(const std::string& text, const std::string& email_cell) {
        const std::string email =
            !email_cell.empty() ? email_cell : (looks_like_email(text) ? text : std::string());
        const std::string key = to_lower(text) + '\n' + to_lower(email);
        if (auto it = owner_ids_.find(key); it != owner_ids_.end()) {
            return it->second;
        }
        std::optional<storage::User> user = users_.find_by_email(ws_, email);
        if (!user && !text.empty()) user = users_.find_by_imported_name(ws_, text);
        if (!user && console_ && !text.empty()) user = users_.find_by_name(ws_, text);
        if (!user) {
            // Someone the CRM knows but the chat does not (yet): a rep without a platform id.
            storage::User placeholder;
            placeholder.workspace_id = ws_;
            placeholder.name = text.empty() ? email : text;
            placeholder.email = email;
            placeholder.imported_as = looks_like_email(text) ? std::string() : text;
            placeholder.role = storage::Role::rep;
            user = users_.create(placeholder);
            summary_.placeholder_owners.push_back(placeholder.name);
        }
        if (user->platform_user_id.empty() &&
            std::find(summary_.unlinked_owners.begin(), summary_.unlinked_owners.end(),
                      user->name) == summary_.unlinked_owners.end()) {
            summary_.unlinked_owners.push_back(user->name);
        }
        owner_ids_.emplace(key, user->id);
        return user->id;
    }

    storage::Customer& customer_for(const std::string& name) {
        const std::string key = storage::customer_key(name);
        auto it = customer_cache_.find(key);
        if (it == customer_cache_.end()) {
            it = customer_cache_.emplace(key, customers_.find_or_create(ws_, name)).first;
        }
        return it->second;
    }

    Id line_for(const std::string& name) {
        const std::string key = to_lower(name);
        if (auto it = line_ids_.find(key); it != line_ids_.end()) {
            return it->second;
        }
        ProductLine line;
        line.name = name;
        line.active = true;
        const Id id = lines_.create(ws_, line).id;
        line_ids_.emplace(key, id);
        summary_.new_lines.push_back(name);
        return id;
    }

    void mark_current(storage::Customer& customer) {
        if (customer.status == storage::CustomerStatus::current) {
            return;
        }
        customers_.set_status(ws_, customer.id, storage::CustomerStatus::current);
        customer.status = storage::CustomerStatus::current;
        summary_.customers_marked_current.push_back(customer.name);
    }

    storage::UserRepository users_;
    storage::CustomerRepository customers_;
    storage::ProductLineRepository lines_;
    storage::OpportunityRepository opps_;
    Id ws_;
    bool console_;  // the local console workspace: people are their names
    const ImportOptions& options_;
    analysis::Instant now_;

    CsvColumns columns_;
    std::optional<Id> fixed_owner_;
    bool had_opportunities_ = false;                           // before this import
    std::unordered_set<std::size_t> ids_seen_;                 // hashes of this file's CRM ids
    std::map<std::string, Id> owner_ids_;                      // lower-cased cell -> user
    std::map<std::string, storage::Customer> customer_cache_;  // customer_key -> row
    std::map<std::string, Id> line_ids_;                       // lower-cased name -> line
    std::set<Id> touched_;  // opportunities created or matched by this import
    ImportSummary summary_;
};

}  // namespace

Result<ImportSummary> import_csv(storage::Database& db, analysis::Id workspace_id, std::istream& in,
                                 const ImportOptions& options, analysis::Instant now) {
    // IMMEDIATE: take the write lock up front rather than fail half-way on a busy database.
    storage::Transaction tx(db, storage::Transaction::Lock::immediate);
    CsvReader reader(in);
    const auto workspace = storage::WorkspaceRepository(db).get(workspace_id);
    const bool console = workspace && workspace->platform == storage::Platform::console;
    auto result = Importer(db, workspace_id, console, options, now).run(reader);
    if (result) {
        tx.commit();
    }
    // On an error `tx` rolls back as it goes out of scope: nothing of the file is kept.
    return result;
}

}  // namespace funnelbot::commands
