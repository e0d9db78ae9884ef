#include "domain/calendar/special_days.h"

#include <algorithm>
#include <charconv>

namespace domain::calendar {

std::optional<DayKind> ParseDayKind(std::string_view s) {
  if (s == "holiday") return DayKind::holiday;
  if (s == "workday") return DayKind::workday;
  return std::nullopt;
}

std::string_view ToString(DayKind k) {
  return k == DayKind::holiday ? "holiday" : "workday";
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Digits only: from_chars would also take a sign ("-026-02-18" was read as the year -26).
bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// YYYY-MM-DD, strictly.
std::optional<date::local_days> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y, m, d;
  if (!ParseInt(s.substr(0, 4), y) || !ParseInt(s.substr(5, 2), m) || !ParseInt(s.substr(8, 2), d))
    return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month(static_cast<unsigned>(m)),
                           date::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return date::local_days{ymd};
}

Unexpected<Error> LineError(int line, std::string_view what) {
  return Fail("invalid_calendar_csv", "line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

Result<std::vector<SpecialDay>> ParseSpecialDaysCsv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<SpecialDay> out;
  bool header_seen = false;
  int line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (!header_seen) {
      header_seen = true;
      if (line.starts_with("date,")) continue;  // the header is optional
    }
    auto c1 = line.find(',');
    if (c1 == std::string_view::npos) return LineError(line_no, "expected date,kind,name");
    auto c2 = line.find(',', c1 + 1);
    std::string_view date_s = Trim(line.substr(0, c1));
    std::string_view kind_s = Trim(line.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1));
    std::string_view name_s = c2 == std::string_view::npos ? std::string_view{} : Trim(line.substr(c2 + 1));
    auto day = ParseDate(date_s);
    if (!day) return LineError(line_no, "bad date '" + std::string(date_s) + "' (want YYYY-MM-DD)");
    auto kind = ParseDayKind(kind_s);
    if (!kind) return LineError(line_no, "bad kind '" + std::string(kind_s) + "' (want holiday|workday)");
    out.push_back({*day, *kind, std::string(name_s)});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].day == out[i - 1].day)
      return Fail("invalid_calendar_csv", "date " + date::format("%F", out[i].day) + " is listed twice");
  return out;
}

}  // namespace domain::calendar
