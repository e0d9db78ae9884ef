#include "domain/warranty/cost_bearing.h"

#include <gtest/gtest.h>

namespace domain::warranty {
namespace {

struct Row {
  Cause cause;
  WarrantyStatus status;
  CostBearing expected;
};

TEST(CostBearingTest, DefaultTableCauseTimesWarranty) {
  using C = Cause;
  using W = WarrantyStatus;
  using B = CostBearing;
  const Row rows[] = {
      {C::design, W::in_warranty, B::free},          {C::material, W::in_warranty, B::free},
      {C::construction, W::in_warranty, B::free},    {C::installation, W::in_warranty, B::free},
      {C::construction, W::not_started, B::free},    {C::design, W::expired, B::at_cost},
      {C::material, W::expired, B::at_cost},         {C::construction, W::expired, B::at_cost},
      {C::installation, W::expired, B::at_cost},     {C::improper_use_or_maintenance, W::in_warranty, B::paid},
      {C::improper_use_or_maintenance, W::expired, B::paid}, {C::environment, W::in_warranty, B::at_cost},
      {C::environment, W::expired, B::at_cost},      {C::force_majeure, W::in_warranty, B::at_cost},
      {C::force_majeure, W::expired, B::at_cost},    {C::unknown, W::in_warranty, B::disputed},
      {C::unknown, W::expired, B::disputed},
  };
  for (const auto& r : rows) {
    auto d = DecideCostBearing(r.cause, r.status);
    EXPECT_EQ(d.bearing, r.expected) << ToString(r.cause) << " × " << ToString(r.status);
    EXPECT_FALSE(d.reason_zh.empty());
    EXPECT_FALSE(d.reason_en.empty());
    EXPECT_EQ(d.params.at("cause"), ToString(r.cause));
  }
}

TEST(CostBearingTest, ReasonsAreSpelledOut) {
  auto d = DecideCostBearing(Cause::construction, WarrantyStatus::in_warranty);
  EXPECT_EQ(d.reason_code, "contractor_cause_in_warranty");
  EXPECT_NE(d.reason_zh.find("施工工艺"), std::string::npos);
  EXPECT_NE(d.reason_en.find("free of charge"), std::string::npos);
  auto aged = DecideCostBearing(Cause::environment, WarrantyStatus::expired);
  EXPECT_EQ(aged.reason_code, "external_cause");
}

TEST(CostBearingTest, OverrideNeedsAReasonAndKeepsTheDefault) {
  auto d = DecideCostBearing(Cause::unknown, WarrantyStatus::in_warranty);
  EXPECT_EQ(OverrideCostBearing(d, CostBearing::free, "  ").error().code, "override_reason_required");
  auto o = OverrideCostBearing(d, CostBearing::free, "goodwill for a key account");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->bearing, CostBearing::free);
  EXPECT_EQ(o->default_bearing, CostBearing::disputed);
  EXPECT_EQ(o->reason_code, "overridden");
  EXPECT_NE(o->reason_en.find("goodwill"), std::string::npos);
  // A second override still remembers the original default.
  auto o2 = OverrideCostBearing(*o, CostBearing::at_cost, "agreed at meeting");
  EXPECT_EQ(o2->default_bearing, CostBearing::disputed);
}

TEST(CostBearingTest, NamesRoundTrip) {
  for (int i = 0; i < kCauseCount; ++i)
    EXPECT_EQ(ParseCause(ToString(static_cast<Cause>(i))), static_cast<Cause>(i));
  for (int i = 0; i < kCostBearingCount; ++i)
    EXPECT_EQ(ParseCostBearing(ToString(static_cast<CostBearing>(i))), static_cast<CostBearing>(i));
}

}  // namespace
}  // namespace domain::warranty
