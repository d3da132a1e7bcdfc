#include "analysis/balance_check.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "analysis/text.hpp"

namespace funnelbot::analysis {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;
constexpr std::size_t kMaxNamed = 3;  // names per sentence before "and N other …"

// "Gadgets, Services and Tools", or "Gadgets, Services, Tools and 2 other lines".
std::string name_some(const std::vector<std::string>& names, std::string_view other_one,
                      std::string_view other_many) {
    if (names.size() <= kMaxNamed) {
        return text::join_and(names);
    }
    std::vector<std::string> shown(names.begin(), names.begin() + kMaxNamed);
    const auto rest = static_cast<std::int64_t>(names.size() - kMaxNamed);
    shown.push_back(text::count_of(rest, other_one, other_many));
    return text::join_and(shown);
}

// The first `most` current customers not offered `line`, in cross-sell's order (only they are
// named).
std::vector<std::string> accounts_missing(const std::vector<CrossSellGap>& gaps,
                                          const std::string& line, std::size_t most) {
    std::vector<std::string> names;
    for (const CrossSellGap& gap : gaps) {
        if (names.size() == most) break;
        if (std::find(gap.lines.begin(), gap.lines.end(), line) != gap.lines.end()) {
            names.push_back(gap.customer_name);
        }
    }
    return names;
}

std::string concentrated_step(const ProductMix& mix) {
    std::vector<std::string> others;
    for (const LineMix& line : lines_to_look_at(mix)) {
        others.push_back(line.name);
    }
    return mix.lines[0].name + " is " + text::percent(mix.top_share) +
           " of your open opportunities (guideline: at most " + std::to_string(mix.max_line_pct) +
           " %). Find opportunities for " + name_some(others, "other line", "other lines") + ".";
}

std::string languishing_step(const LineMix& line, const FunnelReport& report,
                             int languishing_share_pct) {
    const std::string why =
        line.recently_introduced ? " was introduced recently" : " came with an acquisition";
    std::string step = line.name + why;
    if (line.count == 0) {
        step += " and has no opportunities yet: ";
    } else {
        step += " and has only " + text::percent(line.count_share) +
                " of your open opportunities (" + std::to_string(line.count) + " of " +
                std::to_string(line.count_share.whole) + ", below " +
                std::to_string(languishing_share_pct) + " %): ";
    }
    const std::vector<std::string> accounts = accounts_missing(report.cross_sell, line.name, 2);
    if (!accounts.empty()) {
        step += "offer it first to " + text::join_and(accounts) +
                (accounts.size() == 1 ? " (a current customer who has not been offered it)."
                                      : " (current customers who have not been offered it).");
    } else if (line.count == 0) {
        step += "find a first customer for it and log it with /opp add <customer> product:" +
                text::command_word(line.name) + ".";
    } else {
        step += "look for more customers who could use it.";
    }
    return step;
}

std::string too_few_new_step(const CustomerMix& c) {
    const std::int64_t total = c.new_share.whole;
    const std::int64_t low = c.target_pct - c.tolerance_pct;
    std::string step = "Only " + text::percent(c.new_share) +
                       " of your opportunities are with new customers (target " +
                       std::to_string(c.target_pct) + " % ± " + std::to_string(c.tolerance_pct) +
                       "): ";
    if (low < 100) {
        // Smallest n with (new + n) / (total + n) >= low / 100.
        const std::int64_t need =
            100 * c.new_count < low * total
                ? (low * total - 100 * c.new_count + (100 - low) - 1) / (100 - low)
                : 0;
        step += text::count_of(need, "more new-customer opportunity",
                               "more new-customer opportunities") +
                " would bring you to " + text::percent(Share{c.new_count + need, total + need}) +
                ". ";
    }
    step += "Go after new accounts in your territory.";
    return step;
}

std::string too_many_new_step(const CustomerMix& c) {
    const std::int64_t total = c.new_share.whole;
    const std::int64_t high = c.target_pct + c.tolerance_pct;
    std::string step =
        text::percent(c.new_share) + " of your opportunities are with new customers (target " +
        std::to_string(c.target_pct) + " % ± " + std::to_string(c.tolerance_pct) + "): ";
    if (high > 0) {
        // Smallest m with new / (total + m) <= high / 100.
        const std::int64_t excess = 100 * c.new_count - high * total;
        const std::int64_t need = excess > 0 ? (excess + high - 1) / high : 0;
        step += text::count_of(need, "more opportunity", "more opportunities") +
                " with current customers would bring you to " +
                text::percent(Share{c.new_count, total + need}) + ". ";
    }
    step += "Grow the accounts you already serve with upgrades, renewals and more lines.";
    return step;
}

std::string since_last(const NewCustomerActivity& a) {
    if (!a.days_since_last) {
        return "";
    }
    if (*a.days_since_last == 0) {
        return " The last one was added today.";
    }
    return " The last one was " + text::count_of(*a.days_since_last, "day", "days") + " ago.";
}

std::string below_goal_step(const NewCustomerActivity& a) {
    const std::int64_t goal = a.goal_per_month.value_or(0);
    std::string step = "You added " +
                       text::count_of(a.created_last_30_days, "new-customer opportunity",
                                      "new-customer opportunities") +
                       " in the last 30 days (goal: " + std::to_string(goal) + " a month): add " +
                       std::to_string(goal - a.created_last_30_days) + " more to reach it.";
    return step + since_last(a);
}

std::string cross_sell_step(const CrossSellGap& gap, std::int64_t popularity) {
    std::string step = "Offer " + gap.lines.front() + " to " + gap.customer_name;
    if (popularity > 0) {
        step += " (bought by " +
                text::count_of(popularity, "current customer", "current customers") +
                " of your team)";
    }
    return step + ".";
}

std::vector<std::string> next_steps(const FunnelReport& r, const RepFunnel& funnel) {
    std::vector<std::string> steps;
    if (r.empty) {
        steps.push_back(
            "Your funnel has no open opportunities on your product lines yet. Log each one with "
            "/opp add <customer> product:<line> to get your balance check.");
    }
    if (r.mix.concentrated) {
        steps.push_back(concentrated_step(r.mix));
    }
    // Lines with nothing at all first: they need a first customer.
    std::vector<const LineMix*> languishing;
    for (const LineMix& line : r.mix.lines) {
        if (line.languishing) {
            languishing.push_back(&line);
        }
    }
    std::stable_sort(languishing.begin(), languishing.end(),
                     [](const LineMix* a, const LineMix* b) { return a->count < b->count; });
    for (const LineMix* line : languishing) {
        steps.push_back(languishing_step(*line, r, funnel.goals.languishing_share_pct));
    }
    if (r.customers.too_few_new) {
        steps.push_back(too_few_new_step(r.customers));
    }
    if (r.customers.too_many_new) {
        steps.push_back(too_many_new_step(r.customers));
    }
    if (r.activity.below_goal) {
        steps.push_back(below_goal_step(r.activity));
    }

    // The best offer per account, the most popular offers first. A line is found by its name
    // among the rep's handful (the first of a name, as a map of them kept it).
    const auto popularity = [&](const std::string& line) {
        const auto id =
            std::find_if(funnel.responsible_lines.begin(), funnel.responsible_lines.end(),
                         [&](const ProductLine& l) { return l.name == line; });
        if (id == funnel.responsible_lines.end()) {
            return std::int64_t{0};
        }
        const auto it = funnel.cross_sell.line_popularity.find(id->id);
        return it == funnel.cross_sell.line_popularity.end() ? std::int64_t{0} : it->second;
    };
    // Each offer's popularity looked up once, not in every comparison of the sort.
    std::vector<std::pair<std::int64_t, const CrossSellGap*>> offers;
    offers.reserve(r.cross_sell.size());
    for (const CrossSellGap& gap : r.cross_sell) {
        offers.emplace_back(popularity(gap.lines.front()), &gap);
    }
    std::stable_sort(offers.begin(), offers.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < offers.size() && i < kMaxNamed; ++i) {
        steps.push_back(cross_sell_step(*offers[i].second, offers[i].first));
    }

    if (!r.outside_lines.empty()) {
        std::set<std::string> names;
        for (const Opportunity& opp : r.outside_lines) {
            names.insert(opp.product_line_name);
        }
        const auto n = static_cast<std::int64_t>(r.outside_lines.size());
        steps.push_back(
            text::count_of(n, "open opportunity is", "open opportunities are") +
            " on lines you are not responsible for or that are retired (" +
            text::join_and(std::vector<std::string>(names.begin(), names.end())) +
            ") and not counted here: move them with /opp update <id> product:<line>, or close "
            "them.");
    }
    return steps;
}

}  // namespace

