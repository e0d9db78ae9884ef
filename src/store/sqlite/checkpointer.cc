#include "store/sqlite/checkpointer.h"

#include "store/sql.h"

namespace aftersales::store {

Checkpointer::Checkpointer(const std::string& path, bool durable, std::chrono::milliseconds interval)
    : durable_(durable), interval_(interval) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "opening " + path + " for checkpoints: " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close_v2(db_);
    throw DbError(DbError::Kind::kConnection, msg);
  }
  // Its own commits: none. Its checkpoints sync the WAL before copying and the database after,
  // as the committing connection's did.
  sqlite3_exec(db_, durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=OFF;", nullptr, nullptr, nullptr);
  thread_ = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  sqlite3_close_v2(db_);
}

void Checkpointer::request() {
  if (requested_.exchange(true, std::memory_order_acq_rel)) return;  // already asked for
  std::lock_guard lock(mu_);  // so that the wake-up cannot fall between the loop's check and wait
  cv_.notify_one();
}

std::int64_t Checkpointer::request_now() {
  // Under the lock, so that no run starts between reading the count and asking: the run after
  // the ticket starts after this call, and runs finish in the order they start.
  std::lock_guard lock(mu_);
  urgent_ = true;
  requested_.store(true, std::memory_order_release);
  cv_.notify_one();
  return started_;
}

void Checkpointer::sync_database() {
  // Through SQLite's own file object, so that the flush is the one SQLite would have made.
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK && file && file->pMethods)
    file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
}

void Checkpointer::loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || requested_.load(std::memory_order_acquire); });
    if (stop_) return;
    requested_.store(false, std::memory_order_release);
    urgent_ = false;
    ++started_;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, never waits and never blocks the writer.
    // An error (busy, I/O) leaves the frames for the next run or the writer's restart.
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (durable_) sync_database();
    runs_.fetch_add(1, std::memory_order_release);
    lock.lock();
    // At most one run per interval, unless asked for one now: commits in between are copied together.
    if (cv_.wait_for(lock, interval_, [&] { return stop_ || urgent_; }) && stop_) return;
  }
}

}  // namespace aftersales::store
