// Small builders for analysis tests: product lines, opportunities and a rep's funnel.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "analysis/balance_check.hpp"

namespace funnelbot::analysis::testing {

using namespace std::chrono_literals;

inline constexpr Date kToday = std::chrono::sys_days{std::chrono::year{2026} / 3 / 13};
// Noon on kToday.
inline constexpr Instant kNow = std::chrono::time_point_cast<std::chrono::seconds>(kToday + 12h);

inline ProductLine make_line(Id id, std::string name, std::string category = "") {
    ProductLine line;
    line.id = id;
    line.name = std::move(name);
    line.category = std::move(category);
    return line;
}

// Builds a rep's funnel one opportunity at a time with distinct ids.
class FunnelBuilder {
public:
    FunnelBuilder() {
        funnel_.clock.now = kNow;
        funnel_.clock.today = kToday;
    }

    FunnelBuilder& line(const ProductLine& line) {
        funnel_.responsible_lines.push_back(line);
        return *this;
    }

    // `n` open opportunities on `line`, each with its own customer "<prefix><i>", the first
    // `new_count` of them with new customers.
    FunnelBuilder& opps(const ProductLine& line, int n, int new_count, Money amount = 1000,
                        const std::string& prefix = "") {
        for (int i = 0; i < n; ++i) {
            add(line, (prefix.empty() ? line.name + " customer " : prefix) + std::to_string(i),
                i < new_count ? CustomerType::new_customer : CustomerType::existing, amount);
        }
        return *this;
    }

    Opportunity& add(const ProductLine& line, const std::string& customer, CustomerType type,
                     Money amount = 1000, Stage stage = Stage::prospecting) {
        Opportunity opp;
        opp.id = next_id_++;
        opp.owner_id = 1;
        opp.customer_id = customer_id(customer);
        opp.customer_name = customer;
        opp.product_line_id = line.id;
        opp.product_line_name = line.name;
        opp.amount = amount;
        opp.stage = stage;
        opp.customer_type = type;
        // Old enough to stay out of the 30-day activity window unless a test moves it.
        opp.created_at = kNow - std::chrono::days{60};
        opp.updated_at = opp.created_at;
        funnel_.opportunities.push_back(opp);
        return funnel_.opportunities.back();
    }

    FunnelBuilder& goals(const Goals& goals) {
        funnel_.goals = goals;
        return *this;
    }

    RepFunnel& funnel() { return funnel_; }
    RepFunnel build() const { return funnel_; }

private:
    Id customer_id(const std::string& name) {
        for (const auto& [known, id] : customers_) {
            if (known == name) {
                return id;
            }
        }
        customers_.emplace_back(name, static_cast<Id>(customers_.size() + 100));
        return customers_.back().second;
    }

    RepFunnel funnel_;
    Id next_id_ = 1;
    std::vector<std::pair<std::string, Id>> customers_;
};

inline std::vector<Opportunity> open_only(const std::vector<Opportunity>& all) {
    std::vector<Opportunity> open;
    for (const Opportunity& opp : all) {
        if (is_open(opp.stage)) {
            open.push_back(opp);
        }
    }
    return open;
}

}  // namespace funnelbot::analysis::testing
