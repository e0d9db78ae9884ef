#include "common/clock.h"

#include <date/date.h>

#include <sstream>

namespace aftersales {

std::string format_iso8601(Millis ms) {
  auto tp = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms));
  return date::format("%FT%TZ", tp);
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
