#include "storage/customer_key.hpp"

#include <gtest/gtest.h>

namespace funnelbot::storage {
namespace {

TEST(CustomerKeyTest, LowerCasesAndDropsWhitespace) {
    EXPECT_EQ(customer_key("Acme"), "acme");
    EXPECT_EQ(customer_key("ACME"), "acme");
    EXPECT_EQ(customer_key("  Blue   Sky  Farms "), "blueskyfarms");
    EXPECT_EQ(customer_key("Blue\tSky\nFarms"), "blueskyfarms");
}

TEST(CustomerKeyTest, DropsPunctuation) {
    EXPECT_EQ(customer_key("A.C.M.E."), "acme");
    EXPECT_EQ(customer_key("Smith & Sons"), "smithsons");
    EXPECT_EQ(customer_key("O'Brien's"), "obriens");
    EXPECT_EQ(customer_key("Coca-Cola"), "cocacola");
    EXPECT_EQ(customer_key("(Acme)"), "acme");
}

TEST(CustomerKeyTest, StripsLegalSuffixes) {
    EXPECT_EQ(customer_key("ACME, Inc."), "acme");
    EXPECT_EQ(customer_key("Acme Inc"), "acme");
    EXPECT_EQ(customer_key("Acme LLC"), "acme");
    EXPECT_EQ(customer_key("Acme Ltd."), "acme");
    EXPECT_EQ(customer_key("Acme GmbH"), "acme");
    EXPECT_EQ(customer_key("Acme Corp."), "acme");
    EXPECT_EQ(customer_key("Acme Corporation"), "acme");
    EXPECT_EQ(customer_key("Acme Company"), "acme");
    EXPECT_EQ(customer_key("Acme PLC"), "acme");
    EXPECT_EQ(customer_key("Acme AG"), "acme");
    EXPECT_EQ(customer_key("Acme S.A."), "acme");
    EXPECT_EQ(customer_key("Acme SARL"), "acme");
    EXPECT_EQ(customer_key("Acme B.V."), "acme");
    EXPECT_EQ(customer_key("Acme N.V."), "acme");
    EXPECT_EQ(customer_key("Acme S.r.l."), "acme");
    EXPECT_EQ(customer_key("Acme S.p.A."), "acme");
    EXPECT_EQ(customer_key("Acme Pty Limited"), "acme");
    EXPECT_EQ(customer_key("Acme Incorporated"), "acme");
    EXPECT_EQ(customer_key("A.C.M.E. inc"), "acme");
}

TEST(CustomerKeyTest, StripsSuffixesRepeatedly) {
    EXPECT_EQ(customer_key("Acme Co., Ltd."), "acme");
    EXPECT_EQ(customer_key("Acme Pty. Ltd."), "acme");
    EXPECT_EQ(customer_key("Acme Holdings Co Ltd"), "acmeholdings");
}

TEST(CustomerKeyTest, SuffixesOnlyAsWholeTrailingWords) {
    EXPECT_EQ(customer_key("Incline Partners"), "inclinepartners");     // "inc" inside a word
    EXPECT_EQ(customer_key("Costco"), "costco");                        // ends in "co"
    EXPECT_EQ(customer_key("Co-op Foods"), "coopfoods");                // leading "co"
    EXPECT_EQ(customer_key("Inc Magazine Group"), "incmagazinegroup");  // not trailing
}

TEST(CustomerKeyTest, NameThatIsOnlyASuffixKeepsIt) {
    EXPECT_EQ(customer_key("Inc"), "inc");
    EXPECT_EQ(customer_key("Inc."), "inc");
    EXPECT_EQ(customer_key("Co., Ltd."), "co");
    EXPECT_EQ(customer_key("Limited"), "limited");
}

TEST(CustomerKeyTest, KeepsNonAsciiBytesAndDigits) {
    EXPECT_EQ(customer_key("Müller GmbH"), "m\xc3\xbcller");
    EXPECT_EQ(customer_key("3M Company"), "3m");
    EXPECT_EQ(customer_key("7-Eleven, Inc."), "7eleven");
}

TEST(CustomerKeyTest, EmptyAndPunctuationOnly) {
    EXPECT_EQ(customer_key(""), "");
    EXPECT_EQ(customer_key("  ,.- "), "");
}

}  // namespace
}  // namespace funnelbot::storage
