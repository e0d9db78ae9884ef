// Prometheus text-format metrics: request counts and latency histograms per route, plus gauges
// supplied by callbacks (database pool, job queue) at scrape time.
#pragma once
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace aftersales::http {

class Metrics {
 public:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  // Thread-safe. `route` is the operation id (or "static", "not_found").
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  // A gauge read at scrape time: name, help, and a function returning labelled values.
  using GaugeFn = std::function<std::vector<std::pair<std::string, double>>()>;
  void add_gauge(std::string name, std::string help, GaugeFn fn);
  void set_in_flight_source(std::function<int()> fn) { in_flight_ = std::move(fn); }
  std::string render() const;

 private:
  struct Series {
    std::map<int, long long> by_status;
    std::array<long long, kBuckets.size()> buckets{};
    long long count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name, help;
    GaugeFn fn;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Series> series_;  // (route, method)
  std::vector<Gauge> gauges_;
  std::function<int()> in_flight_;
};

}  // namespace aftersales::http
