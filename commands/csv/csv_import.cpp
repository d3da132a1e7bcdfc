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
#include "commands/csv/import_owners.hpp"
#include "commands/csv/import_steps.hpp"
#include "commands/grammar/value_parsers.hpp"
#include "storage/customer_key.hpp"
#include "storage/customer_repository.hpp"
#include "storage/import_journal.hpp"
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

constexpr std::string_view kNoOwner =
    "no owner. Add an owner column, or give --owner NAME for every row.";

std::string in_quotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// One pass over the file: the repositories, the caches and the summary being built. The check
// pass (no `steps`) reads and checks every row and writes nothing; the write pass writes them in
// `steps`.
class Importer {
public:
    Importer(storage::Database& db, Id workspace_id, bool console, const ImportOptions& options,
             analysis::Instant now, ImportSteps* steps)
        : owners_(db, workspace_id, console, summary_),
          customers_(db),
          lines_(db),
          opps_(db),
          ws_(workspace_id),
          options_(options),
          now_(now),
          steps_(steps) {}

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
            auto owner = owners_.named(*options_.owner);
            if (!owner) {
                return owner.error();
            }
            fixed_owner_ = *owner;
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
                owner = owners_.owner_of(text, email);
            }
        }
        const std::string name = cell(row, Field::name);
        const std::string external_id = cell(row, Field::id);
        if (steps_ == nullptr) {
            return check_owner(owner.has_value(), external_id);
        }

        storage::Customer& customer = customer_for(customer_name);
        const Id line_id = line_for(product_name);

        if (auto match = find_match(external_id, owner.value_or(options_.default_owner_id),
                                    customer.id, line_id, name)) {
            update(*match, RowValues{owner, customer.id, line_id, name, amount, stage, close,
                                     created, external_id});
        } else {
            const Id owner_id = owner.value_or(options_.default_owner_id);
            if (owner_id == 0) {
                return std::string(kNoOwner);
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
            keep_status_if_won(opp);
            touch(opps_.insert(ws_, opp));
            ++summary_.created;
        }
        if (type == CustomerType::existing || stage == analysis::Stage::won) {
            mark_current(customer);
        }
        steps_->row_done();
        return std::nullopt;
    }

    // The check pass's part of the owner rule: a row without an owner (and no default) must
    // update an opportunity it matches by CRM id, stored or created by an earlier row.
    std::optional<std::string> check_owner(bool has_owner, const std::string& external_id) {
        if (has_owner || options_.default_owner_id != 0) return std::nullopt;
        const bool known =
            !external_id.empty() && (!ids_checked_.insert(external_id).second ||
                                     opps_.find_by_external_id(ws_, external_id).has_value());
        if (known) return std::nullopt;
        return std::string(kNoOwner);
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

    // Only the natural-key match reads the set, and only in a workspace that had opportunities
    // before: a first import keeps none (at 100,000 rows the set held 4 MiB, most of its peak).
    void touch(Id opportunity_id) {
        if (had_opportunities_) touched_.insert(opportunity_id);
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
            steps_->journal().keep_opportunity(steps_->run(), opp.id);
            keep_status_if_won(opp);
            opps_.update(ws_, opp);
        }
        touch(opp.id);
        ++summary_.updated;
    }

    // Storage makes the customer of a won opportunity current: the journal keeps its status first.
    void keep_status_if_won(const Opportunity& opp) {
        if (opp.stage == analysis::Stage::won) {
            steps_->journal().keep_customer_status(steps_->run(), opp.customer_id);
        }
    }

    // A CRM date as an instant: its midnight (UTC), never later than the import itself.
    analysis::Instant at_midnight(analysis::Date date) const {
        return std::min(analysis::Instant(std::chrono::sys_days(date)), now_);
    }

    // When a closed row closed: its close date when the export has one, else now.
    analysis::Instant closed_at(std::optional<analysis::Date> close) const {
        return close ? at_midnight(*close) : now_;
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
        steps_->journal().keep_customer_status(steps_->run(), customer.id);
        customers_.set_status(ws_, customer.id, storage::CustomerStatus::current);
        customer.status = storage::CustomerStatus::current;
        summary_.customers_marked_current.push_back(customer.name);
    }

    ImportSummary summary_;  // before owners_, which keeps a reference to it
    ImportOwners owners_;
    storage::CustomerRepository customers_;
    storage::ProductLineRepository lines_;
    storage::OpportunityRepository opps_;
    Id ws_;
    const ImportOptions& options_;
    analysis::Instant now_;
    ImportSteps* steps_;  // null in the check pass

    CsvColumns columns_;
    std::optional<Id> fixed_owner_;
    bool had_opportunities_ = false;               // before this import
    std::unordered_set<std::size_t> ids_seen_;     // hashes of this file's CRM ids
    std::unordered_set<std::string> ids_checked_;  // check pass: CRM ids of owner-less rows' file
    std::map<std::string, storage::Customer> customer_cache_;  // customer_key -> row
    std::map<std::string, Id> line_ids_;                       // lower-cased name -> line
    std::set<Id> touched_;  // opportunities created or matched by this import (see touch())
};

}  // namespace

Result<ImportSummary> import_csv(storage::Database& db, analysis::Id workspace_id, std::istream& in,
                                 const ImportOptions& options, analysis::Instant now,
                                 ImportPacing pacing) {
    auto lock = storage::ImportLock::try_acquire(db.path());
    if (!lock) {
        return UserError{
            "Another import into this database is running. Nothing was written; run this one "
            "again when it has finished."};
    }
    const auto workspace = storage::WorkspaceRepository(db).get(workspace_id);
    const bool console = workspace && workspace->platform == storage::Platform::console;
    const auto start = in.tellg();
    if (start < 0) {
        return UserError{"The CSV file cannot be read twice (is it a pipe?). Give a file."};
    }
    // Check every row first, without the write lock (one read snapshot): a bad row stops the
    // import before anything is written.
    {
        storage::Transaction snapshot(db, storage::Transaction::Lock::deferred);
        CsvReader reader(in);
        auto checked = Importer(db, workspace_id, console, options, now, nullptr).run(reader);
        if (!checked) return checked.error();
    }
    in.clear();
    in.seekg(start);
    // Then write in steps. Should a row fail now after all (the workspace changed between the
    // passes), `steps` undoes what was written.
    ImportSteps steps(db, std::move(*lock), workspace_id, now, pacing);
    CsvReader reader(in);
    auto result = Importer(db, workspace_id, console, options, now, &steps).run(reader);
    if (result) steps.finish();
    return result;
}

}  // namespace funnelbot::commands
