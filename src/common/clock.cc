#include "common/clock.h"

#include <date/date.h>

#include <cstdio>
#include <sstream>

namespace aftersales {

std::string format_iso8601(Millis ms) {
  // Hand-formatted: every API response carries dozens of times, and date::format goes through
  // an ostringstream (it was an eighth of the time of a request's detail view).
  const auto tp = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms));
  const auto day = date::floor<date::days>(tp);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::milliseconds> hms(tp - day);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return date::format("%FT%TZ", tp);
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return out;
}

bool parse_iso8601(const std::string& text, Millis* out) {
  if (text.size() < 20 || text.size() > 40) return false;
  date::sys_time<std::chrono::milliseconds> tp;
  {
    std::istringstream in(text);
    in >> date::parse("%FT%T%Ez", tp);
    if (!in.fail() && in.peek() == EOF) {
      *out = tp.time_since_epoch().count();
      return true;
    }
  }
  {
    std::istringstream in(text);
    in >> date::parse("%FT%TZ", tp);
    if (!in.fail() && in.peek() == EOF) {
      *out = tp.time_since_epoch().count();
      return true;
    }
  }
  return false;
}

bool is_valid_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)),
      d = std::stoi(text.substr(8, 2));
  auto ymd = date::year(y) / date::month(m) / date::day(d);
  return ymd.ok() && y >= 1900 && y <= 2200;
}

}  // namespace aftersales
