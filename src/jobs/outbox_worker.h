// The outbox worker: a background thread of `serve` that delivers queued notifications.
//
// Each round: claim due messages with a lease (locked_until) so that several server processes
// on one PostgreSQL never deliver a message twice; fix the fan-out (one delivery row per
// channel and recipient) on first claim; send every pending delivery outside any transaction;
// then record the outcome — a message is sent when all its deliveries are, otherwise it waits
// per the retry schedule and is dead after the last attempt. A lease outlives a crashed process
// only for lease_ms, after which another process picks the message up again.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "common/clock.h"
#include "jobs/backoff.h"
#include "notify/delivery.h"
#include "store/sql.h"

namespace aftersales::jobs {

struct OutboxWorkerOptions {
  Millis poll_ms = 500;
  Millis lease_ms = 5 * 60 * 1000;  // longer than a round's deliveries can take with timeouts
  int batch = 10;                   // messages claimed per round
  RetrySchedule retry;
  notify::DeliveryContext delivery;
};

class OutboxWorker {
 public:
  OutboxWorker(store::Database& db, const Clock& clock, OutboxWorkerOptions options);
  ~OutboxWorker();  // stops

  void start();
  // Stops promptly: wakes the thread, aborts transfers in flight, joins.
  void stop();
  void wake();
  // One round (claim, deliver, record); returns the number of messages handled. Public for tests.
  int run_once();

 private:
  struct Claimed;
  std::vector<Claimed> claim(Millis now);
  void finish(const Claimed& work, Millis now);
  void loop();

  store::Database& db_;
  const Clock& clock_;
  OutboxWorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::thread thread_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace aftersales::jobs
