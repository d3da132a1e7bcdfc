#include "commands/grammar/command_parser.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <span>

#include "commands/command_catalog.hpp"
#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

namespace {

UserError wrong(std::string what, std::string_view path) {
    return UserError{std::move(what) + "\nUsage: " + std::string(usage_of(path))};
}

std::string join_words(std::span<const Arg> words) {
    std::string out;
    for (const auto& w : words) {
        if (!out.empty()) out += ' ';
        out += w.text;
    }
    return out;
}

bool is_word(const Arg& a, std::string_view w) {
    return a.kind == Arg::Kind::word && !a.quoted && iequals(a.text, w);
}

std::string describe(const Arg& a) {
    switch (a.kind) {
        case Arg::Kind::option:
            return "\"" + a.key + ":" + a.text + "\"";
        case Arg::Kind::mention:
            return "\"" + a.text + "\"";
        case Arg::Kind::word:
            break;
    }
    return "\"" + a.text + "\"";
}

Result<std::string> checked_name(std::string name, std::string_view what, std::string_view path) {
    if (name.empty()) return wrong("Missing " + std::string(what) + ".", path);
    if (name.size() > kMaxNameLength) {
        return wrong("The " + std::string(what) + " is " + std::to_string(name.size()) +
                         " characters long; the limit is " + std::to_string(kMaxNameLength) + ".",
                     path);
    }
    return name;
}

// The leading words (the name) up to the first option; after it only `bare` words may appear.
struct NameAndRest {
    std::string name;
    std::vector<Arg> options;
    std::vector<std::string> bare;  // lower-cased bare words seen after the first option
};

Result<NameAndRest> split_name(std::span<const Arg> args,
                               std::initializer_list<std::string_view> bare,
                               std::string_view path) {
    NameAndRest out;
    std::size_t i = 0;
    std::vector<Arg> name_words;
    for (; i < args.size() && args[i].kind == Arg::Kind::word; ++i)
        name_words.push_back(args[i]);
    if (i < args.size() && args[i].kind == Arg::Kind::mention) {
        return wrong("A mention (" + args[i].text + ") cannot be part of a name; use owner:@rep.",
                     path);
    }
    out.name = join_words(name_words);
    for (; i < args.size(); ++i) {
        const Arg& a = args[i];
        if (a.kind == Arg::Kind::option) {
            out.options.push_back(a);
            continue;
        }
        const bool ok =
            a.kind == Arg::Kind::word && !a.quoted &&
            std::any_of(bare.begin(), bare.end(), [&](auto b) { return iequals(b, a.text); });
        if (!ok) {
            std::string allowed;
            for (auto b : bare)
                allowed += (allowed.empty() ? "" : ", ") + std::string(b);
            return wrong("Unexpected " + describe(a) + " after the options." +
                             (allowed.empty() ? std::string(" Put the name first.")
                                              : " Only " + allowed +
                                                    " may follow the options; put the name first."),
                         path);
        }
        out.bare.push_back(to_lower(a.text));
    }
    return out;
}

UserError unknown_option(const Arg& a, std::string_view path) {
    return wrong("Unknown option \"" + a.key + "\".", path);
}

UserError duplicate_option(const Arg& a, std::string_view path) {
    return wrong("The option \"" + a.key + "\" is given twice.", path);
}

Result<Stage> stage_value(const Arg& a, std::string_view path) {
    if (auto s = parse_stage(a.text)) return *s;
    return wrong("Unknown stage \"" + a.text +
                     "\". Stages: prospecting, qualification, proposal, negotiation, won, lost.",
                 path);
}

Result<Id> id_value(const Arg& a, std::string_view path) {
    std::string_view t = a.text;
    if (!t.empty() && t.front() == '#') t.remove_prefix(1);
    Id id = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (ec != std::errc() || p != t.data() + t.size() || id <= 0) {
        return wrong(
            "\"" + a.text + "\" is not an opportunity id; ids are the numbers /opp list shows.",
            path);
    }
    return id;
}

UserRef mention_of_option(const Arg& a) {
    if (a.value_is_mention) return a.mention;
    // owner:bob is accepted like owner:@bob.
    return UserRef{"", a.text};
}

std::optional<UserRef> as_user_ref(const Arg& a) {
    if (a.kind == Arg::Kind::mention) return a.mention;
    return std::nullopt;
}

template <class T>
Result<Command> lift(Result<T> r) {
    if (!r) return r.error();
    return Command{std::move(r.value())};
}

// --- /opp ------------------------------------------------------------------------------

Result<OppAdd> parse_opp_add(std::span<const Arg> args) {
    constexpr std::string_view path = "opp add";
    auto split = split_name(args, {"new", "existing"}, path);
    if (!split) return split.error();
    OppAdd cmd;
    if (split->name.empty()) {
        return wrong(
            "Missing customer: write the customer's name first, e.g. /opp add Acme Corp "
            "product:Widgets.",
            path);
    }
    auto customer = checked_name(split->name, "customer name", path);
    if (!customer) return customer.error();
    cmd.customer = std::move(*customer);
    for (const auto& b : split->bare) {
        const auto t = b == "new" ? CustomerType::new_customer : CustomerType::existing;
        if (cmd.type && *cmd.type != t)
            return wrong("Choose one of new or existing, not both.", path);
        cmd.type = t;
    }
    bool seen_product = false, seen_amount = false, seen_stage = false, seen_close = false,
         seen_owner = false, seen_type = false;
    for (const auto& o : split->options) {
        auto once = [&](bool& seen) {
            const bool dup = seen;
            seen = true;
            return dup;
        };
        if (o.key == "product") {
            if (once(seen_product)) return duplicate_option(o, path);
            auto n = checked_name(o.text, "product line", path);
            if (!n) return n.error();
            cmd.product = *n;
        } else if (o.key == "amount") {
            if (once(seen_amount)) return duplicate_option(o, path);
            auto m = parse_money(o.text);
            if (!m) return wrong(m.error().message, path);
            cmd.amount = *m;
        } else if (o.key == "stage") {
            if (once(seen_stage)) return duplicate_option(o, path);
            auto s = stage_value(o, path);
            if (!s) return s.error();
            cmd.stage = *s;
        } else if (o.key == "close") {
            if (once(seen_close)) return duplicate_option(o, path);
            auto d = parse_date(o.text);
            if (!d) return wrong(d.error().message, path);
            cmd.close = *d;
        } else if (o.key == "owner") {
            if (once(seen_owner)) return duplicate_option(o, path);
            cmd.owner = mention_of_option(o);
        } else if (o.key == "type") {
            if (once(seen_type)) return duplicate_option(o, path);
            CustomerType t;
            if (iequals(o.text, "new")) {
                t = CustomerType::new_customer;
            } else if (iequals(o.text, "existing")) {
                t = CustomerType::existing;
            } else {
                return wrong("type must be new or existing, not \"" + o.text + "\".", path);
            }
            if (cmd.type && *cmd.type != t)
                return wrong("Choose one of new or existing, not both.", path);
            cmd.type = t;
        } else {
            return unknown_option(o, path);
        }
    }
    if (cmd.product.empty()) return wrong("Missing product:<line>.", path);
    return cmd;
}

Result<OppList> parse_opp_list(std::span<const Arg> args) {
    constexpr std::string_view path = "opp list";
    OppList cmd;
    bool seen_status = false;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention) {
            if (cmd.rep) return wrong("Name one rep at a time.", path);
            cmd.rep = a.mention;
        } else if (a.kind == Arg::Kind::option) {
            if (a.key == "product" && !cmd.product) {
                cmd.product = a.text;
            } else if (a.key == "customer" && !cmd.customer) {
                cmd.customer = a.text;
            } else if (a.key == "status" && !seen_status) {
                seen_status = true;
                if (iequals(a.text, "open"))
                    cmd.status = OppStatus::open;
                else if (iequals(a.text, "won"))
                    cmd.status = OppStatus::won;
                else if (iequals(a.text, "lost"))
                    cmd.status = OppStatus::lost;
                else if (iequals(a.text, "all"))
                    cmd.status = OppStatus::all;
                else
                    return wrong("status must be open, won, lost or all.", path);
            } else if (a.key == "product" || a.key == "customer" || a.key == "status") {
                return duplicate_option(a, path);
            } else {
                return unknown_option(a, path);
            }
        } else if (!seen_status && (is_word(a, "open") || is_word(a, "won") || is_word(a, "lost") ||
                                    is_word(a, "all"))) {
            seen_status = true;
            const auto w = to_lower(a.text);
            cmd.status = w == "open"   ? OppStatus::open
                         : w == "won"  ? OppStatus::won
                         : w == "lost" ? OppStatus::lost
                                       : OppStatus::all;
        } else {
            return wrong("Unexpected " + describe(a) + ".", path);
        }
    }
    return cmd;
}

