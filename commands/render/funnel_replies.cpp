#include "commands/render/funnel_replies.hpp"

#include <algorithm>
#include <cstdio>

#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

namespace {

std::string pct(const analysis::Share& s) {
    return std::to_string(s.percent()) + " %";
}

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string names_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

std::string fixed_percent(double v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f %%", v * 100.0);
    return buf;
}

std::string pad_right(std::string s, std::size_t width) {
    std::size_t w = static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    if (w < width) s.append(width - w, ' ');
    return s;
}

}  // namespace

std::string_view flag_word(analysis::Flag flag) {
    switch (flag) {
        case analysis::Flag::concentrated:
            return "one line";
        case analysis::Flag::too_few_new:
            return "few new customers";
        case analysis::Flag::too_many_new:
            return "few current customers";
        case analysis::Flag::languishing_line:
            return "languishing line";
        case analysis::Flag::below_new_opps_goal:
            return "below new-opps goal";
    }
    return "flag";
}

Reply funnel_check_reply(const analysis::FunnelReport& report, const analysis::Goals& goals,
                         const std::string& who, bool self, std::string_view currency) {
    Reply reply;
    reply.title = self ? "Your funnel check" : "Funnel check — " + who;
    const std::string your = self ? "your" : who + "'s";
    if (report.empty) {
        reply.summary =
            self ? "Your funnel has no open opportunities yet, so there is nothing to balance."
                 : who + " has no open opportunities yet.";
        reply.next_steps = report.next_steps;
        if (!report.mix.languishing_lines.empty()) {
            reply.warnings.push_back("Lines waiting for their first opportunity: " +
                                     names_list(report.mix.languishing_lines) + ".");
        }
        return reply;
    }
    const auto& mix = report.mix;
    const auto& top = mix.lines.front();
    if (mix.concentrated) {
        reply.verdict = Verdict::attention;
        reply.summary = top.name + " is " + pct(top.count_share) + " of " + your +
                        " open opportunities — above the " + std::to_string(goals.max_line_pct) +
                        " % guideline.";
    } else if (report.flags.empty()) {
        reply.verdict = Verdict::good;
        reply.summary = "Balanced: no line above " + std::to_string(goals.max_line_pct) +
                        " % (top: " + top.name + " " + pct(top.count_share) + "), new customers " +
                        pct(report.customers.new_share) + ".";
    } else {
        reply.verdict = Verdict::attention;
        reply.summary = "No line dominates (top: " + top.name + " " + pct(top.count_share) +
                        "), but the funnel needs attention.";
    }

    Section lines;
    lines.heading = "Product lines — " +
                    plural(mix.open_count, "open opportunity", "open opportunities") + " · " +
                    format_money(mix.open_amount, currency);
    for (const auto& l : mix.lines) {
        std::string label = l.name;
        if (l.recently_introduced)
            label += " (new)";
        else if (l.acquired)
            label += " (acquired)";
        std::string detail = std::to_string(l.count);
        if (l.amount > 0) detail += " · " + format_money(l.amount, currency);
        lines.bars.push_back(BarRow{label, l.count_share.percent(), detail,
                                    mix.concentrated && &l == &mix.lines.front()});
    }
    if (mix.lines.size() >= 2) {
        lines.lines.push_back("Top two lines: " + pct(mix.top_two_share) +
                              " of the opportunities.");
    }
    reply.sections.push_back(std::move(lines));

    Section customers;
    customers.heading = "Customers";
    const auto& cm = report.customers;
    std::string new_value = pct(cm.new_share) + " (" + std::to_string(cm.new_count) + " of " +
                            std::to_string(mix.open_count) + ")";
    if (cm.territory == analysis::Territory::balanced) {
        new_value += " — target " + std::to_string(cm.target_pct) + " % ± " +
                     std::to_string(cm.tolerance_pct) + (cm.out_of_balance ? "  ✗" : "  ✓");
    } else {
        new_value += cm.territory == analysis::Territory::new_customers
                         ? " — new-customer territory"
                         : " — current-customer territory";
    }
    customers.figures.push_back({"New customers", new_value});
    customers.figures.push_back({"Current customers", std::to_string(100 - cm.new_share.percent()) +
                                                          " % (" +
                                                          std::to_string(cm.existing_count) + ")"});
    const auto& conc = report.concentration;
    std::string spread = plural(conc.distinct_customers, "customer", "customers");
    if (conc.distinct_customers > 3) spread += " · top three " + pct(conc.top_three_share);
    customers.figures.push_back({"Spread", spread});
    const auto& act = report.activity;
    std::string recent = std::to_string(act.created_last_30_days) + " in the last 30 days";
    if (act.goal_per_month) recent += " (goal " + std::to_string(*act.goal_per_month) + ")";
    if (act.days_since_last) {
        recent += *act.days_since_last == 0
                      ? std::string(" · last one today")
                      : " · last one " + plural(*act.days_since_last, "day", "days") + " ago";
    }
    customers.figures.push_back({"New-customer opps", recent});
    reply.sections.push_back(std::move(customers));

    if (report.score) {
        Section score;
        score.heading = "Balance score";
        score.figures.push_back({"Score", std::to_string(report.score->value) + " / 100"});
        score.figures.push_back({"Product spread", fixed_percent(report.score->product_spread)});
        score.figures.push_back(
            {"Customer balance", fixed_percent(report.score->customer_balance)});
        reply.sections.push_back(std::move(score));
    }

    if (!report.cross_sell.empty()) {
        Section cross;
        cross.heading = "Current customers to offer more";
        constexpr std::size_t kShown = 5;
        for (std::size_t i = 0; i < report.cross_sell.size() && i < kShown; ++i) {
            const auto& gap = report.cross_sell[i];
            cross.lines.push_back(gap.customer_name + ": " + names_list(gap.lines));
        }
        if (report.cross_sell.size() > kShown) {
            cross.lines.push_back("…and " + std::to_string(report.cross_sell.size() - kShown) +
                                  " more");
        }
        reply.sections.push_back(std::move(cross));
    }

    if (!report.outside_lines.empty()) {
        Section outside;
        outside.heading = "Listed apart (lines outside " + your + " responsibility or retired)";
        for (const auto& o : report.outside_lines) {
            outside.lines.push_back("#" + std::to_string(o.id) + " " + o.customer_name + " — " +
                                    o.product_line_name);
        }
        reply.sections.push_back(std::move(outside));
    }

    for (const auto flag : report.flags) {
        switch (flag) {
            case analysis::Flag::concentrated:
                reply.warnings.push_back(top.name + " holds " + pct(top.count_share) +
                                         " of the opportunities (guideline: at most " +
                                         std::to_string(goals.max_line_pct) + " %).");
                break;
            case analysis::Flag::too_few_new:
                reply.warnings.push_back("New customers are " + pct(cm.new_share) + ", below " +
                                         std::to_string(cm.target_pct - cm.tolerance_pct) + " %.");
                break;
            case analysis::Flag::too_many_new:
                reply.warnings.push_back("New customers are " + pct(cm.new_share) + ", above " +
                                         std::to_string(cm.target_pct + cm.tolerance_pct) +
                                         " %: current customers are being left aside.");
                break;
            case analysis::Flag::languishing_line:
                reply.warnings.push_back("Languishing: " + names_list(mix.languishing_lines) + ".");
                break;
            case analysis::Flag::below_new_opps_goal:
                reply.warnings.push_back("Below the goal of " +
                                         std::to_string(act.goal_per_month.value_or(0)) +
                                         " new-customer opportunities a month.");
                break;
        }
    }
    reply.next_steps = report.next_steps;
    return reply;
}

