// The command table is the one list of commands: every entry complete, every typed command
// reachable, and the Slack manifest declaring exactly its commands.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "commands/command_table.hpp"

namespace funnelbot::commands {
namespace {

TEST(CommandTable, EveryEntryHasAUsageASummaryAGrammarAndAForm) {
    std::set<std::string_view> paths;
    for (const auto& spec : command_table()) {
        EXPECT_TRUE(paths.insert(spec.path).second) << "duplicate " << spec.path;
        EXPECT_TRUE(spec.usage.starts_with("/" + std::string(spec.path))) << spec.path;
        EXPECT_FALSE(spec.summary.empty()) << spec.path;
        EXPECT_NE(spec.grammar, nullptr) << spec.path;
        EXPECT_NE(spec.reads_only, nullptr) << spec.path;
        EXPECT_NE(spec.produces, 0u) << spec.path;
        EXPECT_FALSE(spec.forms.empty()) << spec.path;
        for (const auto& form : spec.forms) {
            EXPECT_FALSE(form.description.empty()) << spec.path;
            // A typed path is the entry's, or one that starts with it.
            EXPECT_TRUE(path_under(typed_path(spec, form), spec.path)) << typed_path(spec, form);
            for (const auto& option : form.options) {
                EXPECT_FALSE(option.name.empty()) << spec.path;
                if (option.type == OptionType::choice) {
                    EXPECT_FALSE(option.choices.empty()) << spec.path << " " << option.name;
                }
                if (option.type == OptionType::integer) {
                    EXPECT_LT(option.min, option.max) << spec.path << " " << option.name;
                }
                if (option.written == Written::literal) {
                    EXPECT_FALSE(option.required) << spec.path << " " << option.name;
                }
            }
        }
    }
}

TEST(CommandTable, NoEntryIsAlsoTheLeadingWordsOfAnother) {
    for (const auto& a : command_table()) {
        for (const auto& b : command_table()) {
            if (&a != &b) {
                EXPECT_FALSE(path_under(b.path, a.path)) << a.path << " / " << b.path;
            }
        }
    }
}

TEST(CommandTable, EveryTypedCommandComesFromAnEntry) {
    std::uint32_t produced = 0;
    for (const auto& spec : command_table())
        produced |= spec.produces;
    for (std::size_t i = 0; i < std::variant_size_v<Command>; ++i)
        EXPECT_NE(produced & (std::uint32_t{1} << i), 0u) << "Command alternative " << i;
}

TEST(CommandTable, ReadsOnlyComesFromTheEntry) {
    EXPECT_TRUE(command_for(Command{OppList{}}).reads_only(Command{OppList{}}));
    EXPECT_FALSE(command_for(Command{OppAdd{}}).reads_only(Command{OppAdd{}}));
    const Command review{FunnelReview{}};
    EXPECT_TRUE(command_for(review).reads_only(review));
    const Command opt_out{FunnelReview{std::nullopt, false}};
    EXPECT_FALSE(command_for(opt_out).reads_only(opt_out));
    EXPECT_EQ(command_for(Command{TeamMember{}}).path, command_for(Command{TeamManagerSet{}}).path);
}

TEST(CommandTable, UsageLookups) {
    EXPECT_EQ(usage_of("opp won"), "/opp won <id>");
    EXPECT_EQ(usage_of("funnel-check extra"), "/funnel-check [@rep]");
    EXPECT_EQ(usage_of("nothing"), "/funnel-help");
    const std::string opp = usages_under("opp");
    EXPECT_EQ(std::count(opp.begin(), opp.end(), '\n'), 5);
    EXPECT_TRUE(opp.starts_with("/opp add "));
    EXPECT_EQ(usages_under("funnel-admin product").find("/funnel-admin lines"), std::string::npos);
}

TEST(CommandTable, TopLevelCommandsInTableOrder) {
    EXPECT_EQ(top_level_commands(),
              (std::vector<std::string>{"opp", "funnel-check", "funnel-review", "team-summary",
                                        "funnel-admin", "funnel-help"}));
}

// The `command: /name` lines under slash_commands, read as text.
std::vector<std::string> manifest_commands(const std::string& yaml) {
    std::vector<std::string> names;
    std::istringstream in(yaml);
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        if (line.compare(first, 15, "slash_commands:") == 0) {
            inside = true;
            continue;
        }
        // Anything back at the features' indentation or less ends the list.
        if (inside && first <= 2 && line[first] != '-') inside = false;
        const std::string key = "- command: /";
        if (inside && line.compare(first, key.size(), key) == 0) {
            std::string name = line.substr(first + key.size());
            name.erase(name.find_last_not_of(" \r") + 1);
            names.push_back(name);
        }
    }
    return names;
}

TEST(CommandTable, SlackManifestDeclaresExactlyTheTopLevelCommands) {
    std::ifstream file(std::string(FUNNELBOT_SOURCE_DIR) + "/deploy/slack-manifest.yml");
    ASSERT_TRUE(file) << "deploy/slack-manifest.yml";
    std::stringstream yaml;
    yaml << file.rdbuf();
    EXPECT_EQ(manifest_commands(yaml.str()), top_level_commands());
}

TEST(CommandTable, ManifestReaderStopsAtTheEndOfTheList) {
    EXPECT_EQ(manifest_commands("features:\n  slash_commands:\n    - command: /a\n      x: 1\n"
                                "    - command: /b\n  other:\n    - command: /c\n"),
              (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace funnelbot::commands
