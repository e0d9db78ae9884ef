// A working-time calendar: a time zone, weekly working hours, public holidays
// and make-up working days, and company closures. All operations are exact to
// the second, take and return UTC instants, and never read the clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "domain/calendar/special_days.h"
#include "domain/calendar/working_hours.h"
#include "domain/result.h"

namespace domain::calendar {

using std::chrono::seconds;
using std::chrono::sys_seconds;

struct CalendarSpec {
  std::string name;
  // Required; obtained by the caller with date::locate_zone (e.g. "Asia/Shanghai").
  const date::time_zone* zone = nullptr;
  WeeklyHours hours = WeeklyHours::AllDay();
  std::vector<SpecialDay> special_days;  // holidays and make-up working days
  std::vector<Closure> closures;         // company closures, on top
  // Local years precomputed for O(log n) lookups; widened automatically to
  // cover every special day and closure. Outside it the calendar falls back to
  // weekly arithmetic (whole weeks skipped at once), which is exact too.
  int precompute_from_year = 2020;
  int precompute_to_year = 2040;
};

// Immutable after Create; cheap to share by const reference across threads.
class Calendar {
 public:
  // Validates the spec and precomputes the working intervals of its range.
  // Errors: "invalid_calendar" (no zone, bad range, special day listed twice,
  // closure with last < first, a special day or closure outside 1900–2200) or
  // "invalid_working_hours".
  static Result<Calendar> Create(CalendarSpec spec);

  const std::string& name() const { return spec_.name; }
  const date::time_zone* zone() const { return spec_.zone; }
  const CalendarSpec& spec() const { return spec_; }

  // True when `t` lies inside working time (interval begins are inclusive,
  // ends exclusive: 17:00 on a 09:00–17:00 day is not working time).
  bool IsWorkingTime(sys_seconds t) const;

  // `t` itself when it is working time, else the start of the next working
  // interval. Always terminates: a valid calendar has working time every week.
  sys_seconds NextWorkingInstant(sys_seconds t) const;

  // The earliest instant s >= t such that Between(t, s) == d. A result that
  // exhausts a working interval is that interval's end (16:00 + 1 h on a
  // 09:00–17:00 day is 17:00 that day, not 09:00 the next). Add(t, 0) == t;
  // negative durations count as 0.
  sys_seconds Add(sys_seconds t, seconds d) const;

  // Working time in [a, b); negative (−Between(b, a)) when b < a.
  seconds Between(sys_seconds a, sys_seconds b) const;

  // The end of the n-th working day (n >= 1) counted from `t`. The day of `t`
  // counts as day 1 only when `t` is at or before that day's first working
  // instant (a full working day is still ahead); otherwise day 1 is the next
  // working day. n < 1 is treated as 1.
  sys_seconds EndOfNthWorkingDay(sys_seconds t, int n) const;

  // Working time of the standard day: what "1 working day" means as a
  // duration (8 h on 09:00–17:00, 24 h on 7×24).
  seconds WorkingDayLength() const { return spec_.hours.StandardDayLength(); }

  // True when the local date has any working time (holidays and closures
  // considered).
  bool IsWorkingDay(date::local_days day) const;

  // The local date of an instant in this calendar's zone.
  date::local_days LocalDay(sys_seconds t) const;

 private:
  struct Interval {
    std::int64_t begin, end;
  };
  struct WorkingDay {
    std::int64_t first_begin, last_end;
  };
  struct Walked {
    std::int64_t worked, at;
  };

  explicit Calendar(CalendarSpec spec) : spec_(std::move(spec)) {}
  void Precompute();

  const std::vector<TimeOfDayInterval>& LocalIntervals(date::local_days day) const;
  void UtcIntervals(date::local_days day, std::vector<Interval>& out) const;
  std::int64_t DayStart(date::local_days day) const;
  std::int64_t WorkBefore(std::int64_t t) const;
  Walked Walk(std::int64_t from, std::int64_t limit, std::int64_t budget) const;
  bool InRange(std::int64_t t) const { return t >= range_begin_ && t < range_end_; }

  CalendarSpec spec_;
  date::local_days first_day_{}, last_day_{};  // precomputed local days [first, last)
  std::int64_t range_begin_ = 0, range_end_ = 0;  // their UTC span
  std::int64_t weekly_total_ = 0;
  // Merged working intervals of the range, and the working seconds before each
  // (cum_) and up to its end (cum_end_), counted from range_begin_.
  std::vector<std::int64_t> begin_, end_, cum_, cum_end_;
  std::vector<WorkingDay> working_days_;
};

}  // namespace domain::calendar
