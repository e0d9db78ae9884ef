#include "domain/sla/sla_clock.h"

#include <gtest/gtest.h>

#include "domain/calendar/test_support.h"

namespace domain::sla {
namespace {

using namespace std::chrono_literals;
using calendar::test::At;
using M = Milestone;

class SlaClockTest : public ::testing::Test {
 protected:
  SlaPolicy policy_ = DefaultPolicy();
  CalendarSet calendars_ = DefaultCalendars(date::locate_zone("Asia/Shanghai"));

  SlaReport Eval(const SlaInput& in, sys_seconds now) {
    auto r = EvaluateSla(policy_, calendars_, in, now);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : SlaReport{};
  }
  static const MilestoneClock* Find(const SlaReport& r, Milestone m) {
    for (const auto& c : r.milestones)
      if (c.milestone == m) return &c;
    return nullptr;
  }
};

// PRODUCT.md acceptance scenario 1: emergency at 02:10 on a Sunday, 7×24.
TEST_F(SlaClockTest, Scenario1EmergencySundayNight) {
  auto t0 = At("2026-03-08 02:10");  // Sunday
  SlaInput in{{SlaEvent::Created(t0, Grade::emergency),
               SlaEvent::Reached(At("2026-03-08 02:13"), M::acknowledge),
               SlaEvent::Reached(At("2026-03-08 02:30"), M::respond),
               SlaEvent::Reached(At("2026-03-08 03:05"), M::depart),
               SlaEvent::Reached(At("2026-03-08 04:00"), M::propose_solution),
               SlaEvent::Reached(At("2026-03-08 06:40"), M::arrive_on_site)}};
  auto r = Eval(in, At("2026-03-08 12:00"));
  ASSERT_EQ(r.milestones.size(), 6u);
  EXPECT_EQ(Find(r, M::acknowledge)->due, At("2026-03-08 02:15"));
  EXPECT_EQ(Find(r, M::respond)->due, At("2026-03-08 02:40"));
  EXPECT_EQ(Find(r, M::depart)->due, At("2026-03-08 03:10"));
  EXPECT_EQ(Find(r, M::arrive_on_site)->due, At("2026-03-08 08:10"));
  EXPECT_EQ(Find(r, M::resolve)->due, At("2026-03-10 02:10"));
  for (auto m : {M::acknowledge, M::respond, M::depart, M::propose_solution, M::arrive_on_site})
    EXPECT_EQ(Find(r, m)->status, MilestoneStatus::met) << ToString(m);
  const auto* resolve = Find(r, M::resolve);
  EXPECT_EQ(resolve->status, MilestoneStatus::pending);
  EXPECT_EQ(resolve->used, 9h + 50min);
  EXPECT_EQ(resolve->remaining, 48h - (9h + 50min));
  EXPECT_EQ(Find(r, M::acknowledge)->used, 3min);
  // Resolved late on Tuesday: breached.
  in.history.push_back(SlaEvent::Reached(At("2026-03-10 03:00"), M::resolve));
  auto late = Eval(in, At("2026-03-10 04:00"));
  EXPECT_EQ(Find(late, M::resolve)->status, MilestoneStatus::breached);
  EXPECT_EQ(Find(late, M::resolve)->remaining, -50min);
}

TEST_F(SlaClockTest, RemoteSiteUsesRemoteTarget) {
  SlaInput in{{SlaEvent::Created(At("2026-03-08 02:10"), Grade::emergency)}, true};
  auto r = Eval(in, At("2026-03-08 02:10"));
  EXPECT_EQ(Find(r, M::arrive_on_site)->due, At("2026-03-09 02:10"));
}

// PRODUCT.md acceptance scenario 4 through a project override: consultations
// answered within 1 working day on the 5×8 statutory calendar.
TEST_F(SlaClockTest, Scenario4ProjectOverrideOneWorkingDay) {
  PolicyOverride project{"glass-facade-contract", {}, std::nullopt};
  project.rules[Grade::consultation][M::propose_solution] =
      MilestoneRule{Target::WorkingDays(1), std::nullopt, std::string(kOnSiteCalendar), {}};
  policy_ = ResolvePolicy(DefaultPolicy(), nullptr, &project);
  auto r1 = Eval({{SlaEvent::Created(At("2026-09-30 16:00"), Grade::consultation)}},
                 At("2026-09-30 16:00"));
  EXPECT_EQ(Find(r1, M::propose_solution)->due, At("2026-10-08 16:00"));
  EXPECT_EQ(Find(r1, M::propose_solution)->target, 8h);
  auto r2 = Eval({{SlaEvent::Created(At("2026-10-09 16:00"), Grade::consultation)}},
                 At("2026-10-09 16:00"));
  EXPECT_EQ(Find(r2, M::propose_solution)->due, At("2026-10-10 16:00"));
  // The hand-off stays on the hotline's 10 minutes.
  EXPECT_EQ(Find(r2, M::respond)->due, At("2026-10-09 16:10"));
}

TEST_F(SlaClockTest, GeneralDefectOneWorkingDayOnTheStatutoryCalendar) {
  auto r = Eval({{SlaEvent::Created(At("2026-10-09 16:00"), Grade::general_defect)}},
                At("2026-10-09 16:00"));
  EXPECT_EQ(Find(r, M::respond)->due, At("2026-10-10 16:00"));
}

TEST_F(SlaClockTest, FeedbackAndComplaintClocks) {
  auto r = Eval({{SlaEvent::Created(At("2026-03-04 10:00"), Grade::complaint)}},
                At("2026-03-04 10:00"));
  EXPECT_EQ(Find(r, M::acknowledge)->due, At("2026-03-04 11:00"));
  EXPECT_EQ(Find(r, M::first_opinion)->due, At("2026-03-05 10:00"));
}

TEST_F(SlaClockTest, PauseStopsOnlyTheClocksThatThePolicySays) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
               SlaEvent::Paused(At("2026-03-04 11:00"), PauseReason::waiting_customer),
               SlaEvent::Resumed(At("2026-03-04 13:00"))}};
  auto r = Eval(in, At("2026-03-04 14:00"));
  EXPECT_EQ(Find(r, M::respond)->due, At("2026-03-04 12:00"));  // contact is not paused
  EXPECT_EQ(Find(r, M::respond)->status, MilestoneStatus::breached);
  const auto* arrive = Find(r, M::arrive_on_site);
  EXPECT_EQ(arrive->due, At("2026-03-04 20:00"));
  EXPECT_EQ(arrive->paused, 2h);
  EXPECT_EQ(arrive->used, 2h);
  EXPECT_EQ(arrive->remaining, 6h);
  // Waiting for parts does not stop the arrival clock.
  SlaInput parts{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
                  SlaEvent::Paused(At("2026-03-04 11:00"), PauseReason::waiting_parts),
                  SlaEvent::Resumed(At("2026-03-04 13:00"))}};
  EXPECT_EQ(Find(Eval(parts, At("2026-03-04 14:00")), M::arrive_on_site)->due, At("2026-03-04 18:00"));
}