Result<OppUpdate> parse_opp_update(std::span<const Arg> args) {
    constexpr std::string_view path = "opp update";
    if (args.empty() || args[0].kind != Arg::Kind::word)
        return wrong("Missing the opportunity id.", path);
    auto id = id_value(args[0], path);
    if (!id) return id.error();
    OppUpdate cmd;
    cmd.id = *id;
    bool any = false;
    for (const auto& a : args.subspan(1)) {
        if (a.kind != Arg::Kind::option) return wrong("Unexpected " + describe(a) + ".", path);
        any = true;
        if (a.key == "stage") {
            if (cmd.stage) return duplicate_option(a, path);
            auto s = stage_value(a, path);
            if (!s) return s.error();
            cmd.stage = *s;
        } else if (a.key == "amount") {
            if (cmd.amount) return duplicate_option(a, path);
            auto m = parse_money(a.text);
            if (!m) return wrong(m.error().message, path);
            cmd.amount = *m;
        } else if (a.key == "close") {
            if (cmd.close) return duplicate_option(a, path);
            auto d = parse_date(a.text);
            if (!d) return wrong(d.error().message, path);
            cmd.close = *d;
        } else if (a.key == "product") {
            if (cmd.product) return duplicate_option(a, path);
            auto n = checked_name(a.text, "product line", path);
            if (!n) return n.error();
            cmd.product = *n;
        } else {
            return unknown_option(a, path);
        }
    }
    if (!any)
        return wrong("Nothing to change: give at least one of stage, amount, close, product.",
                     path);
    return cmd;
}