Reply weekend_review_reply(const analysis::WeekendReview& review, const std::string& who,
                           bool self) {
    Reply reply;
    reply.title = self ? "Your weekend funnel review" : "Weekend funnel review — " + who;
    reply.summary = review.empty ? "Nothing to review yet: the funnel is empty."
                                 : "Five questions for the weekend, answered from " +
                                       std::string(self ? "your" : who + "'s") + " funnel.";
    reply.verdict = review.empty ? Verdict::info : Verdict::good;
    int n = 1;
    for (const auto& qa : review.answers) {
        Section s;
        s.heading = std::to_string(n++) + ". " + qa.question;
        s.lines.push_back(qa.answer);
        reply.sections.push_back(std::move(s));
    }
    if (!review.next_step.empty()) reply.next_steps.push_back(review.next_step);
    return reply;
}

Reply team_summary_reply(const analysis::TeamSummary& summary, std::string_view currency) {
    Reply reply;
    reply.title = "Team summary — " + summary.team_name;
    reply.summary = plural(static_cast<std::int64_t>(summary.rows.size()), "rep", "reps") + " · " +
                    plural(summary.open_count, "open opportunity", "open opportunities") + " · " +
                    format_money(summary.pipeline, currency) + " pipeline · won " +
                    format_money(summary.won_this_quarter, currency) + " this quarter";
    if (!summary.reps_to_coach.empty()) {
        reply.summary += " · " + std::to_string(summary.reps_to_coach.size()) + " to coach";
    }
    reply.verdict = summary.reps_to_coach.empty() ? Verdict::good : Verdict::attention;

    Section table;
    table.heading = "Reps";
    table.preformatted = true;
    std::size_t name_w = 4;
    for (const auto& r : summary.rows) {
        name_w = std::max(
            name_w, static_cast<std::size_t>(std::count_if(
                        r.name.begin(), r.name.end(), [](char c) { return (c & 0xC0) != 0x80; })));
    }
    name_w = std::min<std::size_t>(name_w, 24);
    table.lines.push_back(pad_right("Rep", name_w) +
                          "  Open  Pipeline      Top line           New   Score  Won / quota");
    for (const auto& r : summary.rows) {
        std::string top = r.top_line.empty() ? "—" : r.top_line + " " + pct(r.top_share);
        std::string won = format_money(r.won_this_quarter, currency);
        if (r.quota) won += " / " + format_money(*r.quota, currency);
        std::string row =
            pad_right(r.name, name_w) + "  " + pad_right(std::to_string(r.open_count), 4) + "  " +
            pad_right(format_money(r.pipeline, currency), 12) + "  " + pad_right(top, 17) + "  " +
            pad_right(r.open_count ? pct(r.new_share) : "—", 4) + "  " +
            pad_right(r.score ? std::to_string(*r.score) : "—", 5) + "  " + won;
        std::string flags;
        for (const auto f : r.flags)
            flags += (flags.empty() ? "" : ", ") + std::string(flag_word(f));
        if (r.below_quota) flags += (flags.empty() ? "" : ", ") + std::string("below quota");
        if (!flags.empty()) row += "  ⚠ " + flags;
        table.lines.push_back(std::move(row));
    }
    if (summary.rows.empty()) table.lines.push_back("No reps in this team yet.");
    reply.sections.push_back(std::move(table));

    auto mix_section = [&](const char* heading, const std::vector<analysis::MixRow>& rows) {
        Section s;
        s.heading = heading;
        for (const auto& m : rows) {
            std::string detail = std::to_string(m.count);
            if (m.amount > 0) detail += " · " + format_money(m.amount, currency);
            s.bars.push_back(BarRow{m.name, m.share.percent(), detail, false});
        }
        return s;
    };
    if (summary.open_count > 0) {
        reply.sections.push_back(mix_section("Team mix by line", summary.by_line));
        if (summary.by_category.size() > 1) {
            reply.sections.push_back(mix_section("Team mix by category", summary.by_category));
        }
    }
    if (!summary.languishing_lines.empty()) {
        reply.warnings.push_back(
            "Languishing across the team: " + names_list(summary.languishing_lines) + ".");
    }
    if (!summary.reps_to_coach.empty()) {
        reply.next_steps.push_back("Coach " + names_list(summary.reps_to_coach) +
                                   ": /funnel-check @rep shows each one's figures and next steps.");
    }
    return reply;
}

}  // namespace funnelbot::commands
