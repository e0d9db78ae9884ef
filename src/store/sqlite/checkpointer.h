// Copies the WAL back into the database file on a thread and connection of its own.
//
// SQLite's own auto-checkpoint (and ours before this) ran a PASSIVE checkpoint inside the
// committing connection after every commit once the WAL held 1,000 frames: under a steady
// stream of writes that is a checkpoint, with its two fsyncs, after each group commit, on the
// single writer thread. It was a sixth of that thread's time per created request. Here the
// writer only asks; the checkpointer copies at most every `interval`, so a page changed by
// many commits meanwhile is copied once, and the writer never waits for it.
//
// After each copy it flushes the database file, which SQLite itself does only when a checkpoint
// has copied the whole WAL: under steady writes, only ever the writer's restart, which then
// flushed everything copied since the last one while holding every write back.
//
// Emptying the WAL (the RESTART checkpoint that keeps it bounded while reads never stop)
// stays with the writer: it must hold new writes back while it waits for old readers. It asks
// for a run first (request_now) so that little is left to copy by then.
#pragma once
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace aftersales::store {

class Checkpointer {
 public:
  // Opens its own connection to `path` (which must exist, in WAL mode). `durable`: fsync as
  // synchronous=FULL does; off for the test modes that turn durability off.
  Checkpointer(const std::string& path, bool durable,
               std::chrono::milliseconds interval = std::chrono::milliseconds(200));
  ~Checkpointer();  // stops the thread; a checkpoint under way finishes first
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a checkpoint soon. Cheap when one is already asked for; never blocks on one.
  void request();
  // Asks for a checkpoint now, without waiting out the interval. Returns a ticket: `done(ticket)`
  // turns true once a checkpoint that started after this call has finished.
  std::int64_t request_now();
  bool done(std::int64_t ticket) const { return runs_.load(std::memory_order_acquire) > ticket; }
  std::int64_t runs() const { return runs_.load(std::memory_order_relaxed); }

 private:
  void loop();
  void sync_database();

  sqlite3* db_ = nullptr;
  bool durable_;
  std::chrono::milliseconds interval_;
  std::atomic<bool> requested_{false};
  std::atomic<std::int64_t> runs_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool urgent_ = false;         // under mu_: the next run skips the interval
  std::int64_t started_ = 0;    // under mu_: runs started
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace aftersales::store
