// Customers and opportunities.
#include <gtest/gtest.h>

#include "storage_test_support.hpp"

namespace funnelbot::storage::testing {
namespace {

using analysis::CustomerType;
using analysis::Stage;
using Status = OpportunityFilter::Status;

class OpportunityRepositoryTest : public StorageTest {
protected:
    Id rep_ = make_user(ws_, "ann").id;
    Id rep2_ = make_user(ws_, "bob").id;
    Id widgets_ = make_line(ws_, "Widgets").id;
    Id gadgets_ = make_line(ws_, "Gadgets").id;
    Id acme_ = customers_.find_or_create(ws_, "Acme").id;
    Id globex_ = customers_.find_or_create(ws_, "Globex").id;
};

using CustomerRepositoryTest = OpportunityRepositoryTest;

std::vector<Id> ids(const std::vector<analysis::Opportunity>& opps) {
    std::vector<Id> out;
    for (const auto& o : opps) {
        out.push_back(o.id);
    }
    return out;
}

TEST_F(CustomerRepositoryTest, FindOrCreateMatchesVariantsAndKeepsFirstWrittenName) {
    const auto first = customers_.find_or_create(ws_, "Initech");
    EXPECT_EQ(first.status, CustomerStatus::prospect);
    EXPECT_EQ(first.key, "initech");
    for (const char* variant : {"INITECH, Inc.", "initech llc", " Initech  Corp. "}) {
        const auto again = customers_.find_or_create(ws_, variant);
        EXPECT_EQ(again.id, first.id) << variant;
        EXPECT_EQ(again.name, "Initech") << variant;
    }
    EXPECT_EQ(customers_.find_or_create(ws_, "ACME, Inc.").id, acme_);
    EXPECT_EQ(customers_.find_or_create(ws_, "ACME, Inc.").name, "Acme");
    EXPECT_EQ(storage::detail::sql(db_).execAndGet("SELECT count(*) FROM customers").getInt(), 3);
}

TEST_F(CustomerRepositoryTest, FirstSpellingWinsEvenWithSuffix) {
    const auto c = customers_.find_or_create(ws_, "Umbrella Corp.");
    EXPECT_EQ(customers_.find_or_create(ws_, "umbrella").name, "Umbrella Corp.");
    EXPECT_EQ(customers_.find(ws_, "UMBRELLA corporation")->id, c.id);
}

TEST_F(CustomerRepositoryTest, FindDoesNotCreate) {
    EXPECT_FALSE(customers_.find(ws_, "Hooli").has_value());
    EXPECT_FALSE(customers_.find(ws_, "...").has_value());
    EXPECT_EQ(customers_.find(ws_, "acme inc")->id, acme_);
}

TEST_F(CustomerRepositoryTest, PunctuationOnlyNameIsRefused) {
    EXPECT_THROW(customers_.find_or_create(ws_, " - "), StorageError);
}

TEST_F(CustomerRepositoryTest, SetStatus) {
    customers_.set_status(ws_, acme_, CustomerStatus::current);
    EXPECT_EQ(customers_.get(ws_, acme_)->status, CustomerStatus::current);
    customers_.set_status(ws_, acme_, CustomerStatus::prospect);
    EXPECT_EQ(customers_.get(ws_, acme_)->status, CustomerStatus::prospect);
}

TEST_F(OpportunityRepositoryTest, CreateFillsIdAndNames) {
    analysis::Opportunity o;
    o.owner_id = rep_;
    o.customer_id = acme_;
    o.product_line_id = widgets_;
    o.customer_name = "ignored";
    o.product_line_name = "ignored";
    o.name = "Q3 Widgets";
    o.amount = 2'500'050;
    o.stage = Stage::proposal;
    o.customer_type = CustomerType::existing;
    o.close_date = date(2026, 12, 31);
    o.created_at = at(1'750'000'000);
    o.updated_at = at(1'750'000'100);
    o.external_id = "006ABC";
    const auto created = opps_.create(ws_, o, "Ev1");
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.customer_name, "Acme");
    EXPECT_EQ(created.product_line_name, "Widgets");

    const auto got = opps_.get(ws_, created.id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->owner_id, rep_);
    EXPECT_EQ(got->customer_id, acme_);
    EXPECT_EQ(got->customer_name, "Acme");
    EXPECT_EQ(got->product_line_id, widgets_);
    EXPECT_EQ(got->product_line_name, "Widgets");
    EXPECT_EQ(got->name, "Q3 Widgets");
    EXPECT_EQ(got->amount, 2'500'050);
    EXPECT_EQ(got->stage, Stage::proposal);
    EXPECT_EQ(got->customer_type, CustomerType::existing);
    EXPECT_EQ(got->close_date, date(2026, 12, 31));
    EXPECT_EQ(got->created_at, at(1'750'000'000));
    EXPECT_EQ(got->updated_at, at(1'750'000'100));
    EXPECT_FALSE(got->closed_at.has_value());
    EXPECT_EQ(got->external_id, "006ABC");

    SQLite::Statement raw(storage::detail::sql(db_),
                          "SELECT stage, close_date, created_at, source_event_id FROM "
                          "opportunities WHERE id = ?");
    raw.bind(1, created.id);
    ASSERT_TRUE(raw.executeStep());
    EXPECT_EQ(raw.getColumn(0).getString(), "proposal");
    EXPECT_EQ(raw.getColumn(1).getString(), "2026-12-31");
    EXPECT_EQ(raw.getColumn(2).getInt64(), 1'750'000'000);
    EXPECT_EQ(raw.getColumn(3).getString(), "Ev1");
}

TEST_F(OpportunityRepositoryTest, CreatingAWonOpportunityMakesTheCustomerCurrent) {
    make_opp(ws_, rep_, acme_, widgets_, Stage::negotiation);
    EXPECT_EQ(customers_.get(ws_, acme_)->status, CustomerStatus::prospect);
    make_opp(ws_, rep_, acme_, widgets_, Stage::lost);
    EXPECT_EQ(customers_.get(ws_, acme_)->status, CustomerStatus::prospect);
    make_opp(ws_, rep_, acme_, gadgets_, Stage::won);
    EXPECT_EQ(customers_.get(ws_, acme_)->status, CustomerStatus::current);
    EXPECT_EQ(customers_.get(ws_, globex_)->status, CustomerStatus::prospect);
}

TEST_F(OpportunityRepositoryTest, UpdatingToWonMakesTheCustomerCurrent) {
    auto o = make_opp(ws_, rep_, globex_, widgets_);
    o.stage = Stage::won;
    o.amount = 777;
    o.updated_at = at(1'800'000'000);
    o.closed_at = at(1'800'000'000);
    o.close_date = date(2027, 1, 15);
    o.customer_type = CustomerType::existing;  // fixed at creation: not written
    opps_.update(ws_, o);
    EXPECT_EQ(customers_.get(ws_, globex_)->status, CustomerStatus::current);
    const auto back = *opps_.get(ws_, o.id);
    EXPECT_EQ(back.stage, Stage::won);
    EXPECT_EQ(back.amount, 777);
    EXPECT_EQ(back.updated_at, at(1'800'000'000));
    EXPECT_EQ(back.closed_at, at(1'800'000'000));
    EXPECT_EQ(back.close_date, date(2027, 1, 15));
    EXPECT_EQ(back.customer_type, CustomerType::new_customer);
    EXPECT_EQ(back.created_at, at(1'700'000'000));

    // Losing it later does not make the customer a prospect again.
    o.stage = Stage::lost;
    opps_.update(ws_, o);
    EXPECT_EQ(customers_.get(ws_, globex_)->status, CustomerStatus::current);
}

TEST_F(OpportunityRepositoryTest, UpdateMovesOwnerCustomerAndLine) {
    auto o = make_opp(ws_, rep_, acme_, widgets_);
    o.owner_id = rep2_;
    o.customer_id = globex_;
    o.product_line_id = gadgets_;
    o.name = "renamed";
    o.external_id = "X9";
    opps_.update(ws_, o);
    const auto back = *opps_.get(ws_, o.id);
    EXPECT_EQ(back.owner_id, rep2_);
    EXPECT_EQ(back.customer_name, "Globex");
    EXPECT_EQ(back.product_line_name, "Gadgets");
    EXPECT_EQ(back.name, "renamed");
    EXPECT_EQ(back.external_id, "X9");
    o.close_date.reset();
    o.external_id.clear();
    opps_.update(ws_, o);
    EXPECT_FALSE(opps_.get(ws_, o.id)->close_date.has_value());
    EXPECT_FALSE(opps_.find_by_external_id(ws_, "X9").has_value());
}

TEST_F(OpportunityRepositoryTest, ListFiltersByStatusOwnerLineCustomerAndLimit) {
    const Id a = make_opp(ws_, rep_, acme_, widgets_).id;
    const Id b = make_opp(ws_, rep_, acme_, gadgets_, Stage::won).id;
    const Id c = make_opp(ws_, rep_, globex_, widgets_, Stage::lost).id;
    const Id d = make_opp(ws_, rep2_, globex_, widgets_, Stage::negotiation).id;
    const Id e = make_opp(ws_, rep_, globex_, gadgets_, Stage::qualification).id;

    EXPECT_EQ(ids(opps_.list(ws_, {})), (std::vector<Id>{a, d, e}));  // default: open
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::won))), (std::vector<Id>{b}));
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::lost))), (std::vector<Id>{c}));
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::all))), (std::vector<Id>{a, b, c, d, e}));
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::open, rep_))), (std::vector<Id>{a, e}));
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::all, std::nullopt, widgets_))),
              (std::vector<Id>{a, c, d}));
    EXPECT_EQ(ids(opps_.list(ws_, filter(Status::all, rep_, gadgets_, globex_))),
              (std::vector<Id>{e}));
    EXPECT_EQ(
        ids(opps_.list(ws_, filter(Status::all, std::nullopt, std::nullopt, std::nullopt, 2))),
        (std::vector<Id>{a, b}));
}