Result<OppClose> parse_opp_close(std::span<const Arg> args, OppClose::Action action,
                                 std::string_view path) {
    if (args.empty()) return wrong("Missing the opportunity id.", path);
    if (args.size() > 1) return wrong("Give exactly one opportunity id.", path);
    if (args[0].kind != Arg::Kind::word)
        return wrong("Unexpected " + describe(args[0]) + ".", path);
    auto id = id_value(args[0], path);
    if (!id) return id.error();
    return OppClose{*id, action};
}

Result<Command> parse_opp(std::span<const Arg> args) {
    if (args.empty() || args[0].kind != Arg::Kind::word) {
        return UserError{"Which /opp command? One of:\n" + usages_under("opp")};
    }
    const std::string sub = to_lower(args[0].text);
    const auto rest = args.subspan(1);
    if (sub == "add") return lift(parse_opp_add(rest));
    if (sub == "list") return lift(parse_opp_list(rest));
    if (sub == "update") return lift(parse_opp_update(rest));
    if (sub == "won") return lift(parse_opp_close(rest, OppClose::Action::won, "opp won"));
    if (sub == "lost") return lift(parse_opp_close(rest, OppClose::Action::lost, "opp lost"));
    if (sub == "remove") return lift(parse_opp_close(rest, OppClose::Action::remove, "opp remove"));
    std::string msg = "Unknown /opp command \"" + args[0].text + "\".";
    if (auto g = did_you_mean(args[0].text, {"add", "list", "update", "won", "lost", "remove"})) {
        msg += " Did you mean \"" + *g + "\"?";
    }
    return UserError{msg + " One of:\n" + usages_under("opp")};
}

// --- /funnel-check, /funnel-review, /team-summary --------------------------------------

Result<Command> parse_funnel_check(std::span<const Arg> args) {
    FunnelCheck cmd;
    for (const auto& a : args) {
        if (a.kind != Arg::Kind::mention || cmd.rep) {
            return wrong("Unexpected " + describe(a) + ". Name at most one rep, as a mention.",
                         "funnel-check");
        }
        cmd.rep = a.mention;
    }
    return Command{cmd};
}

Result<Command> parse_funnel_review(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-review";
    FunnelReview cmd;
    if (!args.empty() && is_word(args[0], "reminders")) {
        if (args.size() != 2 || !(is_word(args[1], "on") || is_word(args[1], "off"))) {
            return wrong("Say reminders on or reminders off.", path);
        }
        cmd.reminders = is_word(args[1], "on");
        return Command{cmd};
    }
    for (const auto& a : args) {
        if (a.kind != Arg::Kind::mention || cmd.rep) {
            return wrong("Unexpected " + describe(a) + ". Name at most one rep, as a mention.",
                         path);
        }
        cmd.rep = a.mention;
    }
    return Command{cmd};
}

