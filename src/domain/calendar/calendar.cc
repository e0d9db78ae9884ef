#include "domain/calendar/calendar.h"

#include <algorithm>
#include <limits>

namespace domain::calendar {

namespace {
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max() / 4;
const std::vector<TimeOfDayInterval> kNoHours;

int YearOf(date::local_days d) { return int(date::year_month_day{d}.year()); }
date::local_days Jan1(int y) { return date::local_days{date::year{y} / 1 / 1}; }
}  // namespace

Result<Calendar> Calendar::Create(CalendarSpec spec) {
  if (spec.zone == nullptr) return Fail("invalid_calendar", "a calendar needs a time zone");
  if (auto s = spec.hours.Validate(); !s) return Fail(s.error());
  if (spec.precompute_from_year > spec.precompute_to_year || spec.precompute_from_year < 1900 ||
      spec.precompute_to_year > 2200)
    return Fail("invalid_calendar", "precomputed years must satisfy 1900 <= from <= to <= 2200");
  std::stable_sort(spec.special_days.begin(), spec.special_days.end(),
                   [](const auto& a, const auto& b) { return a.day < b.day; });
  for (size_t i = 1; i < spec.special_days.size(); ++i)
    if (spec.special_days[i].day == spec.special_days[i - 1].day)
      return Fail("invalid_calendar",
                  "date " + date::format("%F", spec.special_days[i].day) + " is listed twice");
  int from = spec.precompute_from_year, to = spec.precompute_to_year;
  for (const auto& s : spec.special_days) {
    from = std::min(from, YearOf(s.day));
    to = std::max(to, YearOf(s.day));
  }
  for (const auto& c : spec.closures) {
    if (c.last < c.first) return Fail("invalid_calendar", "closure ends before it starts");
    from = std::min(from, YearOf(c.first));
    to = std::max(to, YearOf(c.last));
  }
  // The same bounds for the widened range: a special day or closure dated 0001 or 9999 (a typo
  // in a holiday file) would otherwise precompute thousands of years (seconds, hundreds of MB).
  if (from < 1900 || to > 2200)
    return Fail("invalid_calendar", "special days and closures must lie in the years 1900 to 2200");
  spec.precompute_from_year = from;
  spec.precompute_to_year = to;
  Calendar cal(std::move(spec));
  cal.Precompute();
  return cal;
}

const std::vector<TimeOfDayInterval>& Calendar::LocalIntervals(date::local_days day) const {
  for (const auto& c : spec_.closures)
    if (day >= c.first && day <= c.last) return kNoHours;
  auto it = std::lower_bound(spec_.special_days.begin(), spec_.special_days.end(), day,
                             [](const SpecialDay& s, date::local_days d) { return s.day < d; });
  if (it != spec_.special_days.end() && it->day == day)
    return it->kind == DayKind::holiday ? kNoHours : spec_.hours.standard_day;
  return spec_.hours.days[date::weekday{day}.c_encoding()];
}

std::int64_t Calendar::DayStart(date::local_days day) const {
  return spec_.zone->to_sys(date::local_seconds{day}, date::choose::earliest)
      .time_since_epoch()
      .count();
}

// Converts a day's local intervals to UTC. Across a daylight-saving change a
// local time may not exist (mapped to the transition instant) or exist twice
// (begins take the earlier, ends the later reading, so no time is lost).
void Calendar::UtcIntervals(date::local_days day, std::vector<Interval>& out) const {
  out.clear();
  for (const auto& iv : LocalIntervals(day)) {
    auto b = spec_.zone->to_sys(date::local_seconds{day} + iv.begin, date::choose::earliest);
    auto e = spec_.zone->to_sys(date::local_seconds{day} + iv.end, date::choose::latest);
    if (e > b) out.push_back({b.time_since_epoch().count(), e.time_since_epoch().count()});
  }
}

void Calendar::Precompute() {
  weekly_total_ = spec_.hours.WeeklyTotal().count();
  first_day_ = Jan1(spec_.precompute_from_year);
  last_day_ = Jan1(spec_.precompute_to_year + 1);
  range_begin_ = DayStart(first_day_);
  range_end_ = DayStart(last_day_);
  std::vector<Interval> day_ivs;
  std::int64_t cum = 0;
  for (auto d = first_day_; d < last_day_; d += date::days{1}) {
    UtcIntervals(d, day_ivs);
    if (day_ivs.empty()) continue;
    working_days_.push_back({day_ivs.front().begin, day_ivs.back().end});
    for (const auto& iv : day_ivs) {
      if (!end_.empty() && end_.back() == iv.begin) {
        end_.back() = iv.end;  // merge 24:00 of one day with 00:00 of the next
        cum_end_.back() += iv.end - iv.begin;
      } else {
        begin_.push_back(iv.begin);
        end_.push_back(iv.end);
        cum_.push_back(cum);
        cum_end_.push_back(cum + (iv.end - iv.begin));
      }
      cum += iv.end - iv.begin;
    }
  }
}

// Walks forward from `from` (exclusive of `limit`) until `budget` working
// seconds are consumed. Used outside the precomputed range only, where no
// special days exist, so whole weeks without a UTC-offset change are skipped
// by weekly arithmetic.
Calendar::Walked Calendar::Walk(std::int64_t from, std::int64_t limit, std::int64_t budget) const {
  std::int64_t worked = 0;
  std::int64_t cur = from;
  date::local_days day = LocalDay(sys_seconds{seconds{from}});
  std::vector<Interval> ivs;
  while (cur < limit) {
    std::int64_t day_start = DayStart(day);
    if (cur <= day_start && budget - worked > weekly_total_ &&
        (day + date::days{7} <= first_day_ || day >= last_day_)) {
      std::int64_t week_end = DayStart(day + date::days{7});
      auto info = spec_.zone->get_info(sys_seconds{seconds{day_start}});
      if (week_end <= limit && info.end.time_since_epoch().count() >= week_end) {
        worked += weekly_total_;
        cur = week_end;
        day += date::days{7};
        continue;
      }
    }
    UtcIntervals(day, ivs);
    for (const auto& iv : ivs) {
      std::int64_t b = std::max(iv.begin, cur), e = std::min(iv.end, limit);
      if (e <= b) continue;
      if (worked + (e - b) >= budget) return {budget, b + (budget - worked)};
      worked += e - b;
    }
    day += date::days{1};
    cur = std::max(cur, DayStart(day));
  }
  return {worked, std::min(cur, limit)};
}

// Working seconds between range_begin_ and t (negative before the range).
std::int64_t Calendar::WorkBefore(std::int64_t t) const {
  if (t < range_begin_) return -Walk(t, range_begin_, kForever).worked;
  if (t >= range_end_) return cum_end_.empty() ? 0 : cum_end_.back() + Walk(range_end_, t, kForever).worked;
  size_t j = std::upper_bound(end_.begin(), end_.end(), t) - end_.begin();
  if (j == end_.size()) return cum_end_.empty() ? 0 : cum_end_.back();
  return cum_[j] + std::max<std::int64_t>(0, t - begin_[j]);
}

date::local_days Calendar::LocalDay(sys_seconds t) const {
  return date::floor<date::days>(spec_.zone->to_local(t));
}

bool Calendar::IsWorkingTime(sys_seconds t) const {
  std::int64_t x = t.time_since_epoch().count();
  if (InRange(x)) {
    size_t j = std::upper_bound(end_.begin(), end_.end(), x) - end_.begin();
    return j < end_.size() && begin_[j] <= x;
  }
  std::vector<Interval> ivs;
  UtcIntervals(LocalDay(t), ivs);
  for (const auto& iv : ivs)
    if (iv.begin <= x && x < iv.end) return true;
  return false;
}

sys_seconds Calendar::NextWorkingInstant(sys_seconds t) const {
  std::int64_t x = t.time_since_epoch().count();
  if (InRange(x)) {
    size_t j = std::upper_bound(end_.begin(), end_.end(), x) - end_.begin();
    if (j < end_.size()) return sys_seconds{seconds{std::max(x, begin_[j])}};
    x = range_end_;
  }
  // The first working second at or after x ends one second after it starts.
  return sys_seconds{seconds{Walk(x, kForever, 1).at - 1}};
}

sys_seconds Calendar::Add(sys_seconds t, seconds d) const {
  std::int64_t x = t.time_since_epoch().count();
  std::int64_t dur = d.count();
  if (dur <= 0) return t;
  if (x >= range_end_) return sys_seconds{seconds{Walk(x, kForever, dur).at}};
  std::int64_t target = WorkBefore(x) + dur;
  if (target <= 0) return sys_seconds{seconds{Walk(x, kForever, dur).at}};
  std::int64_t total = cum_end_.empty() ? 0 : cum_end_.back();
  if (target > total) return sys_seconds{seconds{Walk(range_end_, kForever, target - total).at}};
  size_t j = std::lower_bound(cum_end_.begin(), cum_end_.end(), target) - cum_end_.begin();
  return sys_seconds{seconds{begin_[j] + (target - cum_[j])}};
}

seconds Calendar::Between(sys_seconds a, sys_seconds b) const {
  if (b < a) return -Between(b, a);
  std::int64_t x = a.time_since_epoch().count(), y = b.time_since_epoch().count();
  // Both on the same side outside the range: walk directly, not from the edge.
  if ((y <= range_begin_) || (x >= range_end_)) return seconds{Walk(x, y, kForever).worked};
  return seconds{WorkBefore(y) - WorkBefore(x)};
}

sys_seconds Calendar::EndOfNthWorkingDay(sys_seconds t, int n) const {
  if (n < 1) n = 1;
  std::int64_t s = NextWorkingInstant(t).time_since_epoch().count();
  if (InRange(s) && !working_days_.empty()) {
    size_t k = std::upper_bound(working_days_.begin(), working_days_.end(), s,
                                [](std::int64_t v, const WorkingDay& w) { return v < w.first_begin; }) -
               working_days_.begin();
    // k - 1 is the working day containing s (s is a working instant).
    size_t day1 = (k > 0 && working_days_[k - 1].first_begin == s) ? k - 1 : k;
    size_t idx = day1 + size_t(n - 1);
    if (idx < working_days_.size()) return sys_seconds{seconds{working_days_[idx].last_end}};
  }
  // Outside the range: count working days one by one (n is small).
  date::local_days day = LocalDay(sys_seconds{seconds{s}});
  std::vector<Interval> ivs;
  int counted = 0;
  for (bool first = true;; first = false, day += date::days{1}) {
    UtcIntervals(day, ivs);
    if (ivs.empty()) continue;
    if (first && ivs.front().begin != s) continue;  // started mid-day: not a full day
    if (++counted == n) return sys_seconds{seconds{ivs.back().end}};
  }
}

bool Calendar::IsWorkingDay(date::local_days day) const {
  std::vector<Interval> ivs;
  UtcIntervals(day, ivs);
  return !ivs.empty();
}

}  // namespace domain::calendar
