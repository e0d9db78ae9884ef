#include "domain/calendar/builtin_calendars.h"

namespace domain::calendar {

std::vector<SpecialDay> CnStatutorySpecialDays() {
  auto days = ParseSpecialDaysCsv(CnStatutoryHolidaysCsv());
  return days.ok() ? std::move(days).value() : std::vector<SpecialDay>{};
}

}  // namespace domain::calendar
