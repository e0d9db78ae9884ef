#include "domain/calendar/special_days.h"

#include <gtest/gtest.h>

#include "domain/calendar/builtin_calendars.h"

namespace domain::calendar {
namespace {

using date::local_days;
using date::year;

TEST(SpecialDaysTest, ParsesHeaderCommentsBomAndCrlf) {
  auto days = ParseSpecialDaysCsv(
      "\xEF\xBB\xBF" "date,kind,name\r\n# 2027 draft\r\n\r\n2027-02-06,holiday,春节\r\n"
      "2027-01-31,workday,春节调休上班\r\n");
  ASSERT_TRUE(days.ok()) << days.error().message;
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].day, local_days{year{2027} / 1 / 31});  // sorted
  EXPECT_EQ((*days)[0].kind, DayKind::workday);
  EXPECT_EQ((*days)[1].name, "春节");
}

TEST(SpecialDaysTest, NameIsOptional) {
  auto days = ParseSpecialDaysCsv("2027-05-01,holiday");
  ASSERT_TRUE(days.ok());
  EXPECT_EQ((*days)[0].name, "");
}

TEST(SpecialDaysTest, ReportsTheBadLine) {
  auto bad_date = ParseSpecialDaysCsv("date,kind,name\n2027-02-30,holiday,x\n");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().code, "invalid_calendar_csv");
  EXPECT_NE(bad_date.error().message.find("line 2"), std::string::npos);
  auto bad_kind = ParseSpecialDaysCsv("2027-02-01,vacation,x\n");
  EXPECT_NE(bad_kind.error().message.find("bad kind"), std::string::npos);
  EXPECT_FALSE(ParseSpecialDaysCsv("2027-2-1,holiday,x").ok());
  // Signs are not digits (found by fuzz/calendar_fuzzer: "-026" was read as the year -26).
  EXPECT_FALSE(ParseSpecialDaysCsv("-026-02-18,holiday,x").ok());
  EXPECT_FALSE(ParseSpecialDaysCsv("+026-02-18,holiday,x").ok());
  EXPECT_FALSE(ParseSpecialDaysCsv("just text").ok());
  auto dup = ParseSpecialDaysCsv("2027-02-01,holiday,a\n2027-02-01,workday,b\n");
  EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
}

TEST(SpecialDaysTest, BuiltinCalendarIsEmbeddedAndParses) {
  EXPECT_TRUE(CnStatutoryHolidaysCsv().starts_with("date,kind,name"));
  auto parsed = ParseSpecialDaysCsv(CnStatutoryHolidaysCsv());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto days = CnStatutorySpecialDays();
  EXPECT_EQ(days.size(), parsed->size());
  EXPECT_GT(days.size(), 60u);
  auto it = std::find_if(days.begin(), days.end(),
                         [](const SpecialDay& d) { return d.day == local_days{year{2026} / 10 / 10}; });
  ASSERT_NE(it, days.end());
  EXPECT_EQ(it->kind, DayKind::workday);
}

}  // namespace
}  // namespace domain::calendar
