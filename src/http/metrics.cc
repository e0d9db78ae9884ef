#include "http/metrics.h"

#include <fmt/format.h>

namespace aftersales::http {

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mu_);
  Series& s = series_[{route, method}];
  ++s.by_status[status];
  ++s.count;
  s.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
}

void Metrics::add_gauge(std::string name, std::string help, GaugeFn fn) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(fn)});
}

std::string Metrics::render() const {
  std::string out;
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mu_);
    out += "# HELP aftersales_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE aftersales_http_requests_total counter\n";
    for (const auto& [key, s] : series_)
      for (const auto& [status, n] : s.by_status)
        out += fmt::format("aftersales_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           key.first, key.second, status, n);
    out += "# HELP aftersales_http_request_duration_seconds Time from request read to response written.\n";
    out += "# TYPE aftersales_http_request_duration_seconds histogram\n";
    for (const auto& [key, s] : series_) {
      std::string labels = fmt::format("route=\"{}\",method=\"{}\"", key.first, key.second);
      for (size_t i = 0; i < kBuckets.size(); ++i)
        out += fmt::format("aftersales_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                           kBuckets[i], s.buckets[i]);
      out += fmt::format("aftersales_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, s.count);
      out += fmt::format("aftersales_http_request_duration_seconds_sum{{{}}} {}\n", labels, s.sum);
      out += fmt::format("aftersales_http_request_duration_seconds_count{{{}}} {}\n", labels, s.count);
    }
    gauges = gauges_;
  }
  if (in_flight_) {
    out += "# HELP aftersales_http_requests_in_flight Requests being handled now.\n";
    out += "# TYPE aftersales_http_requests_in_flight gauge\n";
    out += fmt::format("aftersales_http_requests_in_flight {}\n", in_flight_());
  }
  for (const auto& g : gauges) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", g.name, g.help, g.name);
    for (const auto& [labels, value] : g.fn())
      out += labels.empty() ? fmt::format("{} {}\n", g.name, value)
                            : fmt::format("{}{{{}}} {}\n", g.name, labels, value);
  }
  return out;
}

}  // namespace aftersales::http
