#include "bot/protocol/moved_actions.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace funnelbot::bot {
namespace {

// An action that counts how often it was copied.
struct Counted {
    int* copies;
    std::string payload;
    Counted(int* c, std::string p) : copies(c), payload(std::move(p)) {}
    Counted(const Counted& other) : copies(other.copies), payload(other.payload) { ++*copies; }
    Counted(Counted&&) = default;
    Counted& operator=(const Counted&) = delete;
    Counted& operator=(Counted&&) = default;
};
struct Timer {
    int after = 0;
};
using Actions = std::vector<std::variant<Counted, Timer>>;

TEST(MovedActionsTest, ActionsAreMovedInOrderWhereABracedListCopiesThem) {
    int copies = 0;
    const std::string reply(5000, 'x');
    const Actions braced{Counted{&copies, reply}, Timer{3}};
    EXPECT_EQ(copies, 1) << "the mechanism this helper exists for";

    copies = 0;
    const Actions moved = moved_actions<Actions>(Counted{&copies, reply}, Timer{3});
    EXPECT_EQ(copies, 0);
    ASSERT_EQ(moved.size(), 2u);
    EXPECT_EQ(std::get<Counted>(moved[0]).payload, reply);
    EXPECT_EQ(std::get<Timer>(moved[1]).after, 3);
    EXPECT_EQ(moved.capacity(), 2u);
}

}  // namespace
}  // namespace funnelbot::bot