TEST_F(OpportunityRepositoryTest, ForEachVisitsEveryOpportunityInIdOrder) {
    std::vector<Id> expected;
    for (int i = 0; i < 5; ++i) {
        expected.push_back(make_opp(ws_, i % 2 ? rep_ : rep2_, acme_, widgets_,
                                    i == 3 ? Stage::won : Stage::proposal)
                               .id);
    }
    std::vector<Id> seen;
    opps_.for_each(ws_, [&](const analysis::Opportunity& o) {
        EXPECT_EQ(o.customer_name, "Acme");
        seen.push_back(o.id);
    });
    EXPECT_EQ(seen, expected);
}

TEST_F(OpportunityRepositoryTest, FindByExternalIdAndNaturalKey) {
    analysis::Opportunity o;
    o.owner_id = rep_;
    o.customer_id = acme_;
    o.product_line_id = widgets_;
    o.name = "Big Deal";
    o.external_id = "006XYZ";
    const Id id = opps_.create(ws_, o).id;
    EXPECT_EQ(opps_.find_by_external_id(ws_, "006XYZ")->id, id);
    EXPECT_FALSE(opps_.find_by_external_id(ws_, "006xyz").has_value());  // CRM ids are exact
    EXPECT_FALSE(opps_.find_by_external_id(ws_, "").has_value());
    const Id no_ext = make_opp(ws_, rep_, globex_, widgets_).id;
    EXPECT_FALSE(opps_.find_by_external_id(ws_, "").has_value());

    EXPECT_EQ(opps_.find_by_natural_key(ws_, rep_, acme_, widgets_, "big deal")->id, id);
    EXPECT_FALSE(opps_.find_by_natural_key(ws_, rep2_, acme_, widgets_, "Big Deal").has_value());
    EXPECT_FALSE(opps_.find_by_natural_key(ws_, rep_, acme_, gadgets_, "Big Deal").has_value());
    EXPECT_EQ(opps_.find_by_natural_key(ws_, rep_, globex_, widgets_, "")->id, no_ext);
}

