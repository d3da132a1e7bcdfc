// The argument checks every grammar shares: each wrong form names the problem and shows the usage.
#include "commands/grammar/arguments.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace funnelbot::commands {
namespace {

constexpr std::string_view kUsage = "/x <name…> [key:value] [new]";

std::vector<Arg> args(std::string_view text) {
    auto r = tokenize(text);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<Arg>{};
}

TEST(Arguments, WrongEndsWithTheUsage) {
    EXPECT_EQ(wrong("Bad.", kUsage).message, "Bad.\nUsage: /x <name…> [key:value] [new]");
}

TEST(Arguments, SplitNameTakesTheWordsBeforeTheFirstOption) {
    const auto a = args("Acme Rocket key:v NEW");
    const auto split = split_name(a, {"new"}, kUsage);
    ASSERT_TRUE(split.ok()) << split.error().message;
    EXPECT_EQ(split->name, "Acme Rocket");
    ASSERT_EQ(split->options.size(), 1u);
    EXPECT_EQ(split->options[0].key, "key");
    EXPECT_EQ(split->bare, (std::vector<std::string>{"new"}));

    const auto late = args("Acme key:v Rocket");
    const auto error = split_name(late, {"new"}, kUsage);
    ASSERT_FALSE(error.ok());
    EXPECT_EQ(error.error().message,
              "Unexpected \"Rocket\" after the options. Only new may follow the options; put the "
              "name first.\nUsage: /x <name…> [key:value] [new]");
}

TEST(Arguments, CheckedNameHasALimit) {
    EXPECT_EQ(*checked_name("Acme", "customer name", kUsage), "Acme");
    EXPECT_EQ(checked_name("", "customer name", kUsage).error().message,
              "Missing customer name.\nUsage: /x <name…> [key:value] [new]");
    EXPECT_FALSE(checked_name(std::string(kMaxNameLength + 1, 'a'), "team name", kUsage).ok());
}

TEST(Arguments, IdsAndBoundedNumbers) {
    EXPECT_EQ(*id_value(args("#12")[0], kUsage), 12);
    EXPECT_FALSE(id_value(args("0")[0], kUsage).ok());
    EXPECT_EQ(*bounded_int(args("n:4/month")[0], 0, 10, "/month", kUsage), 4);
    EXPECT_EQ(*bounded_int(args("n:40%")[0], 0, 100, "", kUsage), 40);
    EXPECT_EQ(bounded_int(args("n:11")[0], 0, 10, "", kUsage).error().message,
              "n must be a whole number from 0 to 10, not \"11\".\nUsage: /x <name…> [key:value] "
              "[new]");
}

TEST(Arguments, PeopleFromMentionsAndOptions) {
    const auto a = args("<@U1|al> owner:bob");
    ASSERT_TRUE(as_user_ref(a[0]));
    EXPECT_EQ(as_user_ref(a[0])->user_id, "U1");
    EXPECT_FALSE(as_user_ref(a[1]));
    EXPECT_EQ(mention_of_option(a[1]).name, "bob");
    EXPECT_EQ(describe(a[1]), "\"owner:bob\"");
}

}  // namespace
}  // namespace funnelbot::commands
