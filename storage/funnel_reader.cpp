#include "storage/funnel_reader.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "storage/check_queries.hpp"
#include "storage/sql_support.hpp"

namespace funnelbot::storage {
namespace {

using analysis::Opportunity;

struct RepCustomer {
    Id id = 0;
    std::string name;
    bool current = false;
    std::vector<Id> bought_lines, open_lines;
};

// `customers` is in id order.
const std::string& name_of(const std::vector<RepCustomer>& customers, Id id) {
    const auto it = std::lower_bound(customers.begin(), customers.end(), id,
                                     [](const RepCustomer& c, Id wanted) { return c.id < wanted; });
    if (it == customers.end() || it->id != id) {
        throw StorageError("funnel read: customer " + std::to_string(id) + " vanished");
    }
    return it->name;
}

}  // namespace

RepFunnelRows FunnelReader::read(Id workspace_id, Id owner_id) {
    return detail::guarded("funnel read", [&] {
        RepFunnelRows rows;
        // The rep's customers, each with its lines if current. Rows are grouped and ordered
        // here: a few dozen customers, where an ORDER BY would sort every (customer, line) row.
        std::vector<RepCustomer> customers;
        std::unordered_map<Id, std::size_t> index_of;
        {
            auto st = detail::cached(db_, detail::kRepCustomers);
            st->bind(1, workspace_id);
            st->bind(2, owner_id);
            while (st->executeStep()) {
                const Id id = st->getColumn(0).getInt64();
                auto [it, fresh] = index_of.try_emplace(id, customers.size());
                if (fresh) {
                    customers.push_back(
                        {id, st->getColumn(1).getString(), st->getColumn(2).getInt() != 0, {}, {}});
                }
                RepCustomer& c = customers[it->second];
                if (!c.current || st->getColumn(3).isNull()) {
                    continue;
                }
                const Id line_id = st->getColumn(3).getInt64();
                if (st->getColumn(4).getInt() != 0) {
                    c.bought_lines.push_back(line_id);
                }
                if (st->getColumn(5).getInt() != 0) {
                    c.open_lines.push_back(line_id);
                }
            }
        }
        for (RepCustomer& c : customers) {
            if (!c.current) {
                continue;
            }
            std::sort(c.bought_lines.begin(), c.bought_lines.end());
            std::sort(c.open_lines.begin(), c.open_lines.end());
            rows.current_accounts.push_back(
                {c.id, c.name, std::move(c.bought_lines), std::move(c.open_lines)});
        }
        std::sort(rows.current_accounts.begin(), rows.current_accounts.end(),
                  [](const analysis::CrossSellAccount& a, const analysis::CrossSellAccount& b) {
                      const int order = detail::compare_nocase(a.name, b.name);
                      return order != 0 ? order < 0 : a.customer_id < b.customer_id;
                  });
        std::sort(customers.begin(), customers.end(),
                  [](const RepCustomer& a, const RepCustomer& b) { return a.id < b.id; });

        // Line names: a workspace has a handful of lines.
        std::vector<std::pair<Id, std::string>> lines;
        {
            auto st = detail::cached(db_, detail::kLineNames);
            st->bind(1, workspace_id);
            while (st->executeStep()) {
                lines.emplace_back(st->getColumn(0).getInt64(), st->getColumn(1).getString());
            }
        }
        const auto line_name = [&](Id id) -> const std::string& {
            const auto it = std::lower_bound(
                lines.begin(), lines.end(), id,
                [](const std::pair<Id, std::string>& l, Id wanted) { return l.first < wanted; });
            if (it == lines.end() || it->first != id) {
                throw StorageError("funnel read: product line " + std::to_string(id) + " vanished");
            }
            return it->second;
        };

        auto st = detail::cached(db_, detail::kRepOpportunities);
        st->bind(1, workspace_id);
        st->bind(2, owner_id);
        while (st->executeStep()) {
            Opportunity& o = rows.opportunities.emplace_back();
            o.id = st->getColumn(0).getInt64();
            o.owner_id = owner_id;
            o.customer_id = st->getColumn(1).getInt64();
            o.customer_name = name_of(customers, o.customer_id);
            o.product_line_id = st->getColumn(2).getInt64();
            o.product_line_name = line_name(o.product_line_id);
            o.name = st->getColumn(3).getString();
            o.amount = st->getColumn(4).getInt64();
            o.stage = detail::stage_from_text(st->getColumn(5).getText());
            o.customer_type = detail::customer_type_from_text(st->getColumn(6).getText());
            o.close_date = detail::optional_date(st->getColumn(7));
            o.created_at = detail::from_unix(st->getColumn(8).getInt64());
            o.updated_at = detail::from_unix(st->getColumn(9).getInt64());
            if (!st->getColumn(10).isNull()) {
                o.closed_at = detail::from_unix(st->getColumn(10).getInt64());
            }
            o.external_id = detail::text_or_empty(st->getColumn(11));
        }
        std::sort(rows.opportunities.begin(), rows.opportunities.end(),
                  [](const Opportunity& a, const Opportunity& b) { return a.id < b.id; });
        return rows;
    });
}

}  // namespace funnelbot::storage