TEST_F(OpportunityRepositoryTest, RemoveAndReassign) {
    const Id a = make_opp(ws_, rep_, acme_, widgets_).id;
    const Id b = make_opp(ws_, rep_, globex_, widgets_, Stage::won).id;
    const Id c = make_opp(ws_, rep2_, globex_, gadgets_).id;
    EXPECT_EQ(opps_.reassign(ws_, rep_, rep2_), 2);
    EXPECT_EQ(opps_.get(ws_, a)->owner_id, rep2_);
    EXPECT_EQ(opps_.get(ws_, b)->owner_id, rep2_);
    EXPECT_EQ(opps_.reassign(ws_, rep_, rep2_), 0);
    opps_.remove(ws_, c);
    EXPECT_FALSE(opps_.get(ws_, c).has_value());
    EXPECT_EQ(opps_.list(ws_, filter(Status::all)).size(), 2u);
}

TEST_F(OpportunityRepositoryTest, ReferencesMustExistInTheWorkspace) {
    const Id foreign_customer = customers_.find_or_create(other_ws_, "Acme").id;
    const Id foreign_line = make_line(other_ws_, "Widgets").id;
    const Id foreign_rep = make_user(other_ws_, "zed").id;
    EXPECT_THROW(make_opp(ws_, rep_, foreign_customer, widgets_), StorageError);
    EXPECT_THROW(make_opp(ws_, rep_, acme_, foreign_line), StorageError);
    EXPECT_THROW(make_opp(ws_, foreign_rep, acme_, widgets_), StorageError);
    EXPECT_THROW(make_opp(ws_, rep_, foreign_customer, widgets_, Stage::won), StorageError);
    EXPECT_EQ(customers_.get(other_ws_, foreign_customer)->status, CustomerStatus::prospect);
    EXPECT_TRUE(opps_.list(ws_, filter(Status::all)).empty());

    auto o = make_opp(ws_, rep_, acme_, widgets_);
    o.customer_id = foreign_customer;
    try {
        opps_.update(ws_, o);
        FAIL() << "cross-workspace customer accepted";
    } catch (const StorageError& e) {
        EXPECT_NE(std::string(e.what()).find("opportunity update"), std::string::npos);
    }
    EXPECT_EQ(opps_.get(ws_, o.id)->customer_id, acme_);
}

}  // namespace
}  // namespace funnelbot::storage::testing
