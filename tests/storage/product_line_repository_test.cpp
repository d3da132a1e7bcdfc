#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using ProductLineRepositoryTest = StorageTest;

std::vector<std::string> names(const std::vector<analysis::ProductLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) {
        out.push_back(l.name);
    }
    return out;
}

TEST_F(ProductLineRepositoryTest, NewWorkspaceHasNoLines) {
    EXPECT_TRUE(lines_.list(ws_, true).empty());
}

TEST_F(ProductLineRepositoryTest, CreateRoundTripsEveryField) {
    analysis::ProductLine l;
    l.name = "Cloud Backup";
    l.category = "Services";
    l.introduced_on = date(2026, 2, 28);
    l.acquired = true;
    const auto created = lines_.create(ws_, l);
    EXPECT_GT(created.id, 0);
    const auto got = lines_.get(ws_, created.id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->name, "Cloud Backup");
    EXPECT_EQ(got->category, "Services");
    EXPECT_EQ(got->introduced_on, date(2026, 2, 28));
    EXPECT_TRUE(got->acquired);
    EXPECT_TRUE(got->active);
    // Stored as readable text.
    EXPECT_EQ(
        storage::detail::sql(db_).execAndGet("SELECT introduced_on FROM product_lines").getString(),
        "2026-02-28");

    const auto plain = make_line(ws_, "Widgets");
    EXPECT_FALSE(lines_.get(ws_, plain.id)->introduced_on.has_value());
    EXPECT_FALSE(lines_.get(ws_, plain.id)->acquired);
}

TEST_F(ProductLineRepositoryTest, NamesAreUniqueAndFoundCaseInsensitively) {
    const Id id = make_line(ws_, "Widgets").id;
    EXPECT_EQ(lines_.find_by_name(ws_, "wIDGETS")->id, id);
    try {
        make_line(ws_, "WIDGETS");
        FAIL() << "duplicate line accepted";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("product line create"), std::string::npos);
    }
    EXPECT_NO_THROW(make_line(other_ws_, "Widgets"));
}

TEST_F(ProductLineRepositoryTest, ListIsByNameAndRetiredOnlyOnRequest) {
    make_line(ws_, "widgets");
    make_line(ws_, "Gadgets");
    make_line(ws_, "Analytics", false);
    EXPECT_EQ(names(lines_.list(ws_, false)), (std::vector<std::string>{"Gadgets", "widgets"}));
    EXPECT_EQ(names(lines_.list(ws_, true)),
              (std::vector<std::string>{"Analytics", "Gadgets", "widgets"}));
}

TEST_F(ProductLineRepositoryTest, UpdateRetiresAndRenames) {
    auto l = make_line(ws_, "Widgets");
    l.active = false;
    l.name = "Old Widgets";
    l.category = "Legacy";
    l.introduced_on = date(2020, 1, 1);
    lines_.update(ws_, l);
    const auto back = *lines_.get(ws_, l.id);
    EXPECT_FALSE(back.active);
    EXPECT_EQ(back.name, "Old Widgets");
    EXPECT_EQ(back.category, "Legacy");
    EXPECT_EQ(back.introduced_on, date(2020, 1, 1));
}

TEST_F(ProductLineRepositoryTest, ResponsibleLinesFallBackFromRepToTeamToAll) {
    const auto a = make_line(ws_, "Alpha");
    const auto b = make_line(ws_, "beta");
    const auto c = make_line(ws_, "Gamma");
    make_line(ws_, "Retired", false);
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    const Id rep = make_user(ws_, "ann", team).id;
    const Id loner = make_user(ws_, "lou").id;

    // Nothing stored: every active line, by name.
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)),
              (std::vector<std::string>{"Alpha", "beta", "Gamma"}));

    lines_.set_responsible_for_team(ws_, team, {c.id, b.id});
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)),
              (std::vector<std::string>{"beta", "Gamma"}));
    EXPECT_EQ(names(lines_.responsible_lines(ws_, loner)),
              (std::vector<std::string>{"Alpha", "beta", "Gamma"}));

    lines_.set_responsible_for_user(ws_, rep, {a.id});
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)), (std::vector<std::string>{"Alpha"}));

    // Setting replaces rather than appends; duplicates in the request are harmless.
    lines_.set_responsible_for_user(ws_, rep, {b.id, a.id, a.id});
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)),
              (std::vector<std::string>{"Alpha", "beta"}));

    lines_.clear_responsible_for_user(ws_, rep);
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)),
              (std::vector<std::string>{"beta", "Gamma"}));
    lines_.clear_responsible_for_team(ws_, team);
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)),
              (std::vector<std::string>{"Alpha", "beta", "Gamma"}));
}

