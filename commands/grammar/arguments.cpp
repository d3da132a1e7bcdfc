#include "commands/grammar/arguments.hpp"

#include <algorithm>
#include <charconv>

#include "commands/grammar/value_parsers.hpp"

namespace funnelbot::commands {

UserError wrong(std::string what, std::string_view usage) {
    return UserError{std::move(what) + "\nUsage: " + std::string(usage)};
}

UserError unknown_option(const Arg& a, std::string_view usage) {
    return wrong("Unknown option \"" + a.key + "\".", usage);
}

UserError duplicate_option(const Arg& a, std::string_view usage) {
    return wrong("The option \"" + a.key + "\" is given twice.", usage);
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

Result<std::string> checked_name(std::string name, std::string_view what, std::string_view usage) {
    if (name.empty()) return wrong("Missing " + std::string(what) + ".", usage);
    if (name.size() > kMaxNameLength) {
        return wrong("The " + std::string(what) + " is " + std::to_string(name.size()) +
                         " characters long; the limit is " + std::to_string(kMaxNameLength) + ".",
                     usage);
    }
    return name;
}

Result<NameAndRest> split_name(std::span<const Arg> args,
                               std::initializer_list<std::string_view> bare,
                               std::string_view usage) {
    NameAndRest out;
    std::size_t i = 0;
    std::vector<Arg> name_words;
    for (; i < args.size() && args[i].kind == Arg::Kind::word; ++i)
        name_words.push_back(args[i]);
    if (i < args.size() && args[i].kind == Arg::Kind::mention) {
        return wrong("A mention (" + args[i].text + ") cannot be part of a name; use owner:@rep.",
                     usage);
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
                         usage);
        }
        out.bare.push_back(to_lower(a.text));
    }
    return out;
}

Result<Stage> stage_value(const Arg& a, std::string_view usage) {
    if (auto s = parse_stage(a.text)) return *s;
    return wrong("Unknown stage \"" + a.text +
                     "\". Stages: prospecting, qualification, proposal, negotiation, won, lost.",
                 usage);
}

Result<Id> id_value(const Arg& a, std::string_view usage) {
    std::string_view t = a.text;
    if (!t.empty() && t.front() == '#') t.remove_prefix(1);
    Id id = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
    if (ec != std::errc() || p != t.data() + t.size() || id <= 0) {
        return wrong(
            "\"" + a.text + "\" is not an opportunity id; ids are the numbers /opp list shows.",
            usage);
    }
    return id;
}

Result<int> bounded_int(const Arg& a, int lo, int hi, std::string_view suffix,
                        std::string_view usage) {
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
                     usage);
    }
    return v;
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

}  // namespace funnelbot::commands
