#include "store/sqlite/group_commit.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

namespace aftersales::store {
namespace {

// The committer whose writer thread this is (nested writes run inline on it).
thread_local const GroupCommitter* tl_writer_of = nullptr;

// A plain futex wait, at once and without spinning: std::atomic::wait spins and then yields the
// processor a few times before it sleeps, and with dozens of requests waiting for a group that
// takes a millisecond to commit, that spinning was a tenth of the server's CPU while creating
// requests. Returns once `done` is set (at once if it is).
void wait_until_done(std::atomic<int>& done) {
  static_assert(sizeof(std::atomic<int>) == sizeof(int) && std::atomic<int>::is_always_lock_free);
  while (done.load(std::memory_order_acquire) == 0)
    syscall(SYS_futex, reinterpret_cast<int*>(&done), FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

void wake(std::atomic<int>& done) {
  syscall(SYS_futex, reinterpret_cast<int*>(&done), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace

GroupCommitter::GroupCommitter(std::unique_ptr<Connection> conn, int max_group)
    : conn_(std::make_unique<Deferring>(std::move(conn))), max_group_(max_group > 0 ? static_cast<size_t>(max_group) : 1) {
  // Runs on the writer thread, inside a statement: only notes the row.
  conn_->inner().on_row_change([this](const char* table, std::int64_t id) {
    for (auto& w : watching_)
      if (w.table == table) w.ids.push_back(id);
  });
  writer_ = std::thread([this] { loop(); });
}

void GroupCommitter::watch(const std::string& table, std::weak_ptr<RowWatcher> watcher) {
  std::lock_guard lock(mu_);
  registered_.push_back({table, std::move(watcher), false});
}

void GroupCommitter::start_watching() {
  watching_.clear();
  {
    std::lock_guard lock(mu_);
    std::erase_if(registered_, [](const Registered& r) { return r.watcher.expired(); });
    for (auto& r : registered_)
      if (auto w = r.watcher.lock()) {
        watching_.push_back({r.table, std::move(w), {}, false, !r.attached});
        r.attached = true;
      }
  }
  if (watching_.empty()) return;
  // Another connection's commit changes data_version as this connection sees it; its own do not.
  const std::int64_t version = conn_->query("PRAGMA data_version").rows[0].i64("data_version");
  const bool others_wrote = data_version_ && *data_version_ != version;
  data_version_ = version;
  for (auto& w : watching_)
    if (others_wrote || w.attaching) w.watcher->reset();
}

void GroupCommitter::tell_changes() {
  for (auto& w : watching_) {
    if (w.ids.empty()) continue;
    std::sort(w.ids.begin(), w.ids.end());
    w.ids.erase(std::unique(w.ids.begin(), w.ids.end()), w.ids.end());
    w.told = true;
    w.watcher->changed(*conn_, w.ids);
  }
}

void GroupCommitter::end_watching(bool durable) {
  for (auto& w : watching_)
    if (w.told) w.watcher->ended(durable);
  watching_.clear();  // let watchers whose owners are gone go
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  writer_.join();
}

void GroupCommitter::submit(const Database::WriteBody& body) {
  if (tl_writer_of == this) return run_nested(body);
  auto job = std::make_shared<Job>();
  job->body = &body;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(job);
  }
  work_cv_.notify_one();
  wait_until_done(job->done);
  if (job->error) std::rethrow_exception(job->error);
}

void GroupCommitter::submit_async(Database::WriteBody body, Database::WriteDone done) {
  if (tl_writer_of == this) {
    std::exception_ptr error;
    try {
      run_nested(body);
    } catch (...) {
      error = std::current_exception();
    }
    return done(error);
  }
  auto job = std::make_shared<Job>();
  job->owned_body = std::move(body);
  job->body = &job->owned_body;
  job->on_done = std::move(done);
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
  }
  work_cv_.notify_one();
}

void GroupCommitter::run_nested(const Database::WriteBody& body) {
  const std::string name = "nested" + std::to_string(++nested_depth_);
  const size_t mark = conn_->deferred.size();
  conn_->query("SAVEPOINT " + name);
  try {
    if (!body(*conn_)) {
      conn_->query("ROLLBACK TO " + name);
      conn_->deferred.resize(mark);
    }
    conn_->query("RELEASE " + name);
  } catch (...) {
    --nested_depth_;
    conn_->deferred.resize(mark);
    if (conn_->in_transaction()) {
      conn_->query("ROLLBACK TO " + name);
      conn_->query("RELEASE " + name);
    }
    throw;
  }
  --nested_depth_;
}

void GroupCommitter::loop() {
  tl_writer_of = this;
  std::vector<std::shared_ptr<Job>> group;
  for (;;) {
    group.clear();
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      // Everything that queued up while the previous group was committing goes in this one.
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    try {
      run_group(group.data(), group.size());
    } catch (...) {
      // Nothing may end this thread: every waiter of the group gets the error instead.
      for (auto& j : group)
        if (!j->error) j->error = std::current_exception();
      try {
        if (conn_->in_transaction()) conn_->rollback();
      } catch (...) {
      }
    }
    for (auto& j : group) {
      if (j->on_done) {
        try {
          j->on_done(j->error);
        } catch (...) {  // a broken promise of the caller's; the writer must go on
        }
        continue;
      }
      j->done.store(1, std::memory_order_release);
      wake(j->done);
    }
  }
}

void GroupCommitter::run_group(const std::shared_ptr<Job>* jobs, size_t n) {
  size_t next = 0;
  while (next < n) {
    try {
      conn_->begin(true);
    } catch (...) {
      // No transaction (e.g. another process held the write lock past the busy timeout):
      // every body still waiting fails with that error, nothing has been written.
      for (size_t k = next; k < n; ++k) jobs[k]->error = std::current_exception();
      return;
    }
    std::vector<Job*> kept;  // bodies whose changes this transaction holds
    bool lost = false;       // SQLite rolled the whole transaction back (I/O error, full disk)
    conn_->deferred.clear();
    try {
      start_watching();
    } catch (...) {
      watching_.clear();
      try {
        conn_->rollback();
      } catch (...) {
      }
      for (size_t k = next; k < n; ++k) jobs[k]->error = std::current_exception();
      return;
    }
    for (; next < n && !lost; ++next) {
      Job* job = jobs[next].get();
      const size_t mark = conn_->deferred.size();
      try {
        conn_->query("SAVEPOINT grouped");
        if ((*job->body)(*conn_)) {
          conn_->query("RELEASE grouped");
          kept.push_back(job);
        } else {
          conn_->query("ROLLBACK TO grouped");
          conn_->query("RELEASE grouped");
          conn_->deferred.resize(mark);
        }
      } catch (...) {
        job->error = std::current_exception();
        conn_->deferred.resize(mark);
        try {
          if (conn_->in_transaction()) {
            conn_->query("ROLLBACK TO grouped");
            conn_->query("RELEASE grouped");
          } else {
            lost = true;
          }
        } catch (...) {
          lost = true;
        }
      }
    }
    if (lost) {
      try {
        conn_->rollback();
      } catch (...) {
      }
      auto error = std::make_exception_ptr(
          DbError(DbError::Kind::kOther, "the write transaction was rolled back by the database; retry"));
      for (Job* job : kept) job->error = error;
      end_watching(false);
      continue;  // the rest get a fresh transaction
    }
    bool durable = false;
    try {
      for (auto& fn : conn_->deferred) fn(*conn_);
      conn_->deferred.clear();
      tell_changes();
      conn_->commit();
      durable = true;
      ++commits_;
      transactions_ += static_cast<std::int64_t>(kept.size());
    } catch (...) {
      auto error = std::current_exception();
      try {
        conn_->rollback();
      } catch (...) {
      }
      for (Job* job : kept) job->error = error;
    }
    end_watching(durable);
  }
}

}  // namespace aftersales::store
