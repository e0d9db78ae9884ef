#include "jobs/backoff.h"

#include <algorithm>
#include <cmath>

namespace aftersales::jobs {

Millis RetrySchedule::delay(int failures, double unit_random) const {
  if (delays.empty()) return 0;
  size_t i = static_cast<size_t>(std::clamp(failures, 1, static_cast<int>(delays.size())) - 1);
  double factor = 1.0 + jitter * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  return static_cast<Millis>(std::llround(static_cast<double>(delays[i]) * factor));
}

std::optional<std::vector<Millis>> parse_delays(std::string_view text) {
  std::vector<Millis> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t comma = text.find(',', i);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(i, comma - i);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    size_t digits = 0;
    while (digits < item.size() && std::isdigit(static_cast<unsigned char>(item[digits]))) ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    Millis n = std::stoll(std::string(item.substr(0, digits)));
    std::string_view unit = item.substr(digits);
    if (unit == "" || unit == "ms") out.push_back(n);
    else if (unit == "s") out.push_back(n * 1000);
    else if (unit == "m") out.push_back(n * 60'000);
    else if (unit == "h") out.push_back(n * 3'600'000);
    else return std::nullopt;
    i = comma + 1;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace aftersales::jobs
