#include "jobs/backoff.h"

#include <gtest/gtest.h>

namespace aftersales::jobs {
namespace {

TEST(Backoff, DefaultScheduleGrowsAndRepeatsItsLastStep) {
  RetrySchedule s;
  s.jitter = 0;
  EXPECT_EQ(s.delay(1, 0.5), 30'000);
  EXPECT_EQ(s.delay(2, 0.5), 120'000);
  EXPECT_EQ(s.delay(3, 0.5), 600'000);
  EXPECT_EQ(s.delay(4, 0.5), 3'600'000);
  EXPECT_EQ(s.delay(7, 0.5), 12 * 3'600'000);
  EXPECT_EQ(s.delay(20, 0.5), 12 * 3'600'000);
  EXPECT_FALSE(s.exhausted(7));
  EXPECT_TRUE(s.exhausted(8));
}

TEST(Backoff, JitterStaysWithinItsBand) {
  RetrySchedule s;  // ±20 %
  EXPECT_EQ(s.delay(1, 0.0), 24'000);
  EXPECT_EQ(s.delay(1, 0.5), 30'000);
  EXPECT_EQ(s.delay(1, 0.999999), 36'000);
}

TEST(Backoff, ParsesSchedules) {
  EXPECT_EQ(parse_delays("30s,2m,10m,1h"), (std::vector<Millis>{30'000, 120'000, 600'000, 3'600'000}));
  EXPECT_EQ(parse_delays("200ms, 400"), (std::vector<Millis>{200, 400}));
  EXPECT_FALSE(parse_delays(""));
  EXPECT_FALSE(parse_delays("5x"));
  EXPECT_FALSE(parse_delays("1s,,2s"));
  EXPECT_FALSE(parse_delays("-1s"));
}

}  // namespace
}  // namespace aftersales::jobs
