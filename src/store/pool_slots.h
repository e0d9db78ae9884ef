// How many of a pool's connections may be borrowed at once: `size` for ordinary use, one more
// for the reads that follow writes (Database::acquire_after_write), so that those never queue
// behind slow reads. Shared by the SQLite and PostgreSQL pools; every call but notify() is made
// with the pool's mutex held.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace aftersales::store {

class PoolSlots {
 public:
  explicit PoolSlots(int size) : size_(size) {}

  // Waits (releasing `lock` meanwhile) until a slot of its kind is free, then takes it. A slot
  // is counted as taken at once, before any connection is opened for it.
  void take(std::unique_lock<std::mutex>& lock, bool after_write) {
    const int limit = after_write ? size_ + 1 : size_;
    if (in_use_ < limit) {
      ++in_use_;
      return;
    }
    ++waits_;
    (after_write ? after_write_cv_ : ordinary_cv_).wait(lock, [&] { return in_use_ < limit; });
    ++in_use_;
  }
  // Gives a slot back; call notify() once the lock is released.
  void give_back() { --in_use_; }
  // Either kind of waiter may now go on; one that cannot yet waits again.
  void notify() {
    after_write_cv_.notify_one();
    ordinary_cv_.notify_one();
  }

  int size() const { return size_; }
  int in_use() const { return in_use_; }
  std::int64_t waits() const { return waits_; }

 private:
  const int size_;
  int in_use_ = 0;
  std::int64_t waits_ = 0;  // takes that had to wait
  std::condition_variable ordinary_cv_;
  std::condition_variable after_write_cv_;
};

}  // namespace aftersales::store