NewCustomerActivity new_customer_activity(const std::vector<Opportunity>& all, const Goals& goals,
                                          Instant now) {
    NewCustomerActivity activity;
    activity.goal_per_month = goals.new_opps_per_month;
    const Instant window_start = now - std::chrono::days{30};
    std::optional<Instant> newest;
    for (const Opportunity& opp : all) {
        if (opp.customer_type != CustomerType::new_customer) {
            continue;
        }
        if (opp.created_at > window_start && opp.created_at <= now) {
            ++activity.created_last_30_days;
        }
        if (!newest || opp.created_at > *newest) {
            newest = opp.created_at;
        }
    }
    if (newest) {
        // A creation time ahead of the clock (skew) counts as today.
        const std::int64_t seconds = std::max<std::int64_t>(0, (now - *newest).count());
        activity.days_since_last = static_cast<int>(seconds / kSecondsPerDay);
    }
    activity.below_goal =
        activity.goal_per_month && activity.created_last_30_days < *activity.goal_per_month;
    return activity;
}

FunnelReport check_balance(const RepFunnel& funnel) {
    FunnelReport report;

    // A rep answers for a handful of lines: a sorted vector, not a tree of them.
    std::vector<ProductLine> lines;
    std::vector<Id> responsible;
    for (const ProductLine& line : funnel.responsible_lines) {
        if (!line.active) continue;
        const auto at = std::lower_bound(responsible.begin(), responsible.end(), line.id);
        if (at == responsible.end() || *at != line.id) {
            responsible.insert(at, line.id);
            lines.push_back(line);
        }
    }

    std::vector<Opportunity> open;
    open.reserve(funnel.opportunities.size());
    for (const Opportunity& opp : funnel.opportunities) {
        if (!is_open(opp.stage)) {
            continue;
        }
        if (std::binary_search(responsible.begin(), responsible.end(), opp.product_line_id)) {
            open.push_back(opp);
        } else {
            report.outside_lines.push_back(opp);
        }
    }

    report.empty = open.empty();
    report.mix = product_mix(lines, open, funnel.goals, funnel.clock.today);
    report.customers = customer_mix(open, funnel.goals);
    report.concentration = customer_concentration(open);
    report.cross_sell = cross_sell_gaps(lines, funnel.cross_sell);
    report.current_accounts = static_cast<std::int64_t>(funnel.cross_sell.accounts.size());
    report.activity = new_customer_activity(funnel.opportunities, funnel.goals, funnel.clock.now);

    std::vector<std::int64_t> counts;
    counts.reserve(report.mix.lines.size());
    for (const LineMix& line : report.mix.lines) {
        counts.push_back(line.count);
    }
    report.score = balance_score(counts, report.customers.new_share, funnel.goals);

    if (report.mix.concentrated) {
        report.flags.push_back(Flag::concentrated);
    }
    if (report.customers.too_few_new) {
        report.flags.push_back(Flag::too_few_new);
    }
    if (report.customers.too_many_new) {
        report.flags.push_back(Flag::too_many_new);
    }
    if (!report.mix.languishing_lines.empty()) {
        report.flags.push_back(Flag::languishing_line);
    }
    if (report.activity.below_goal) {
        report.flags.push_back(Flag::below_new_opps_goal);
    }

    report.next_steps = next_steps(report, funnel);
    return report;
}

}  // namespace funnelbot::analysis
