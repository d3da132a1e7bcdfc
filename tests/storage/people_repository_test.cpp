// Workspaces, users and teams.
#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using WorkspaceRepositoryTest = StorageTest;
using UserRepositoryTest = StorageTest;
using TeamRepositoryTest = StorageTest;

TEST_F(WorkspaceRepositoryTest, FindOrCreateIsIdempotentAndHasDefaults) {
    const auto created = workspaces_.find_or_create(Platform::discord, "G42", "Europe/Berlin");
    const auto again = workspaces_.find_or_create(Platform::discord, "G42", "UTC");
    EXPECT_EQ(created.id, again.id);
    EXPECT_EQ(again.tz, "Europe/Berlin");  // the zone given at creation stays
    EXPECT_EQ(again.currency, "USD");
    EXPECT_TRUE(again.reminders_on);
    EXPECT_EQ(again.reminder_weekday, 5);
    EXPECT_EQ(again.reminder_minute, 900);
    EXPECT_EQ(again.platform, Platform::discord);
}

TEST_F(WorkspaceRepositoryTest, SameExternalIdOnAnotherPlatformIsAnotherWorkspace) {
    const auto slack = workspaces_.find_or_create(Platform::slack, "X1", "UTC");
    const auto discord = workspaces_.find_or_create(Platform::discord, "X1", "UTC");
    EXPECT_NE(slack.id, discord.id);
    EXPECT_FALSE(workspaces_.find(Platform::console, "X1").has_value());
    ASSERT_TRUE(workspaces_.find(Platform::discord, "X1").has_value());
    EXPECT_EQ(workspaces_.find(Platform::discord, "X1")->id, discord.id);
}

TEST_F(WorkspaceRepositoryTest, UpdateWritesSettings) {
    auto ws = *workspaces_.get(ws_);
    ws.name = "Sales Co";
    ws.currency = "EUR";
    ws.tz = "America/Chicago";
    ws.reminders_on = false;
    ws.reminder_weekday = 4;
    ws.reminder_minute = 16 * 60 + 30;
    workspaces_.update(ws);
    const auto back = *workspaces_.get(ws_);
    EXPECT_EQ(back.name, "Sales Co");
    EXPECT_EQ(back.currency, "EUR");
    EXPECT_EQ(back.tz, "America/Chicago");
    EXPECT_FALSE(back.reminders_on);
    EXPECT_EQ(back.reminder_weekday, 4);
    EXPECT_EQ(back.reminder_minute, 990);
    EXPECT_EQ(workspaces_.get(other_ws_)->currency, "USD");
}

TEST_F(WorkspaceRepositoryTest, ListAllInIdOrder) {
    const auto all = workspaces_.list_all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, ws_);
    EXPECT_EQ(all[1].id, other_ws_);
    EXPECT_FALSE(workspaces_.get(999).has_value());
}

TEST_F(UserRepositoryTest, CreateAndGetRoundTripEveryField) {
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    User u;
    u.workspace_id = ws_;
    u.platform_user_id = "U123";
    u.name = "ann";
    u.display_name = "Ann B";
    u.real_name = "Ann Bishop";
    u.email = "ann@example.com";
    u.tz = "Europe/Paris";
    u.role = Role::manager;
    u.platform_admin = true;
    u.active = false;
    u.reminders_on = false;
    u.team_id = team;
    const auto created = users_.create(u);
    EXPECT_GT(created.id, 0);
    const auto got = users_.get(ws_, created.id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->platform_user_id, "U123");
    EXPECT_EQ(got->name, "ann");
    EXPECT_EQ(got->display_name, "Ann B");
    EXPECT_EQ(got->real_name, "Ann Bishop");
    EXPECT_EQ(got->email, "ann@example.com");
    EXPECT_EQ(got->tz, "Europe/Paris");
    EXPECT_EQ(got->role, Role::manager);
    EXPECT_TRUE(got->platform_admin);
    EXPECT_FALSE(got->active);
    EXPECT_FALSE(got->reminders_on);
    EXPECT_EQ(got->team_id, team);
}

TEST_F(UserRepositoryTest, PlaceholdersHaveNoPlatformIdAndDoNotCollide) {
    User p;
    p.workspace_id = ws_;
    p.name = "Pat Placeholder";
    const auto a = users_.create(p);
    p.name = "Quinn Placeholder";
    const auto b = users_.create(p);
    EXPECT_NE(a.id, b.id);
    EXPECT_EQ(users_.get(ws_, a.id)->platform_user_id, "");
    EXPECT_FALSE(users_.find_by_platform_id(ws_, "").has_value());
}

TEST_F(UserRepositoryTest, PlatformIdIsUniquePerWorkspace) {
    make_user(ws_, "ann", std::nullopt, "U1");
    try {
        make_user(ws_, "bob", std::nullopt, "U1");
        FAIL() << "duplicate platform id accepted";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("user create"), std::string::npos) << e.what();
    }
    // The same platform id in another workspace is another person.
    EXPECT_NO_THROW(make_user(other_ws_, "ann", std::nullopt, "U1"));
    EXPECT_EQ(users_.find_by_platform_id(ws_, "U1")->name, "ann");
}

