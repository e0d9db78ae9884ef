#include "common/clock.h"

#include <date/date.h>
#include <gtest/gtest.h>

#include <random>

namespace aftersales {
namespace {

TEST(FormatIso8601, MatchesTheCalendarLibraryEverywhere) {
  // The hand-written formatter must agree with date::format, including before 1970, at day,
  // month and leap-year boundaries and for every millisecond value.
  auto reference = [](Millis ms) {
    return date::format("%FT%TZ", date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms)));
  };
  for (Millis ms : {Millis{0}, Millis{-1}, Millis{999}, Millis{-86'400'000}, Millis{951'782'400'000} /* 2000-02-29 */,
                    Millis{1'798'761'599'999} /* 2026-12-31T23:59:59.999 */, Millis{253'402'300'799'999}})
    EXPECT_EQ(format_iso8601(ms), reference(ms)) << ms;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<Millis> any(-2'000'000'000'000, 4'000'000'000'000);
  for (int i = 0; i < 20000; ++i) {
    const Millis ms = any(rng);
    ASSERT_EQ(format_iso8601(ms), reference(ms)) << ms;
  }
  EXPECT_EQ(format_iso8601(1'790'451'720'123), "2026-09-26T19:42:00.123Z");
}

TEST(FormatIso8601, RoundTripsThroughTheParser) {
  Millis back = 0;
  ASSERT_TRUE(parse_iso8601(format_iso8601(1'790'451'720'123), &back));
  EXPECT_EQ(back, 1'790'451'720'123);
}

}  // namespace
}  // namespace aftersales
