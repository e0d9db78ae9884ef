#include "domain/sla/policy.h"

#include <gtest/gtest.h>

namespace domain::sla {
namespace {

using namespace std::chrono_literals;
using M = Milestone;

TEST(PolicyTest, DefaultPolicyMatchesTheProductTable) {
  auto p = DefaultPolicy();
  EXPECT_EQ(p.Find(Grade::emergency, M::acknowledge)->target, Target::Duration(5min));
  EXPECT_EQ(p.Find(Grade::emergency, M::respond)->target, Target::Duration(30min));
  EXPECT_EQ(p.Find(Grade::emergency, M::propose_solution)->target, Target::Duration(2h));
  EXPECT_EQ(p.Find(Grade::emergency, M::depart)->target, Target::Duration(1h));
  EXPECT_EQ(p.Find(Grade::emergency, M::arrive_on_site)->target, Target::Duration(6h));
  EXPECT_EQ(p.Find(Grade::emergency, M::arrive_on_site)->remote_target, Target::Duration(24h));
  EXPECT_EQ(p.Find(Grade::emergency, M::resolve)->target, Target::Duration(48h));
  EXPECT_EQ(p.Find(Grade::consultation, M::respond)->target, Target::Duration(10min));
  EXPECT_EQ(p.Find(Grade::consultation, M::propose_solution)->target, Target::Duration(2h));
  EXPECT_EQ(p.Find(Grade::simple, M::arrive_on_site)->target, Target::Duration(8h));
  EXPECT_EQ(p.Find(Grade::medium, M::arrive_on_site)->target, Target::Duration(24h));
  EXPECT_EQ(p.Find(Grade::complex, M::arrive_on_site)->target, Target::Duration(48h));
  EXPECT_EQ(p.Find(Grade::general_defect, M::respond)->target, Target::WorkingDays(1));
  EXPECT_EQ(p.Find(Grade::general_defect, M::respond)->calendar, kOnSiteCalendar);
  EXPECT_EQ(p.Find(Grade::feedback, M::acknowledge)->target, Target::Duration(1h));
  EXPECT_EQ(p.Find(Grade::complaint, M::first_opinion)->target, Target::Duration(24h));
  EXPECT_EQ(p.Find(Grade::simple, M::resolve), nullptr);
  EXPECT_TRUE(p.Find(Grade::emergency, M::resolve)->PausedBy(PauseReason::waiting_parts));
  EXPECT_FALSE(p.Find(Grade::emergency, M::respond)->PausedBy(PauseReason::waiting_customer));
  auto cals = DefaultCalendars(date::locate_zone("Asia/Shanghai"));
  EXPECT_TRUE(ValidatePolicy(p, cals).ok());
}

TEST(PolicyTest, ResolutionBaseThenTierThenProject) {
  PolicyOverride tier{"gold", {}, std::nullopt};
  tier.rules[Grade::simple][M::respond] = MilestoneRule{Target::Duration(1h)};
  tier.rules[Grade::simple][M::arrive_on_site] = MilestoneRule{Target::Duration(4h)};
  PolicyOverride project{"hq-tower", {}, std::nullopt};
  project.rules[Grade::simple][M::respond] = MilestoneRule{Target::Duration(30min)};
  project.rules[Grade::medium][M::arrive_on_site] = std::nullopt;  // removed by contract
  auto p = ResolvePolicy(DefaultPolicy(), &tier, &project);
  EXPECT_EQ(p.Find(Grade::simple, M::respond)->target, Target::Duration(30min));  // project wins
  EXPECT_EQ(p.Find(Grade::simple, M::arrive_on_site)->target, Target::Duration(4h));  // tier
  EXPECT_EQ(p.Find(Grade::medium, M::arrive_on_site), nullptr);
  EXPECT_EQ(p.Find(Grade::medium, M::respond)->target, Target::Duration(2h));  // base
  EXPECT_EQ(p.name, "default+gold+hq-tower");
  // Tier only.
  EXPECT_EQ(ResolvePolicy(DefaultPolicy(), &tier, nullptr).Find(Grade::simple, M::respond)->target,
            Target::Duration(1h));
}

TEST(PolicyTest, ValidationNamesTheRule) {
  auto cals = DefaultCalendars(date::locate_zone("Asia/Shanghai"));
  auto p = DefaultPolicy();
  p.grades[Grade::simple][M::respond].calendar = "night_shift";
  auto s = ValidatePolicy(p, cals);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "invalid_sla_policy");
  EXPECT_NE(s.error().message.find("simple/respond"), std::string::npos);
  p = DefaultPolicy();
  p.grades[Grade::simple][M::respond].target = Target::WorkingDays(0);
  EXPECT_FALSE(ValidatePolicy(p, cals).ok());
}

TEST(PolicyTest, TargetsAsWorkingTime) {
  auto cals = DefaultCalendars(date::locate_zone("Asia/Shanghai"));
  const auto& on_site = cals.at(std::string(kOnSiteCalendar));
  auto wed10 = date::locate_zone("Asia/Shanghai")->to_sys(
      date::local_seconds{date::local_days{date::year{2026} / 3 / 4}} + 10h);
  EXPECT_EQ(Target::WorkingDays(2).ToWorkingTime(on_site, wed10), 16h);
  EXPECT_EQ(Target::EndOfWorkingDay(1).ToWorkingTime(on_site, wed10), 7h + 8h);
  EXPECT_EQ(Target::Duration(90min).ToWorkingTime(on_site, wed10), 90min);
}

TEST(PolicyTest, EnumNamesRoundTrip) {
  for (int i = 0; i < kGradeCount; ++i)
    EXPECT_EQ(ParseGrade(ToString(static_cast<Grade>(i))), static_cast<Grade>(i));
  for (int i = 0; i < kMilestoneCount; ++i)
    EXPECT_EQ(ParseMilestone(ToString(static_cast<Milestone>(i))), static_cast<Milestone>(i));
  for (int i = 0; i < kPauseReasonCount; ++i)
    EXPECT_EQ(ParsePauseReason(ToString(static_cast<PauseReason>(i))), static_cast<PauseReason>(i));
  EXPECT_EQ(ToString(Grade::general_defect), "general_defect");
  EXPECT_EQ(ChineseName(Grade::emergency), "紧急");
  EXPECT_FALSE(ParseGrade("urgent").has_value());
}

}  // namespace
}  // namespace domain::sla
