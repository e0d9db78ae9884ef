// Helpers shared by the domain tests: readable instants and ready calendars.
// Test-only (included from *_test.cc files and the benchmark).
#pragma once

#include <cstdio>
#include <string>

#include <date/date.h>
#include <date/tz.h>

#include "domain/calendar/builtin_calendars.h"
#include "domain/calendar/calendar.h"

namespace domain::calendar::test {

// Local wall-clock time "YYYY-MM-DD HH:MM[:SS]" in `zone`, as a UTC instant.
inline std::chrono::sys_seconds Local(const char* zone, const std::string& s) {
  // sscanf rather than date::parse: the latter trips -Wmaybe-uninitialized in g++ 12.
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec);
  auto day = date::local_days{date::year{y} / mo / d};
  auto ls = date::local_seconds{day} + std::chrono::hours{h} + std::chrono::minutes{mi} +
            std::chrono::seconds{sec};
  return date::locate_zone(zone)->to_sys(ls, date::choose::earliest);
}

// Shanghai wall-clock time as a UTC instant.
inline std::chrono::sys_seconds At(const std::string& s) { return Local("Asia/Shanghai", s); }

inline Calendar Make(const char* zone, WeeklyHours hours, bool statutory = true) {
  CalendarSpec spec;
  spec.zone = date::locate_zone(zone);
  spec.hours = std::move(hours);
  if (statutory) spec.special_days = CnStatutorySpecialDays();
  return Calendar::Create(std::move(spec)).value();
}

// 5×8 (09:00–17:00) on the Chinese statutory calendar, Asia/Shanghai.
inline Calendar FiveByEight() {
  return Make("Asia/Shanghai", WeeklyHours::MondayToFriday({{Hm(9), Hm(17)}}));
}

inline Calendar AllDay(const char* zone) { return Make(zone, WeeklyHours::AllDay(), false); }

}  // namespace domain::calendar::test
