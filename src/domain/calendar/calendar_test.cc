#include "domain/calendar/calendar.h"

#include <gtest/gtest.h>

#include "domain/calendar/builtin_calendars.h"
#include "domain/calendar/test_support.h"

namespace domain::calendar {
namespace {

using namespace std::chrono_literals;
using test::At;

TEST(CalendarTest, RejectsMissingZoneAndBadHours) {
  CalendarSpec spec;
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_calendar");
  spec.zone = date::locate_zone("Asia/Shanghai");
  spec.hours = WeeklyHours::MondayToFriday({{Hm(13), Hm(12)}});
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_working_hours");
  spec.hours = WeeklyHours::MondayToFriday({{Hm(9), Hm(12)}, {Hm(11), Hm(18)}});
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_working_hours");
  spec.hours = WeeklyHours{};
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_working_hours");
}

// Found by fuzz/calendar_fuzzer (fuzz/regressions/calendar/): two special days dated 0001 and
// 9999 made Create precompute ten thousand years.
TEST(CalendarTest, RejectsSpecialDaysOutsideTheSupportedYears) {
  auto days = ParseSpecialDaysCsv("0001-01-01,holiday,x\n9999-12-31,holiday,y\n");
  ASSERT_TRUE(days.ok());
  CalendarSpec spec;
  spec.zone = date::locate_zone("Asia/Shanghai");
  spec.special_days = *days;
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_calendar");
  spec.special_days.clear();
  spec.closures.push_back({date::local_days{date::year{2026} / 3 / 4}, date::local_days{date::year{2999} / 1 / 1}, "typo"});
  EXPECT_EQ(Calendar::Create(spec).error().code, "invalid_calendar");
}

TEST(CalendarTest, SevenByTwentyFourCountsEverySecond) {
  auto cal = test::AllDay("Asia/Shanghai");
  auto t = At("2026-02-15 02:10");  // a Spring Festival Sunday night
  EXPECT_TRUE(cal.IsWorkingTime(t));
  EXPECT_EQ(cal.Add(t, 30min), At("2026-02-15 02:40"));
  EXPECT_EQ(cal.Add(t, 48h), At("2026-02-17 02:10"));
  EXPECT_EQ(cal.Between(t, At("2026-02-17 02:10")), 48h);
  EXPECT_EQ(cal.WorkingDayLength(), 24h);
}

TEST(CalendarTest, FiveByEightWithinADayAndOvernight) {
  auto cal = test::FiveByEight();
  EXPECT_TRUE(cal.IsWorkingTime(At("2026-03-04 09:00")));
  EXPECT_FALSE(cal.IsWorkingTime(At("2026-03-04 17:00")));
  EXPECT_FALSE(cal.IsWorkingTime(At("2026-03-04 08:59:59")));
  EXPECT_EQ(cal.Add(At("2026-03-04 16:00"), 1h), At("2026-03-04 17:00"));
  EXPECT_EQ(cal.Add(At("2026-03-04 16:00"), 1h + 1s), At("2026-03-05 09:00:01"));
  EXPECT_EQ(cal.Add(At("2026-03-04 20:00"), 2h), At("2026-03-05 11:00"));
  EXPECT_EQ(cal.NextWorkingInstant(At("2026-03-04 20:00")), At("2026-03-05 09:00"));
  EXPECT_EQ(cal.NextWorkingInstant(At("2026-03-04 10:00")), At("2026-03-04 10:00"));
  // Friday evening to Monday morning: the weekend adds nothing.
  EXPECT_EQ(cal.Add(At("2026-03-06 16:30"), 1h), At("2026-03-09 09:30"));
  EXPECT_EQ(cal.Between(At("2026-03-06 16:30"), At("2026-03-09 09:30")), 1h);
  EXPECT_EQ(cal.Between(At("2026-03-09 09:30"), At("2026-03-06 16:30")), -1h);
  EXPECT_EQ(cal.WorkingDayLength(), 8h);
}

TEST(CalendarTest, SplitDayIntervals) {
  auto cal = test::Make("Asia/Shanghai",
                        WeeklyHours::MondayToFriday({{Hm(9), Hm(12)}, {Hm(13, 30), Hm(18)}}));
  EXPECT_FALSE(cal.IsWorkingTime(At("2026-03-04 12:30")));
  EXPECT_EQ(cal.Add(At("2026-03-04 11:00"), 2h), At("2026-03-04 14:30"));
  EXPECT_EQ(cal.Between(At("2026-03-04 00:00"), At("2026-03-05 00:00")), 7h + 30min);
  EXPECT_EQ(cal.NextWorkingInstant(At("2026-03-04 12:00")), At("2026-03-04 13:30"));
  EXPECT_EQ(cal.WorkingDayLength(), 7h + 30min);
}

// PRODUCT.md acceptance scenario 4, the clock part.
TEST(CalendarTest, Scenario4ConsultationOverNationalDay) {
  auto cal = test::FiveByEight();
  EXPECT_EQ(cal.Add(At("2026-09-30 16:00"), cal.WorkingDayLength()), At("2026-10-08 16:00"));
  // 10 October 2026 is a Saturday and a make-up working day.
  EXPECT_EQ(cal.Add(At("2026-10-09 16:00"), cal.WorkingDayLength()), At("2026-10-10 16:00"));
  EXPECT_TRUE(cal.IsWorkingDay(date::local_days{date::year{2026} / 10 / 10}));
  EXPECT_FALSE(cal.IsWorkingDay(date::local_days{date::year{2026} / 10 / 1}));
  EXPECT_FALSE(cal.IsWorkingDay(date::local_days{date::year{2026} / 10 / 11}));  // plain Sunday
}

TEST(CalendarTest, SpringFestival2026Edges) {
  auto cal = test::FiveByEight();
  // Sat 14 Feb is a make-up working day, 15–23 Feb are holidays (spanning two
  // weekends), Sat 28 Feb is a make-up day again.
  EXPECT_TRUE(cal.IsWorkingTime(At("2026-02-14 10:00")));
  EXPECT_FALSE(cal.IsWorkingTime(At("2026-02-16 10:00")));  // Monday, holiday
  EXPECT_FALSE(cal.IsWorkingTime(At("2026-02-23 10:00")));  // Monday, holiday
  EXPECT_EQ(cal.Add(At("2026-02-13 16:00"), 2h), At("2026-02-14 10:00"));
  EXPECT_EQ(cal.Add(At("2026-02-14 16:00"), 2h), At("2026-02-24 10:00"));
  EXPECT_EQ(cal.NextWorkingInstant(At("2026-02-14 17:00")), At("2026-02-24 09:00"));
  EXPECT_EQ(cal.Between(At("2026-02-14 00:00"), At("2026-02-25 00:00")), 8h * 2);
  // 24–27 Feb (Tue–Fri) plus make-up Saturday 28 Feb: five days of 8 h.
  EXPECT_EQ(cal.Between(At("2026-02-24 00:00"), At("2026-03-01 00:00")), 40h);
}

TEST(CalendarTest, YearEndAndNewYearHolidays) {
  auto cal = test::FiveByEight();
  // Wed 31 Dec 2025 → 1–3 Jan holidays → Sun 4 Jan 2026 make-up day.
  EXPECT_EQ(cal.Add(At("2025-12-31 16:00"), 2h), At("2026-01-04 10:00"));
  EXPECT_EQ(cal.Between(At("2025-12-31 16:00"), At("2026-01-04 10:00")), 2h);
  auto all = test::AllDay("Asia/Shanghai");
  EXPECT_EQ(all.Add(At("2025-12-31 23:30"), 1h), At("2026-01-01 00:30"));
}

TEST(CalendarTest, EndOfNthWorkingDay) {
  auto cal = test::FiveByEight();
  // Reported before opening: that day counts as day 1.
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-03-04 08:00"), 1), At("2026-03-04 17:00"));
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-03-04 09:00"), 1), At("2026-03-04 17:00"));
  // Reported during the day: the next working day is day 1.
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-03-04 10:00"), 1), At("2026-03-05 17:00"));
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-03-05 10:00"), 2), At("2026-03-09 17:00"));
  // Over the National Day holiday and onto the make-up Saturday.
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-09-30 16:00"), 1), At("2026-10-08 17:00"));
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2026-10-09 16:00"), 1), At("2026-10-10 17:00"));
  // Outside the precomputed range the fallback agrees.
  EXPECT_EQ(cal.EndOfNthWorkingDay(At("2070-03-05 10:00"), 2), At("2070-03-07 17:00"));  // Wed → Thu, Fri
}

TEST(CalendarTest, CompanyClosureOnTop) {
  CalendarSpec spec;
  spec.zone = date::locate_zone("Asia/Shanghai");
  spec.hours = WeeklyHours::MondayToFriday({{Hm(9), Hm(17)}});
  spec.special_days = CnStatutorySpecialDays();
  spec.closures.push_back({date::local_days{date::year{2026} / 3 / 4},
                           date::local_days{date::year{2026} / 3 / 5}, "annual shutdown"});
  auto cal = Calendar::Create(spec).value();
  EXPECT_EQ(cal.Add(At("2026-03-03 16:00"), 2h), At("2026-03-06 10:00"));
  EXPECT_FALSE(cal.IsWorkingDay(date::local_days{date::year{2026} / 3 / 4}));
}

// Europe/Berlin: 29 Mar 2026 02:00 → 03:00 (23-hour day), 25 Oct 2026
// 03:00 → 02:00 (25-hour day).
TEST(CalendarTest, DaylightSavingEuropeBerlin) {
  auto all = test::AllDay("Europe/Berlin");
  auto spring_midnight = test::Local("Europe/Berlin", "2026-03-29 00:00");
  auto next_midnight = test::Local("Europe/Berlin", "2026-03-30 00:00");
  EXPECT_EQ(all.Between(spring_midnight, next_midnight), 23h);
  auto autumn_midnight = test::Local("Europe/Berlin", "2026-10-25 00:00");
  EXPECT_EQ(all.Between(autumn_midnight, autumn_midnight + 25h), 25h);
  EXPECT_EQ(all.Add(autumn_midnight, 25h), test::Local("Europe/Berlin", "2026-10-26 00:00"));

  auto office = test::Make("Europe/Berlin", WeeklyHours::MondayToFriday({{Hm(9), Hm(17)}}), false);
  // Friday 16:00 CET + 2 h → Monday 10:00 CEST; 8 working hours in UTC terms.
  auto fri = test::Local("Europe/Berlin", "2026-03-27 16:00");
  auto mon = test::Local("Europe/Berlin", "2026-03-30 10:00");
  EXPECT_EQ(office.Add(fri, 2h), mon);
  EXPECT_EQ(office.Between(fri, mon), 2h);
  EXPECT_EQ(mon - fri, 65h);  // the wall-clock span lost an hour

  // A night shift 00:00–06:00 loses its 02:00–03:00 hour on the spring day.
  WeeklyHours night;
  for (auto& d : night.days) d = {{Hm(0), Hm(6)}};
  night.standard_day = {{Hm(0), Hm(6)}};
  auto shift = test::Make("Europe/Berlin", night, false);
  EXPECT_EQ(shift.Between(spring_midnight, next_midnight), 5h);
  EXPECT_EQ(shift.Between(autumn_midnight, autumn_midnight + 24h), 7h);
}

TEST(CalendarTest, FallbackOutsideRangeAgreesWithWeeklyArithmetic) {
  auto cal = test::FiveByEight();
  // 2070 is far outside the precomputed years: no holidays, plain weeks.
  auto mon = At("2070-03-03 09:00");  // a Monday
  ASSERT_EQ(date::weekday{cal.LocalDay(mon)}, date::Monday);
  EXPECT_EQ(cal.Add(mon, 40h * 10), At("2070-05-09 17:00"));
  EXPECT_EQ(cal.Between(mon, At("2070-05-09 17:00")), 40h * 10);
  EXPECT_EQ(cal.NextWorkingInstant(At("2070-03-08 12:00")), At("2070-03-10 09:00"));
  // Crossing from inside the range to outside it and back.
  auto inside = At("2040-12-28 10:00");
  auto far = cal.Add(inside, 8h * 300);
  EXPECT_EQ(cal.Between(inside, far), 8h * 300);
  auto before = At("2010-06-01 10:00");
  auto after = cal.Add(before, 8h * 5000);
  EXPECT_EQ(cal.Between(before, after), 8h * 5000);
}

TEST(CalendarTest, BerlinFallbackAcrossDstOutsideRange) {
  auto all = test::AllDay("Europe/Berlin");
  auto a = test::Local("Europe/Berlin", "2071-03-01 00:00");
  auto b = test::Local("Europe/Berlin", "2071-12-01 00:00");
  // Nine months of wall clock time, one hour lost in March and regained in October.
  EXPECT_EQ(all.Between(a, b), b - a);
  EXPECT_EQ(all.Add(a, b - a), b);
}

}  // namespace
}  // namespace domain::calendar
