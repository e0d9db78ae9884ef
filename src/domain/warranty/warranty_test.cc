#include "domain/warranty/warranty.h"

#include <gtest/gtest.h>

namespace domain::warranty {
namespace {

using date::year;
constexpr auto ymd = [](int y, unsigned m, unsigned d) {
  return date::year_month_day{year{y}, date::month{m}, date::day{d}};
};

TEST(WarrantyTest, TermFromMonthsClampsMonthEnds) {
  auto t = WarrantyTerm::FromMonths(ymd(2024, 3, 15), 24);
  EXPECT_EQ(t.end, ymd(2026, 3, 15));
  EXPECT_TRUE(t.Covers(ymd(2026, 3, 14)));
  EXPECT_FALSE(t.Covers(ymd(2026, 3, 15)));
  EXPECT_FALSE(t.Covers(ymd(2024, 3, 14)));
  EXPECT_EQ(WarrantyTerm::FromMonths(ymd(2024, 2, 29), 12).end, ymd(2025, 2, 28));
  EXPECT_EQ(WarrantyTerm::FromMonths(ymd(2025, 1, 31), 1).end, ymd(2025, 2, 28));
}

// Scenario 2: coating damage 14 months after acceptance, 2-year warranty.
TEST(WarrantyTest, Scenario2ProjectInWarranty) {
  WarrantySubject s{WarrantyTerm::FromMonths(ymd(2025, 1, 10), 24)};
  auto c = WarrantyOn(s, ymd(2026, 3, 10));
  EXPECT_EQ(c.status, WarrantyStatus::in_warranty);
  EXPECT_EQ(c.source, WarrantySource::project);
  EXPECT_EQ(c.days_left, 306);
}

// Scenario 3: curtain-wall leakage 3 years after acceptance.
TEST(WarrantyTest, Scenario3Expired) {
  WarrantySubject s{WarrantyTerm::FromMonths(ymd(2023, 5, 1), 24)};
  auto c = WarrantyOn(s, ymd(2026, 5, 2));
  EXPECT_EQ(c.status, WarrantyStatus::expired);
  EXPECT_EQ(c.days_left, 0);
  EXPECT_EQ(WarrantyOn(s, ymd(2023, 4, 30)).status, WarrantyStatus::not_started);
}

TEST(WarrantyTest, ReplacedPartCarriesItsOwnWarranty) {
  WarrantySubject s{WarrantyTerm::FromMonths(ymd(2023, 5, 1), 24)};
  s.replaced_part = WarrantyTerm::FromMonths(ymd(2025, 11, 20), 12);
  auto c = WarrantyOn(s, ymd(2026, 5, 2));
  EXPECT_EQ(c.status, WarrantyStatus::in_warranty);
  EXPECT_EQ(c.source, WarrantySource::part);
  EXPECT_EQ(WarrantyOn(s, ymd(2026, 11, 20)).status, WarrantyStatus::expired);
  EXPECT_EQ(WarrantyOn(s, ymd(2026, 11, 20)).source, WarrantySource::part);
}

TEST(WarrantyTest, AssetWarrantyAndTheMostFavourableTerm) {
  WarrantySubject s{WarrantyTerm::FromMonths(ymd(2024, 1, 1), 24)};
  s.asset = WarrantyTerm::FromMonths(ymd(2023, 10, 1), 12);  // supplier's, shorter
  auto during_project = WarrantyOn(s, ymd(2025, 6, 1));
  EXPECT_EQ(during_project.status, WarrantyStatus::in_warranty);
  EXPECT_EQ(during_project.source, WarrantySource::project);
  auto before_project = WarrantyOn(s, ymd(2023, 12, 1));
  EXPECT_EQ(before_project.source, WarrantySource::asset);
  EXPECT_EQ(ParseWarrantyStatus("in_warranty"), WarrantyStatus::in_warranty);
}

}  // namespace
}  // namespace domain::warranty
