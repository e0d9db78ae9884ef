// A background thread that runs one function at a fixed interval until stopped. Exceptions
// are logged and the loop goes on: a failing round must not stop the next one.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace aftersales::jobs {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> round)
      : name_(std::move(name)), interval_(interval), round_(std::move(round)) {}
  ~Periodic() { stop(); }
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void start();
  // Wakes the thread and joins it; a round in progress finishes first.
  void stop();

 private:
  void loop();
  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<void()> round_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace aftersales::jobs
