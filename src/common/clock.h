// The one place that reads the wall clock, so that everything else takes time as a value.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace aftersales {

using Millis = std::int64_t;  // milliseconds since the Unix epoch, UTC

// Interface so tests and tools can supply time; the server uses SystemClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// RFC 3339 UTC with milliseconds, e.g. 2026-11-23T04:05:06.789Z.
std::string format_iso8601(Millis ms);
// Accepts RFC 3339 with 'Z' or an offset; returns false on anything else.
bool parse_iso8601(const std::string& text, Millis* out);
// YYYY-MM-DD, validated as a real calendar date.
bool is_valid_date(const std::string& text);

}  // namespace aftersales
