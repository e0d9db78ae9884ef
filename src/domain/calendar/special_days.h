// Public holidays and make-up working days (调休上班), and the parser of their
// CSV form. The parser is a pure function over text so that admins can load
// later years from the database or a file without rebuilding.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "domain/result.h"

namespace domain::calendar {

enum class DayKind {
  holiday,  // no working time, whatever the weekday
  workday,  // a make-up working day: standard working hours, even on a weekend
};

// "holiday" / "workday"; nullopt for anything else.
std::optional<DayKind> ParseDayKind(std::string_view s);
std::string_view ToString(DayKind k);

struct SpecialDay {
  date::local_days day;
  DayKind kind;
  std::string name;  // e.g. 春节, 国庆节调休上班

  friend bool operator==(const SpecialDay&, const SpecialDay&) = default;
};

// A company closure (e.g. an annual shutdown), inclusive local dates, applied
// on top of the statutory calendar: no working time on those days.
struct Closure {
  date::local_days first;
  date::local_days last;
  std::string reason;
};

// Parses CSV text with the header `date,kind,name` (date = YYYY-MM-DD, kind =
// holiday|workday). Blank lines and lines starting with '#' are skipped, a
// UTF-8 BOM and CRLF line ends are tolerated. Returns the days sorted by date,
// or an error "invalid_calendar_csv" naming the first bad line (1-based).
// A date listed twice is an error.
Result<std::vector<SpecialDay>> ParseSpecialDaysCsv(std::string_view text);

}  // namespace domain::calendar
