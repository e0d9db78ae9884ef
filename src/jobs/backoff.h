// The retry schedule of the outbox: how long to wait after the n-th failed round.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace aftersales::jobs {

struct RetrySchedule {
  // Delay after the 1st, 2nd, ... failure; the last entry repeats. About 30 h in all before the
  // default 8 attempts are used up, so a receiver down over a night still gets its messages.
  std::vector<Millis> delays = {30'000, 120'000, 600'000, 3'600'000, 3 * 3'600'000, 6 * 3'600'000, 12 * 3'600'000};
  int max_attempts = 8;  // failed rounds before a message is dead
  double jitter = 0.2;   // ± fraction, so receivers that failed together do not get retried together

  // The wait after failure number `failures` (1-based); `unit_random` in [0, 1) picks the jitter.
  Millis delay(int failures, double unit_random) const;
  bool exhausted(int failures) const { return failures >= max_attempts; }
};

// Parses "30s,2m,10m,1h" (units ms, s, m, h; a bare number is milliseconds). nullopt if malformed.
std::optional<std::vector<Millis>> parse_delays(std::string_view text);

}  // namespace aftersales::jobs