Result<Command> parse_team_summary(std::span<const Arg> args) {
    TeamSummaryRequest cmd;
    if (!args.empty()) {
        for (const auto& a : args) {
            if (a.kind == Arg::Kind::option && a.key == "team" && args.size() == 1) {
                cmd.team = a.text;
                return Command{cmd};
            }
            if (a.kind != Arg::Kind::word) {
                return wrong("Unexpected " + describe(a) + ". Give a team name or nothing.",
                             "team-summary");
            }
        }
        auto n = checked_name(join_words(args), "team name", "team-summary");
        if (!n) return n.error();
        cmd.team = *n;
    }
    return Command{cmd};
}

// --- /funnel-admin ---------------------------------------------------------------------

Result<Command> parse_product(std::span<const Arg> args) {
    if (args.empty() || args[0].kind != Arg::Kind::word) {
        return UserError{"Which product command? One of:\n" + usages_under("funnel-admin product")};
    }
    const std::string sub = to_lower(args[0].text);
    const auto rest = args.subspan(1);
    if (sub == "list") {
        if (!rest.empty())
            return wrong("product list takes no arguments.", "funnel-admin product list");
        return Command{ProductList{}};
    }
    if (sub == "retire") {
        constexpr std::string_view path = "funnel-admin product retire";
        for (const auto& a : rest) {
            if (a.kind != Arg::Kind::word) return wrong("Unexpected " + describe(a) + ".", path);
        }
        auto n = checked_name(join_words(rest), "product line name", path);
        if (!n) return n.error();
        return Command{ProductRetire{*n}};
    }
    if (sub == "add") {
        constexpr std::string_view path = "funnel-admin product add";
        auto split = split_name(rest, {"new", "acquired"}, path);
        if (!split) return split.error();
        auto n = checked_name(split->name, "product line name", path);
        if (!n) return n.error();
        ProductAdd cmd;
        cmd.name = *n;
        for (const auto& b : split->bare) {
            if (b == "new") cmd.is_new = true;
            if (b == "acquired") cmd.acquired = true;
        }
        for (const auto& o : split->options) {
            if (o.key == "category") {
                auto c = checked_name(o.text, "category", path);
                if (!c) return c.error();
                cmd.category = *c;
            } else if (o.key == "since") {
                auto d = parse_date(o.text);
                if (!d) return wrong(d.error().message, path);
                cmd.since = *d;
            } else {
                return unknown_option(o, path);
            }
        }
        return Command{cmd};
    }
    std::string msg = "Unknown product command \"" + args[0].text + "\".";
    return UserError{msg + " One of:\n" + usages_under("funnel-admin product")};
}

// `@rep` or `team:<name>` as the target of lines/goals.
struct Target {
    std::optional<UserRef> rep;
    std::optional<std::string> team;
};

Result<Command> parse_lines(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin lines";
    LinesAssign cmd;
    std::vector<Arg> rest;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention && !cmd.rep && !cmd.team) {
            cmd.rep = a.mention;
        } else if (a.kind == Arg::Kind::option && a.key == "team" && !cmd.rep && !cmd.team) {
            cmd.team = a.text;
        } else if (a.kind == Arg::Kind::word) {
            rest.push_back(a);
        } else {
            return wrong("Unexpected " + describe(a) + ".", path);
        }
    }
    if (!cmd.rep && !cmd.team) return wrong("Name a rep (@rep) or a team (team:<name>).", path);
    if (rest.empty()) return wrong("Name the lines, comma-separated, or all.", path);
    if (rest.size() == 1 && is_word(rest[0], "all")) {
        cmd.all = true;
        return Command{cmd};
    }
    std::string joined = join_words(rest);
    std::size_t start = 0;
    while (start <= joined.size()) {
        auto comma = joined.find(',', start);
        if (comma == std::string::npos) comma = joined.size();
        std::string item = joined.substr(start, comma - start);
        const auto b = item.find_first_not_of(' ');
        const auto e = item.find_last_not_of(' ');
        item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
        if (item.empty()) return wrong("An empty line name in \"" + joined + "\".", path);
        auto n = checked_name(item, "product line name", path);
        if (!n) return n.error();
        cmd.lines.push_back(*n);
        start = comma + 1;
    }
    return Command{cmd};
}

