#include "domain/calendar/working_hours.h"

#include <string>

namespace domain::calendar {

WeeklyHours WeeklyHours::AllDay() {
  WeeklyHours w;
  for (auto& d : w.days) d = {{Hm(0), Hm(24)}};
  w.standard_day = {{Hm(0), Hm(24)}};
  return w;
}

WeeklyHours WeeklyHours::MondayToFriday(std::vector<TimeOfDayInterval> intervals) {
  WeeklyHours w;
  for (int d = 1; d <= 5; ++d) w.days[d] = intervals;
  w.standard_day = std::move(intervals);
  return w;
}

namespace {
Status ValidateDay(const std::vector<TimeOfDayInterval>& day, const std::string& what) {
  std::chrono::seconds last{-1};
  for (const auto& iv : day) {
    if (iv.begin < Hm(0) || iv.end > Hm(24) || iv.begin >= iv.end)
      return Fail("invalid_working_hours", what + ": interval must satisfy 00:00 <= begin < end <= 24:00");
    if (iv.begin < last)
      return Fail("invalid_working_hours", what + ": intervals must be sorted and must not overlap");
    last = iv.end;
  }
  return {};
}
}  // namespace

Status WeeklyHours::Validate() const {
  static constexpr const char* kNames[] = {"sunday", "monday", "tuesday", "wednesday",
                                           "thursday", "friday", "saturday"};
  for (int d = 0; d < 7; ++d)
    if (auto s = ValidateDay(days[d], kNames[d]); !s) return s;
  if (auto s = ValidateDay(standard_day, "standard_day"); !s) return s;
  if (WeeklyTotal().count() == 0)
    return Fail("invalid_working_hours", "the week has no working time");
  if (StandardDayLength().count() == 0)
    return Fail("invalid_working_hours", "the standard working day has no working time");
  return {};
}

std::chrono::seconds WeeklyHours::WeeklyTotal() const {
  std::chrono::seconds total{0};
  for (const auto& d : days)
    for (const auto& iv : d) total += iv.end - iv.begin;
  return total;
}

std::chrono::seconds WeeklyHours::StandardDayLength() const {
  std::chrono::seconds total{0};
  for (const auto& iv : standard_day) total += iv.end - iv.begin;
  return total;
}

}  // namespace domain::calendar