TEST_F(SlaClockTest, OpenPauseHoldsDueAndAlerts) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
               SlaEvent::Paused(At("2026-03-04 11:00"), PauseReason::waiting_customer)}};
  auto r = Eval(in, At("2026-03-05 10:00"));
  EXPECT_TRUE(r.paused);
  EXPECT_EQ(r.pause_reason, PauseReason::waiting_customer);
  const auto* arrive = Find(r, M::arrive_on_site);
  EXPECT_TRUE(arrive->is_paused);
  EXPECT_FALSE(arrive->due.has_value());
  EXPECT_EQ(arrive->status, MilestoneStatus::pending);
  EXPECT_EQ(arrive->used, 1h);
  EXPECT_EQ(arrive->paused, 23h);
  // 75 % of 8 h = 6 h; only 1 h was used before the pause.
  for (const auto& a : arrive->alerts) EXPECT_EQ(a.state, AlertState::on_hold);
  // Resuming the next morning: 7 h left.
  in.history.push_back(SlaEvent::Resumed(At("2026-03-05 10:00")));
  EXPECT_EQ(Find(Eval(in, At("2026-03-05 10:00")), M::arrive_on_site)->due, At("2026-03-05 17:00"));
}

TEST_F(SlaClockTest, WarningsAndEscalations) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::emergency)}};
  auto r = Eval(in, At("2026-03-04 10:25"));
  const auto* respond = Find(r, M::respond);  // 30 min
  ASSERT_EQ(respond->alerts.size(), 3u);
  EXPECT_EQ(respond->alerts[0].at, At("2026-03-04 10:22:30"));
  EXPECT_EQ(respond->alerts[0].state, AlertState::fired);
  EXPECT_EQ(respond->alerts[0].step.notify_role, "assignee");
  EXPECT_EQ(respond->alerts[1].at, At("2026-03-04 10:30"));
  EXPECT_EQ(respond->alerts[1].state, AlertState::scheduled);
  EXPECT_EQ(respond->alerts[1].step.notify_role, "service_manager");
  EXPECT_EQ(respond->alerts[2].at, At("2026-03-04 10:45"));
  EXPECT_EQ(respond->alerts[2].step.level, 2);
  EXPECT_EQ(r.next_alert_at, At("2026-03-04 10:30"));  // acknowledge 150 % = 10:07:30 already fired
  // Reached before the escalation: cancelled.
  in.history.push_back(SlaEvent::Reached(At("2026-03-04 10:28"), M::respond));
  auto r2 = Eval(in, At("2026-03-04 11:00"));
  EXPECT_EQ(Find(r2, M::respond)->alerts[1].state, AlertState::cancelled);
  EXPECT_EQ(Find(r2, M::respond)->status, MilestoneStatus::met);
}

