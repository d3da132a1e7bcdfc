#include "storage/funnel_reader.hpp"

#include <algorithm>
#include <string>
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
    std::string covered_lines;  // as stored; parsed for the current ones only
};

// `items` ordered by `less`, each moved once: sorting the items themselves would move each of
// these large structs many times.
template <class T, class Less>
std::vector<T> sorted(std::vector<T> items, Less less) {
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return less(items[a], items[b]); });
    std::vector<T> out;
    out.reserve(items.size());
    for (const std::size_t i : order)
        out.push_back(std::move(items[i]));
    return out;
}

}  // namespace

RepFunnelRows FunnelReader::read(Id workspace_id, Id owner_id) {
    return detail::guarded("funnel read", [&] {
        // The rep's customers, by id.
        std::vector<RepCustomer> customers;
        {
            auto st = detail::raw(db_, detail::kRepCustomers);
            st.bind(1, workspace_id);
            st.bind(2, owner_id);
            while (st.step()) {
                RepCustomer& c = customers.emplace_back();
                c.id = st.int64(0);
                c.name = st.text(1);
                c.current = st.int64(2) != 0;
                if (c.current) c.covered_lines = st.text(3);
            }
        }
        std::sort(customers.begin(), customers.end(),
                  [](const RepCustomer& a, const RepCustomer& b) { return a.id < b.id; });

        // Line names: a workspace has a handful of lines.
        std::vector<std::pair<Id, std::string>> lines;
        {
            auto st = detail::raw(db_, detail::kLineNames);
            st.bind(1, workspace_id);
            while (st.step()) {
                lines.emplace_back(st.int64(0), std::string(st.text(1)));
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

        // The opportunities come in customer order, as the customers are: one walk pairs them.
        std::vector<Opportunity> opportunities;
        {
            auto st = detail::raw(db_, detail::kRepOpportunities);
            st.bind(1, workspace_id);
            st.bind(2, owner_id);
            auto customer = customers.begin();
            while (st.step()) {
                Opportunity& o = opportunities.emplace_back();
                o.id = st.int64(0);
                o.owner_id = owner_id;
                o.customer_id = st.int64(1);
                while (customer != customers.end() && customer->id < o.customer_id)
                    ++customer;
                if (customer == customers.end() || customer->id != o.customer_id) {
                    throw StorageError("funnel read: customer " + std::to_string(o.customer_id) +
                                       " vanished");
                }
                o.customer_name = customer->name;
                o.product_line_id = st.int64(2);
                o.product_line_name = line_name(o.product_line_id);
                o.amount = st.int64(3);
                o.stage = detail::stage_from_text(st.text(4));
                o.customer_type = detail::customer_type_from_text(st.text(5));
                o.created_at = detail::from_unix(st.int64(6));
            }
        }

        RepFunnelRows rows;
        rows.opportunities =
            sorted(std::move(opportunities),
                   [](const Opportunity& a, const Opportunity& b) { return a.id < b.id; });
        std::vector<analysis::CrossSellAccount> accounts;
        for (RepCustomer& c : customers) {
            if (c.current) {
                accounts.push_back(
                    {c.id, std::move(c.name), detail::line_ids_from_text(c.covered_lines, c.id)});
            }
        }
        rows.current_accounts =
            sorted(std::move(accounts),
                   [](const analysis::CrossSellAccount& a, const analysis::CrossSellAccount& b) {
                       const int order = detail::compare_nocase(a.name, b.name);
                       return order != 0 ? order < 0 : a.customer_id < b.customer_id;
                   });
        return rows;
    });
}

}  // namespace funnelbot::storage