// rep_lines reads the lines through its own statement: every field as get() reads it, retired
// lines too, by id; and the responsible ones are what responsible_lines gives, level by level,
// in name order; another workspace's lists never count.
TEST_F(ProductLineRepositoryTest, ARepsLinesCarryEveryFieldAndTheResponsibleLevel) {
    analysis::ProductLine full;
    full.name = "zeta Cloud";
    full.category = "Services";
    full.introduced_on = date(2026, 2, 28);
    full.acquired = true;
    const auto z = lines_.create(ws_, full);
    const auto a = make_line(ws_, "Alpha");
    const auto old = make_line(ws_, "Old", false);
    const auto b = make_line(ws_, "beta");
    const auto theirs = make_line(other_ws_, "Theirs");
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    const Id rep = make_user(ws_, "ann", team).id;
    const Id their_rep = make_user(other_ws_, "ann").id;
    lines_.set_responsible_for_user(other_ws_, their_rep, {theirs.id});

    const auto all_fields = [&](const std::vector<analysis::ProductLine>& lines) {
        std::vector<std::string> out;
        for (const auto& l : lines) {
            const auto stored = *lines_.get(ws_, l.id);
            EXPECT_EQ(l.name, stored.name);
            EXPECT_EQ(l.category, stored.category);
            EXPECT_EQ(l.introduced_on, stored.introduced_on);
            EXPECT_EQ(l.acquired, stored.acquired);
            EXPECT_EQ(l.active, stored.active);
            out.push_back(l.name);
        }
        return out;
    };
    auto got = lines_.rep_lines(ws_, rep);
    EXPECT_EQ(all_fields(got.all),
              (std::vector<std::string>{"zeta Cloud", "Alpha", "Old", "beta"}));
    EXPECT_EQ(got.all.front().category, "Services");
    EXPECT_EQ(got.all.front().introduced_on, date(2026, 2, 28));
    EXPECT_TRUE(got.all.front().acquired);
    EXPECT_FALSE(got.all[2].active);
    // Nothing listed: every active line, by name case-insensitively.
    EXPECT_EQ(all_fields(got.responsible),
              (std::vector<std::string>{"Alpha", "beta", "zeta Cloud"}));

    // The team's list, then the rep's own (a retired line on it is dropped, not the level).
    lines_.set_responsible_for_team(ws_, team, {z.id, b.id});
    EXPECT_EQ(names(lines_.rep_lines(ws_, rep).responsible),
              (std::vector<std::string>{"beta", "zeta Cloud"}));
    lines_.set_responsible_for_user(ws_, rep, {old.id, a.id});
    got = lines_.rep_lines(ws_, rep);
    EXPECT_EQ(names(got.responsible), (std::vector<std::string>{"Alpha"}));
    EXPECT_EQ(got.all.size(), 4u);
    // A rep whose own list is all retired falls through to the team's.
    lines_.set_responsible_for_user(ws_, rep, {old.id});
    EXPECT_EQ(names(lines_.rep_lines(ws_, rep).responsible),
              (std::vector<std::string>{"beta", "zeta Cloud"}));
    EXPECT_EQ(names(lines_.rep_lines(other_ws_, their_rep).responsible),
              (std::vector<std::string>{"Theirs"}));
}

TEST_F(ProductLineRepositoryTest, RetiredLinesAreNeverResponsible) {
    auto a = make_line(ws_, "Alpha");
    const auto b = make_line(ws_, "Beta");
    const auto old = make_line(ws_, "Old", false);
    const Id team = teams_.create(ws_, "East", std::nullopt).id;
    const Id rep = make_user(ws_, "ann", team).id;

    lines_.set_responsible_for_user(ws_, rep, {a.id, old.id});
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)), (std::vector<std::string>{"Alpha"}));

    // The rep's only active line retires: their list has nothing left, so the team's applies.
    lines_.set_responsible_for_team(ws_, team, {b.id});
    a.active = false;
    lines_.update(ws_, a);
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)), (std::vector<std::string>{"Beta"}));
}

TEST_F(ProductLineRepositoryTest, ResponsibleLinesRejectAnotherWorkspacesIds) {
    const auto mine = make_line(ws_, "Alpha");
    const auto theirs = make_line(other_ws_, "Theirs");
    const Id rep = make_user(ws_, "ann").id;
    const Id their_rep = make_user(other_ws_, "zed").id;
    lines_.set_responsible_for_user(ws_, rep, {mine.id});

    EXPECT_THROW(lines_.set_responsible_for_user(ws_, rep, {theirs.id}), StorageError);
    // The failed call changed nothing: the old list is still there.
    EXPECT_EQ(names(lines_.responsible_lines(ws_, rep)), (std::vector<std::string>{"Alpha"}));
    EXPECT_THROW(lines_.set_responsible_for_user(ws_, their_rep, {mine.id}), StorageError);
    // Clearing someone else's list through our workspace touches nothing.
    lines_.set_responsible_for_user(other_ws_, their_rep, {theirs.id});
    lines_.clear_responsible_for_user(ws_, their_rep);
    EXPECT_EQ(names(lines_.responsible_lines(other_ws_, their_rep)),
              (std::vector<std::string>{"Theirs"}));
}

}  // namespace
}  // namespace funnelbot::storage::testing
