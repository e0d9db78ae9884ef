// Calendar data compiled into the library, so that a fresh installation
// knows the Chinese statutory calendar without any file or database.
#pragma once

#include <string_view>
#include <vector>

#include "domain/calendar/special_days.h"

namespace domain::calendar {

// The text of data/calendars/cn-statutory-holidays.csv as it was at build
// time (embedded by CMake). Never empty.
std::string_view CnStatutoryHolidaysCsv();

// The parsed built-in Chinese statutory holidays and make-up working days.
// Parsing the embedded text cannot fail in a correct build; a test guards it.
std::vector<SpecialDay> CnStatutorySpecialDays();

}  // namespace domain::calendar