Result<Command> parse_customer(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin customer";
    if (args.empty()) return wrong("Missing the customer's name.", path);
    const Arg& last = args.back();
    if (!(is_word(last, "current") || is_word(last, "prospect"))) {
        return wrong("End with current or prospect.", path);
    }
    for (const auto& a : args.first(args.size() - 1)) {
        if (a.kind != Arg::Kind::word) return wrong("Unexpected " + describe(a) + ".", path);
    }
    auto n = checked_name(join_words(args.first(args.size() - 1)), "customer name", path);
    if (!n) return n.error();
    return Command{CustomerMark{*n, is_word(last, "current") ? storage::CustomerStatus::current
                                                             : storage::CustomerStatus::prospect}};
}

Result<Command> parse_team(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin team";
    // team <name…> manager:@m | team <name…> add @rep | team <name…> remove @rep
    std::vector<Arg> name_words;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        if (args[i].kind != Arg::Kind::word) break;
        if (is_word(args[i], "add") || is_word(args[i], "remove")) break;
        name_words.push_back(args[i]);
    }
    auto name = checked_name(join_words(name_words), "team name", path);
    if (!name) return name.error();
    const auto rest = args.subspan(i);
    if (rest.size() == 1 && rest[0].kind == Arg::Kind::option && rest[0].key == "manager") {
        return Command{TeamManagerSet{*name, mention_of_option(rest[0])}};
    }
    if (rest.size() == 2 && (is_word(rest[0], "add") || is_word(rest[0], "remove"))) {
        auto who = as_user_ref(rest[1]);
        if (!who) return wrong("Name the rep as a mention (@rep).", path);
        return Command{TeamMember{*name, *who, is_word(rest[0], "add")}};
    }
    return wrong("Say what to do with team \"" + *name + "\".", path);
}

Result<Command> parse_role(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin role";
    if (args.size() != 2 || args[0].kind != Arg::Kind::mention || args[1].kind != Arg::Kind::word) {
        return wrong("Name one user and one role.", path);
    }
    RoleSet cmd{args[0].mention, storage::Role::rep};
    const auto role = to_lower(args[1].text);
    if (role == "manager")
        cmd.role = storage::Role::manager;
    else if (role == "rep")
        cmd.role = storage::Role::rep;
    else if (role == "admin")
        cmd.role = storage::Role::admin;
    else
        return wrong("Unknown role \"" + args[1].text + "\": manager, rep or admin.", path);
    return Command{cmd};
}

Result<Command> parse_user(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin user";
    if (args.size() < 2 || args.size() > 3 || args[0].kind != Arg::Kind::mention ||
        !is_word(args[1], "left")) {
        return wrong("Say user @rep left, optionally with reassign:@other.", path);
    }
    UserLeft cmd{args[0].mention, std::nullopt};
    if (args.size() == 3) {
        if (args[2].kind != Arg::Kind::option || args[2].key != "reassign") {
            return wrong("Unexpected " + describe(args[2]) + ".", path);
        }
        cmd.reassign = mention_of_option(args[2]);
    }
    return Command{cmd};
}

Result<int> bounded_int(const Arg& a, int lo, int hi, std::string_view suffix,
                        std::string_view path) {
    std::string_view t = a.text;
    if (!suffix.empty() && t.size() > suffix.size() &&
        iequals(t.substr(t.size() - suffix.size()), suffix)) {
        t.remove_suffix(suffix.size());
    }
    if (!t.empty() && t.back() == '%') t.remove_suffix(1);
    int v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size() || v < lo || v > hi) {
        return wrong(a.key + " must be a whole number from " + std::to_string(lo) + " to " +
                         std::to_string(hi) + ", not \"" + a.text + "\".",
                     path);
    }
    return v;
}