TEST_F(UserRepositoryTest, FindByNameMatchesAnyNameFieldCaseInsensitively) {
    User u;
    u.workspace_id = ws_;
    u.platform_user_id = "U9";
    u.name = "jdoe";
    u.display_name = "Jane";
    u.real_name = "Jane Doe";
    u.email = "Jane.Doe@Example.com";
    const Id id = users_.create(u).id;
    for (const char* q : {"jdoe", "JDOE", "jane", "jane doe", "JANE.DOE@example.COM"}) {
        const auto found = users_.find_by_name(ws_, q);
        ASSERT_TRUE(found.has_value()) << q;
        EXPECT_EQ(found->id, id) << q;
    }
    EXPECT_FALSE(users_.find_by_name(ws_, "jan").has_value());
    EXPECT_FALSE(users_.find_by_name(ws_, "").has_value());  // not "every user without e-mail"
}

TEST_F(UserRepositoryTest, FindByNamePrefersActiveThenLowestId) {
    auto gone = make_user(ws_, "sam", std::nullopt, "U1");
    gone.active = false;
    users_.update(gone);
    const Id second = make_user(ws_, "Sam", std::nullopt, "U2").id;
    make_user(ws_, "SAM", std::nullopt, "U3");
    EXPECT_EQ(users_.find_by_name(ws_, "sam")->id, second);
}

TEST_F(UserRepositoryTest, UpdateWritesEveryField) {
    auto u = make_user(ws_, "ann");
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    u.name = "annie";
    u.email = "a@x.io";
    u.role = Role::admin;
    u.team_id = team;
    u.reminders_on = false;
    users_.update(u);
    const auto back = *users_.get(ws_, u.id);
    EXPECT_EQ(back.name, "annie");
    EXPECT_EQ(back.email, "a@x.io");
    EXPECT_EQ(back.role, Role::admin);
    EXPECT_EQ(back.team_id, team);
    EXPECT_FALSE(back.reminders_on);
    u.team_id.reset();
    users_.update(u);
    EXPECT_FALSE(users_.get(ws_, u.id)->team_id.has_value());
}

TEST_F(UserRepositoryTest, ListsByNameAndTeam) {
    const Id east = teams_.create(ws_, "East", std::nullopt).id;
    make_user(ws_, "carol", east);
    make_user(ws_, "Bob", east);
    auto gone = make_user(ws_, "alice", east);
    gone.active = false;
    users_.update(gone);
    make_user(ws_, "dave");

    auto names = [](const std::vector<User>& us) {
        std::vector<std::string> out;
        for (const auto& u : us) {
            out.push_back(u.name);
        }
        return out;
    };
    EXPECT_EQ(names(users_.list(ws_)), (std::vector<std::string>{"Bob", "carol", "dave"}));
    EXPECT_EQ(names(users_.list(ws_, false)),
              (std::vector<std::string>{"alice", "Bob", "carol", "dave"}));
    EXPECT_EQ(names(users_.list_team(ws_, east)), (std::vector<std::string>{"Bob", "carol"}));
}

TEST_F(UserRepositoryTest, TeamOfAnotherWorkspaceIsRejected) {
    const Id foreign_team = teams_.create(other_ws_, "East", std::nullopt).id;
    EXPECT_THROW(make_user(ws_, "ann", foreign_team), StorageError);
    auto u = make_user(ws_, "bob");
    u.team_id = foreign_team;
    EXPECT_THROW(users_.update(u), StorageError);
    EXPECT_FALSE(users_.get(ws_, u.id)->team_id.has_value());
}

TEST_F(TeamRepositoryTest, CreateFindAndManage) {
    const Id mgr = make_user(ws_, "maria").id;
    const auto east = teams_.create(ws_, "East", mgr);
    const auto west = teams_.create(ws_, "west", std::nullopt);
    EXPECT_EQ(teams_.find_by_name(ws_, "EAST")->id, east.id);
    EXPECT_EQ(teams_.get(ws_, east.id)->manager_id, mgr);
    EXPECT_FALSE(teams_.find_by_name(ws_, "North").has_value());

    teams_.set_manager(ws_, west.id, mgr);
    const auto managed = teams_.managed_by(ws_, mgr);
    ASSERT_EQ(managed.size(), 2u);
    EXPECT_EQ(managed[0].name, "East");
    EXPECT_EQ(managed[1].name, "west");

    teams_.set_manager(ws_, east.id, std::nullopt);
    EXPECT_FALSE(teams_.get(ws_, east.id)->manager_id.has_value());
    EXPECT_EQ(teams_.managed_by(ws_, mgr).size(), 1u);
    EXPECT_EQ(teams_.list(ws_).size(), 2u);
}

TEST_F(TeamRepositoryTest, NamesAreUniqueCaseInsensitively) {
    teams_.create(ws_, "East", std::nullopt);
    EXPECT_THROW(teams_.create(ws_, "EAST", std::nullopt), StorageError);
    EXPECT_NO_THROW(teams_.create(other_ws_, "East", std::nullopt));
}

TEST_F(TeamRepositoryTest, ManagerOfAnotherWorkspaceIsRejected) {
    const Id foreign = make_user(other_ws_, "mallory").id;
    EXPECT_THROW(teams_.create(ws_, "East", foreign), StorageError);
    const Id east = teams_.create(ws_, "East", std::nullopt).id;
    EXPECT_THROW(teams_.set_manager(ws_, east, foreign), StorageError);
    EXPECT_FALSE(teams_.get(ws_, east)->manager_id.has_value());
}

}  // namespace
}  // namespace funnelbot::storage::testing
