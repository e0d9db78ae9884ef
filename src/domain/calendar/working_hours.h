// Weekly working hours of a calendar: for each weekday, the intervals of the
// day that count as working time, in the calendar's local time.
#pragma once

#include <array>
#include <chrono>
#include <vector>

#include "domain/result.h"

namespace domain::calendar {

// A half-open interval [begin, end) of local time of day. end may be 24:00,
// meaning the start of the next local day.
struct TimeOfDayInterval {
  std::chrono::seconds begin;
  std::chrono::seconds end;

  friend bool operator==(const TimeOfDayInterval&, const TimeOfDayInterval&) = default;
};

// Builds a time of day; Hm(13, 30) is 13:30.
constexpr std::chrono::seconds Hm(int hours, int minutes = 0) {
  return std::chrono::hours{hours} + std::chrono::minutes{minutes};
}

// Working hours per weekday plus the hours of a make-up working day (调休上班),
// which falls on a weekend and follows a normal working day's hours.
struct WeeklyHours {
  // Indexed by date::weekday::c_encoding(): 0 = Sunday … 6 = Saturday.
  std::array<std::vector<TimeOfDayInterval>, 7> days;
  // Hours of a make-up working day; also the length of "one working day".
  std::vector<TimeOfDayInterval> standard_day;

  // Round the clock, every day (the hotline's 7×24). One working day = 24 h.
  static WeeklyHours AllDay();
  // Monday to Friday with the given intervals (e.g. 09:00–12:00 and
  // 13:30–18:00); Saturdays and Sundays off; make-up days use the same hours.
  static WeeklyHours MondayToFriday(std::vector<TimeOfDayInterval> intervals);

  // Checks that every day's intervals are sorted, non-empty, non-overlapping
  // and within [00:00, 24:00], and that the week has some working time.
  // Returns an error with code "invalid_working_hours" otherwise.
  Status Validate() const;

  // Total working seconds of the seven weekdays (ignoring holidays).
  std::chrono::seconds WeeklyTotal() const;
  // Working seconds of the standard day (the calendar's "1 working day").
  std::chrono::seconds StandardDayLength() const;
};

}  // namespace domain::calendar