Result<Command> parse_goals(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin goals";
    GoalsSet cmd;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::mention) {
            if (cmd.rep || cmd.team) return wrong("Name one rep or one team.", path);
            cmd.rep = a.mention;
            continue;
        }
        if (a.kind != Arg::Kind::option) return wrong("Unexpected " + describe(a) + ".", path);
        auto& s = cmd.settings;
        auto set_int = [&](std::optional<int>& field, int lo, int hi,
                           std::string_view suffix) -> std::optional<UserError> {
            if (field) return duplicate_option(a, path);
            auto v = bounded_int(a, lo, hi, suffix, path);
            if (!v) return v.error();
            field = *v;
            return std::nullopt;
        };
        std::optional<UserError> err;
        if (a.key == "team") {
            if (cmd.rep || cmd.team) return wrong("Name one rep or one team.", path);
            cmd.team = a.text;
        } else if (a.key == "max-line") {
            err = set_int(s.max_line_pct, 1, 100, "");
        } else if (a.key == "new-share") {
            err = set_int(s.new_share_pct, 0, 100, "");
        } else if (a.key == "tolerance") {
            err = set_int(s.tolerance_pct, 0, 50, "");
        } else if (a.key == "new-opps") {
            err = set_int(s.new_opps_per_month, 0, 10000, "/month");
        } else if (a.key == "languishing-days") {
            err = set_int(s.languishing_days, 1, 3650, "");
        } else if (a.key == "languishing-share") {
            err = set_int(s.languishing_share_pct, 0, 100, "");
        } else if (a.key == "territory") {
            if (s.territory) return duplicate_option(a, path);
            auto t = parse_territory(a.text);
            if (!t)
                return wrong("territory must be balanced, new or existing, not \"" + a.text + "\".",
                             path);
            s.territory = *t;
        } else if (a.key == "quota") {
            if (s.quota_per_quarter) return duplicate_option(a, path);
            std::string_view t = a.text;
            constexpr std::string_view q = "/quarter";
            if (t.size() > q.size() && iequals(t.substr(t.size() - q.size()), q))
                t.remove_suffix(q.size());
            auto m = parse_money(t);
            if (!m) return wrong(m.error().message, path);
            s.quota_per_quarter = *m;
        } else {
            return unknown_option(a, path);
        }
        if (err) return *err;
    }
    return Command{cmd};
}

std::optional<int> weekday_of(std::string_view d) {
    static constexpr std::array<std::string_view, 7> kDays{"sun", "mon", "tue", "wed",
                                                           "thu", "fri", "sat"};
    const auto lower = to_lower(d);
    for (int i = 0; i < 7; ++i) {
        const auto day = kDays[static_cast<std::size_t>(i)];
        if (lower.size() >= 3 && std::string_view(lower).substr(0, 3) == day) return i;
    }
    return std::nullopt;
}

Result<Command> parse_reminders(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin reminders";
    RemindersSet cmd;
    for (const auto& a : args) {
        if (is_word(a, "on") || is_word(a, "off")) {
            if (cmd.on) return wrong("Say on or off once.", path);
            cmd.on = is_word(a, "on");
        } else if (a.kind == Arg::Kind::option && a.key == "day" && !cmd.weekday) {
            auto d = weekday_of(a.text);
            if (!d)
                return wrong("day must be a weekday such as fri, not \"" + a.text + "\".", path);
            cmd.weekday = *d;
        } else if (a.kind == Arg::Kind::option && a.key == "time" && !cmd.minute) {
            int h = -1, m = -1;
            const std::string& t = a.text;
            const auto colon = t.find(':');
            bool ok =
                colon != std::string::npos && colon > 0 && colon <= 2 && t.size() - colon == 3;
            if (ok) {
                auto r1 = std::from_chars(t.data(), t.data() + colon, h);
                auto r2 = std::from_chars(t.data() + colon + 1, t.data() + t.size(), m);
                ok = r1.ec == std::errc() && r2.ec == std::errc() && r1.ptr == t.data() + colon &&
                     r2.ptr == t.data() + t.size() && h >= 0 && h < 24 && m >= 0 && m < 60;
            }
            if (!ok)
                return wrong(
                    "time must be HH:MM on a 24-hour clock, such as 15:00, not \"" + t + "\".",
                    path);
            cmd.minute = h * 60 + m;
        } else if (a.kind == Arg::Kind::option && a.key == "tz" && !cmd.tz) {
            cmd.tz = a.text;
        } else if (a.kind == Arg::Kind::option) {
            return a.key == "day" || a.key == "time" || a.key == "tz" ? duplicate_option(a, path)
                                                                      : unknown_option(a, path);
        } else {
            return wrong("Unexpected " + describe(a) + ".", path);
        }
    }
    return Command{cmd};
}

