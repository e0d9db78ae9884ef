// Holiday CSV text → ParseSpecialDaysCsv (the parser the embedded statutory calendar goes
// through, and admins' later years will) → Calendar::Create → working-time arithmetic around the
// days it listed, checked against the properties calendar.h promises:
//   NextWorkingInstant(t) >= t and is working time (== t when t is);
//   Add(t, d) >= t and Between(t, Add(t, d)) == d == -Between(Add(t, d), t);
//   EndOfNthWorkingDay(t, n) >= t and ends a working day;
//   the parsed days written back as CSV parse to the same days.
// The input's size picks the working hours (7×24, 5×8, split day) and the zone (Shanghai, or
// Berlin with daylight saving), so that the CSV itself stays plain text for the mutator.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/calendar/calendar.h"
#include "domain/calendar/special_days.h"

using namespace domain::calendar;
using std::chrono::hours;
using std::chrono::seconds;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

std::string at(sys_seconds t) { return date::format("%F %T UTC", t); }

void check_instant(const Calendar& cal, sys_seconds t) {
  const bool working = cal.IsWorkingTime(t);
  const sys_seconds next = cal.NextWorkingInstant(t);
  if (next < t) finding("NextWorkingInstant went back from " + at(t));
  if (!cal.IsWorkingTime(next)) finding("NextWorkingInstant(" + at(t) + ") = " + at(next) + " is not working time");
  if (working && next != t) finding("NextWorkingInstant moved a working instant " + at(t));
  for (seconds d : {seconds(0), seconds(1), seconds(hours(1)), seconds(hours(8)), 3 * cal.WorkingDayLength()}) {
    const sys_seconds s = cal.Add(t, d);
    if (s < t) finding("Add went back from " + at(t));
    if (cal.Between(t, s) != d) finding("Between(t, Add(t, d)) != d at " + at(t) + " d=" + std::to_string(d.count()));
    if (cal.Between(s, t) != -d) finding("Between(Add(t, d), t) != -d at " + at(t));
  }
  for (int n : {1, 2, 5}) {
    const sys_seconds e = cal.EndOfNthWorkingDay(t, n);
    if (e < t) finding("EndOfNthWorkingDay went back from " + at(t));
    if (!cal.IsWorkingDay(cal.LocalDay(e - seconds(1))))
      finding("EndOfNthWorkingDay(" + at(t) + ", " + std::to_string(n) + ") = " + at(e) + " ends no working day");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParseSpecialDaysCsv(text);
  if (!parsed) {
    if (parsed.error().code != "invalid_calendar_csv" || parsed.error().message.empty())
      finding("unexpected parse error " + parsed.error().code);
    return 0;
  }
  const auto& days = *parsed;
  for (size_t i = 1; i < days.size(); ++i)
    if (!(days[i - 1].day < days[i].day)) finding("parsed days not sorted and unique");

  // Written back and parsed again: the same days.
  std::string csv = "date,kind,name\n";
  for (const auto& d : days) csv += date::format("%F", d.day) + "," + std::string(ToString(d.kind)) + "," + d.name + "\n";
  auto again = ParseSpecialDaysCsv(csv);
  if (!again) finding("the days written back do not parse: " + again.error().message);
  if (*again != days) {
    for (size_t i = 0; i < std::min(days.size(), again->size()); ++i)
      if (!(days[i] == (*again)[i]))
        finding("CSV round trip changed day " + std::to_string(i) + ": '" + date::format("%F", days[i].day) + "," +
                std::string(ToString(days[i].kind)) + "," + days[i].name + "' became '" +
                date::format("%F", (*again)[i].day) + "," + std::string(ToString((*again)[i].kind)) + "," +
                (*again)[i].name + "'");
    finding("CSV round trip changed the number of days");
  }

  CalendarSpec spec;
  static const date::time_zone* shanghai = date::locate_zone("Asia/Shanghai");
  static const date::time_zone* berlin = date::locate_zone("Europe/Berlin");
  spec.zone = (size / 3) % 2 ? berlin : shanghai;
  switch (size % 3) {
    case 0: spec.hours = WeeklyHours::AllDay(); break;
    case 1: spec.hours = WeeklyHours::MondayToFriday({{Hm(9), Hm(17)}}); break;
    default: spec.hours = WeeklyHours::MondayToFriday({{Hm(9), Hm(12)}, {Hm(13, 30), Hm(18)}}); break;
  }
  spec.special_days = days;
  // Precompute only the years the data names (widened by Create); outside them the calendar
  // runs its weekly fallback, which the checks below reach too.
  int year = days.empty() ? 2025 : int(date::year_month_day{days.front().day}.year());
  if (year < 1900 || year > 2200) year = 2025;
  spec.precompute_from_year = spec.precompute_to_year = year;
  auto cal = Calendar::Create(std::move(spec));
  if (!cal) return 0;
  // Create keeps the precomputed years within 1900–2200 (they cost memory and time per year).
  if (cal->spec().precompute_from_year < 1900 || cal->spec().precompute_to_year > 2200)
    finding("precomputed years " + std::to_string(cal->spec().precompute_from_year) + "–" +
            std::to_string(cal->spec().precompute_to_year));

  size_t checked = 0;
  for (const auto& d : days) {
    if (++checked > 6) break;
    const date::local_seconds morning = date::local_seconds{d.day} + hours(10);
    check_instant(*cal, cal->zone()->to_sys(morning, date::choose::earliest));
    check_instant(*cal, cal->zone()->to_sys(date::local_seconds{d.day} - seconds(1), date::choose::earliest));
  }
  check_instant(*cal, sys_seconds{seconds(1795397400)});  // 2026-11-23 09:30 Shanghai
  return 0;
}
