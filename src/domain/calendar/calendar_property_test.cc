// Property tests: for random instants and durations, on several calendars,
// Add and Between are inverse, Add is monotonic and Add composes.
#include <random>

#include <gtest/gtest.h>

#include "domain/calendar/calendar.h"
#include "domain/calendar/test_support.h"

namespace domain::calendar {
namespace {

using namespace std::chrono_literals;

struct Case {
  const char* name;
  Calendar cal;
};

std::vector<Case> Calendars() {
  std::vector<Case> out;
  out.push_back({"5x8 statutory", test::FiveByEight()});
  out.push_back({"split day statutory",
                 test::Make("Asia/Shanghai",
                            WeeklyHours::MondayToFriday({{Hm(9), Hm(12)}, {Hm(13, 30), Hm(18)}}))});
  out.push_back({"7x24 Shanghai", test::AllDay("Asia/Shanghai")});
  out.push_back({"7x24 Berlin", test::AllDay("Europe/Berlin")});
  WeeklyHours night;  // crosses Berlin's DST hour
  for (auto& d : night.days) d = {{Hm(0), Hm(3)}, {Hm(22), Hm(24)}};
  night.standard_day = {{Hm(0), Hm(3)}, {Hm(22), Hm(24)}};
  out.push_back({"night shift Berlin", test::Make("Europe/Berlin", night, false)});
  return out;
}

TEST(CalendarPropertyTest, AddBetweenInverseMonotonicAndComposable) {
  std::mt19937_64 rng(20260930);
  // Instants from 2018 to 2043: inside the precomputed range and on both sides.
  const std::int64_t lo = test::At("2018-06-01 00:00").time_since_epoch().count();
  const std::int64_t hi = test::At("2043-06-01 00:00").time_since_epoch().count();
  std::uniform_int_distribution<std::int64_t> instant(lo, hi);
  std::uniform_int_distribution<std::int64_t> small(0, 40 * 3600);
  std::uniform_int_distribution<std::int64_t> large(0, 400LL * 8 * 3600);
  for (const auto& c : Calendars()) {
    SCOPED_TRACE(c.name);
    for (int i = 0; i < 3000; ++i) {
      sys_seconds t{seconds{instant(rng)}};
      seconds a{i % 4 == 0 ? large(rng) : small(rng)};
      seconds b{small(rng)};
      auto ta = c.cal.Add(t, a);
      ASSERT_GE(ta, t);
      ASSERT_EQ(c.cal.Between(t, ta), a) << "t=" << t.time_since_epoch().count() << " a=" << a.count();
      ASSERT_EQ(c.cal.Add(ta, b), c.cal.Add(t, a + b)) << "t=" << t.time_since_epoch().count();
      ASSERT_LE(c.cal.Add(t, std::min(a, b)), c.cal.Add(t, std::max(a, b)));
      // Between is additive over any split point.
      sys_seconds u{seconds{instant(rng)}};
      ASSERT_EQ(c.cal.Between(t, u) + c.cal.Between(u, ta), c.cal.Between(t, ta));
      // NextWorkingInstant is working time and skips no working time.
      auto n = c.cal.NextWorkingInstant(t);
      ASSERT_TRUE(c.cal.IsWorkingTime(n));
      ASSERT_EQ(c.cal.Between(t, n), 0s);
    }
  }
}

}  // namespace
}  // namespace domain::calendar