Result<Command> parse_workspace(std::span<const Arg> args) {
    constexpr std::string_view path = "funnel-admin workspace";
    WorkspaceSet cmd;
    for (const auto& a : args) {
        if (a.kind == Arg::Kind::option && a.key == "currency" && !cmd.currency) {
            std::string c = a.text;
            const bool ok = c.size() == 3 && std::all_of(c.begin(), c.end(), [](unsigned char ch) {
                                return std::isalpha(ch) != 0;
                            });
            if (!ok)
                return wrong(
                    "currency must be a three-letter code such as USD or EUR, not \"" + c + "\".",
                    path);
            std::transform(c.begin(), c.end(), c.begin(),
                           [](unsigned char ch) { return std::toupper(ch); });
            cmd.currency = c;
        } else if (a.kind == Arg::Kind::option && a.key == "tz" && !cmd.tz) {
            cmd.tz = a.text;
        } else if (a.kind == Arg::Kind::option) {
            return a.key == "currency" || a.key == "tz" ? duplicate_option(a, path)
                                                        : unknown_option(a, path);
        } else {
            return wrong("Unexpected " + describe(a) + ".", path);
        }
    }
    return Command{cmd};
}

Result<Command> parse_funnel_admin(std::span<const Arg> args) {
    static constexpr std::array<std::string_view, 9> kSubs{
        "product", "lines", "customer", "team", "role", "user", "goals", "reminders", "workspace"};
    if (args.empty() || args[0].kind != Arg::Kind::word) {
        return UserError{"Which /funnel-admin command? One of:\n" + usages_under("funnel-admin")};
    }
    const std::string sub = to_lower(args[0].text);
    const auto rest = args.subspan(1);
    if (sub == "product") return parse_product(rest);
    if (sub == "lines") return parse_lines(rest);
    if (sub == "customer") return parse_customer(rest);
    if (sub == "team") return parse_team(rest);
    if (sub == "role") return parse_role(rest);
    if (sub == "user") return parse_user(rest);
    if (sub == "goals") return parse_goals(rest);
    if (sub == "reminders") return parse_reminders(rest);
    if (sub == "workspace") return parse_workspace(rest);
    std::string msg = "Unknown /funnel-admin command \"" + args[0].text + "\".";
    if (auto g = did_you_mean(args[0].text, {kSubs.begin(), kSubs.end()})) {
        msg += " Did you mean \"" + *g + "\"?";
    }
    return UserError{msg + " One of:\n" + usages_under("funnel-admin")};
}

}  // namespace

Result<Command> parse_command(std::string_view name, std::string_view text) {
    if (!name.empty() && name.front() == '/') name.remove_prefix(1);
    auto tokens = tokenize(text);
    if (!tokens) return tokens.error();
    const std::string cmd = to_lower(name);
    std::span<const Arg> args = *tokens;
    if (cmd == "opp") return parse_opp(args);
    if (cmd == "funnel-check") return parse_funnel_check(args);
    if (cmd == "funnel-review") return parse_funnel_review(args);
    if (cmd == "team-summary") return parse_team_summary(args);
    if (cmd == "funnel-admin") return parse_funnel_admin(args);
    if (cmd == "funnel-help") {
        std::string topic;
        for (const auto& a : args)
            topic += (topic.empty() ? "" : " ") + to_lower(a.text);
        while (!topic.empty() && topic.front() == '/')
            topic.erase(0, 1);
        return Command{Help{topic}};
    }
    std::string msg = "Unknown command \"/" + std::string(name) + "\".";
    if (auto g = did_you_mean(name, {"opp", "funnel-check", "funnel-review", "team-summary",
                                     "funnel-admin", "funnel-help"})) {
        msg += " Did you mean \"/" + *g + "\"?";
    }
    return UserError{msg + " Type /funnel-help for the list of commands."};
}

Result<CommandLine> split_command_line(std::string_view line) {
    const auto b = line.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos)
        return UserError{"Empty command. Type /funnel-help for the list of commands."};
    line = line.substr(b);
    if (line.front() == '/') line.remove_prefix(1);
    const auto space = line.find_first_of(" \t");
    CommandLine out;
    out.name = to_lower(line.substr(0, space));
    if (space != std::string_view::npos) out.text = std::string(line.substr(space + 1));
    return out;
}

}  // namespace funnelbot::commands