TEST_F(SlaClockTest, CustomAlertStepsFromAnOverride) {
  PolicyOverride tier{"gold", {}, std::vector<AlertStep>{{50, 0, "assignee"}, {100, 1, "service_manager"}}};
  policy_ = ResolvePolicy(DefaultPolicy(), &tier, nullptr);
  auto r = Eval({{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple)}}, At("2026-03-04 10:00"));
  EXPECT_EQ(Find(r, M::respond)->alerts.size(), 2u);
  EXPECT_EQ(Find(r, M::respond)->alerts[0].at, At("2026-03-04 11:00"));
}

// The grade-change rule: the new target applies from the original start,
// consumed time and pauses are kept, a milestone already met stays met.
TEST_F(SlaClockTest, UpgradeAppliesNewTargetFromOriginalStart) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
               SlaEvent::Reached(At("2026-03-04 10:50"), M::respond),
               SlaEvent::GradeChanged(At("2026-03-04 11:00"), Grade::emergency)}};
  auto r = Eval(in, At("2026-03-04 11:00"));
  EXPECT_EQ(r.grade, Grade::emergency);
  // Respond was met under "simple" (2 h) though emergency allows 30 min.
  EXPECT_EQ(Find(r, M::respond)->status, MilestoneStatus::met);
  EXPECT_EQ(Find(r, M::respond)->judged_grade, Grade::simple);
  EXPECT_EQ(Find(r, M::arrive_on_site)->due, At("2026-03-04 16:00"));  // 6 h from 10:00
  EXPECT_EQ(Find(r, M::resolve)->due, At("2026-03-06 10:00"));
  // Acknowledge (5 min) did not exist for "simple"; from the start it is already late.
  EXPECT_EQ(Find(r, M::acknowledge)->status, MilestoneStatus::breached);
}

TEST_F(SlaClockTest, MilestoneReachedAfterUpgradeIsJudgedByNewGrade) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
               SlaEvent::GradeChanged(At("2026-03-04 10:20"), Grade::emergency),
               SlaEvent::Reached(At("2026-03-04 10:40"), M::respond)}};
  auto r = Eval(in, At("2026-03-04 11:00"));
  EXPECT_EQ(Find(r, M::respond)->judged_grade, Grade::emergency);
  EXPECT_EQ(Find(r, M::respond)->status, MilestoneStatus::breached);
}

TEST_F(SlaClockTest, DowngradeKeepsPausesAndConsumedTime) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::emergency),
               SlaEvent::Paused(At("2026-03-04 11:00"), PauseReason::waiting_customer),
               SlaEvent::Resumed(At("2026-03-04 12:00")),
               SlaEvent::GradeChanged(At("2026-03-04 12:30"), Grade::complex)}};
  auto r = Eval(in, At("2026-03-04 13:00"));
  const auto* arrive = Find(r, M::arrive_on_site);
  EXPECT_EQ(arrive->due, At("2026-03-06 11:00"));  // 48 h + 1 h paused
  EXPECT_EQ(arrive->used, 2h);
  EXPECT_EQ(arrive->paused, 1h);
  EXPECT_EQ(Find(r, M::resolve), nullptr);  // complex has no resolve target by default
}

TEST_F(SlaClockTest, EndOfNthWorkingDayTarget) {
  PolicyOverride project{"p", {}, std::nullopt};
  project.rules[Grade::medium][M::resolve] = MilestoneRule{
      Target::EndOfWorkingDay(2), std::nullopt, std::string(kOnSiteCalendar), {PauseReason::waiting_parts}};
  policy_ = ResolvePolicy(DefaultPolicy(), nullptr, &project);
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::medium)}};  // Wednesday
  auto r = Eval(in, At("2026-03-04 10:00"));
  EXPECT_EQ(Find(r, M::resolve)->due, At("2026-03-06 17:00"));
  // Waiting one working hour for parts moves it by one working hour.
  in.history.push_back(SlaEvent::Paused(At("2026-03-04 15:00"), PauseReason::waiting_parts));
  in.history.push_back(SlaEvent::Resumed(At("2026-03-04 16:00")));
  EXPECT_EQ(Find(Eval(in, At("2026-03-04 16:00")), M::resolve)->due, At("2026-03-09 10:00"));
}

TEST_F(SlaClockTest, RejectsInvalidHistories) {
  auto t = At("2026-03-04 10:00");
  auto err = [&](SlaInput in) { return EvaluateSla(policy_, calendars_, in, t + 5h).error().code; };
  EXPECT_EQ(err({{}}), "invalid_sla_history");
  EXPECT_EQ(err({{SlaEvent::Resumed(t)}}), "invalid_sla_history");
  EXPECT_EQ(err({{SlaEvent::Created(t, Grade::simple), SlaEvent::Resumed(t + 1h)}}), "invalid_sla_history");
  EXPECT_EQ(err({{SlaEvent::Created(t, Grade::simple), SlaEvent::Paused(t + 1h, PauseReason::other),
                  SlaEvent::Paused(t + 2h, PauseReason::other)}}),
            "invalid_sla_history");
  EXPECT_EQ(err({{SlaEvent::Created(t, Grade::simple), SlaEvent::Reached(t - 1h, M::respond)}}),
            "invalid_sla_history");
  calendars_.erase(std::string(kHotlineCalendar));
  EXPECT_EQ(err({{SlaEvent::Created(t, Grade::simple)}}), "unknown_calendar");
}

TEST_F(SlaClockTest, EventsAfterNowAreIgnored) {
  SlaInput in{{SlaEvent::Created(At("2026-03-04 10:00"), Grade::simple),
               SlaEvent::Reached(At("2026-03-04 11:00"), M::respond)}};
  auto r = Eval(in, At("2026-03-04 10:30"));
  EXPECT_FALSE(Find(r, M::respond)->reached_at.has_value());
  EXPECT_EQ(Find(r, M::respond)->used, 30min);
}

}  // namespace
}  // namespace domain::sla
