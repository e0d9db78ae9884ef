// Group commit for SQLite: one writer thread runs the write transactions of many concurrent
// requests inside one database transaction and commits them together, so that one fsync of
// the WAL acknowledges all of them. With synchronous=FULL a commit costs a disk flush
// (milliseconds); committing each request alone caps durable writes at a few hundred per
// second, committing them in groups does not.
//
// Each body runs inside its own SAVEPOINT: a body that fails (throws or answers false) undoes
// only its own changes; the others in its group are unaffected. The caller's thread waits
// until the group containing its body is durable, then gets its own body's exception, if any;
// or, with submit_async, the writer calls the caller back instead, in the order the bodies ran.
//
// What the bodies hand to Connection::before_commit runs after the last body of the group and
// before the commit, outside any savepoint: SQLite's full-text index writes a segment at every
// savepoint it sees, so an index entry made inside each body cost a segment (and its merging)
// per request instead of per group.
//
// Row watchers (store/row_watch.h) learn which rows of their table a transaction changed, read
// them on the writer's connection before the commit, and hear of the commit before any of its
// requests does. Before each transaction's bodies the writer asks SQLite whether another
// connection has written since its last one (PRAGMA data_version) and, if so, resets them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/row_watch.h"
#include "store/sql.h"

namespace aftersales::store {

class GroupCommitter {
 public:
  // Takes `conn`, which from then on is used by the writer thread only.
  GroupCommitter(std::unique_ptr<Connection> conn, int max_group);
  ~GroupCommitter();  // runs what is queued, then stops the writer thread
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Runs `body` in a group and waits for the group's commit. Rethrows the body's exception, or
  // the commit's (the body's changes are then undone). A body that itself writes (nested
  // write) runs inline in a nested savepoint of the same transaction.
  void submit(const Database::WriteBody& body);
  // The same without waiting: `done` is called on the writer thread with what submit() would
  // have thrown (null when nothing), once the group is committed or has failed. It must be quick
  // and must not throw. From a body on the writer thread (a nested write), runs inline.
  void submit_async(Database::WriteBody body, Database::WriteDone done);

  // Tells `watcher` of the changes to `table`, from the next transaction on, while it lives.
  void watch(const std::string& table, std::weak_ptr<RowWatcher> watcher);

  std::int64_t commits() const { return commits_.load(); }
  std::int64_t transactions() const { return transactions_.load(); }

 private:
  // Shared by the submitting thread and the writer, so that the writer may still wake the
  // submitter after it has seen `done` and gone. Each waiter sleeps on its own job's flag: with
  // one condition variable for all, every commit woke every waiting request (up to
  // --write-threads of them) and most went back to sleep; with one per job notified under the
  // queue's lock, each woken request at once blocked again on that lock. Futex traffic was 15 %
  // of the server's CPU under the creation benchmark at 16 connections.
  struct Job {
    const Database::WriteBody* body = nullptr;
    std::exception_ptr error;
    std::atomic<int> done{0};  // 1 once the group is committed (or failed); error is set before
    // An asynchronous job owns its body and is told by its callback instead (submit_async).
    Database::WriteBody owned_body;
    Database::WriteDone on_done;
  };
  // The writer's connection as the bodies see it: before_commit keeps the work for the end of
  // the group.
  class Deferring final : public Connection {
   public:
    explicit Deferring(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
    Result query(std::string_view sql, const std::vector<Value>& params = {}) override {
      return conn_->query(sql, params);
    }
    void exec_script(std::string_view sql) override { conn_->exec_script(sql); }
    void begin(bool write) override { conn_->begin(write); }
    void commit() override { conn_->commit(); }
    void rollback() override { conn_->rollback(); }
    bool in_transaction() const override { return conn_->in_transaction(); }
    Dialect dialect() const override { return conn_->dialect(); }
    void before_commit(const std::function<void(Connection&)>& fn) override { deferred.push_back(fn); }
    Connection& inner() { return *conn_; }

    std::vector<std::function<void(Connection&)>> deferred;  // in the order asked

   private:
    std::unique_ptr<Connection> conn_;
  };

  // A watcher as the writer thread holds it during one transaction.
  struct Watching {
    std::string table;
    std::shared_ptr<RowWatcher> watcher;
    std::vector<std::int64_t> ids;  // changed in this transaction
    bool told = false;              // changed() called
    bool attaching = false;         // first transaction since it was registered: reset() it
  };

  void loop();
  void run_group(const std::shared_ptr<Job>* jobs, size_t n);
  void run_nested(const Database::WriteBody& body);
  // At the start of a transaction: takes the live watchers, resetting those new to it and, when
  // another connection has written since the last transaction, all of them.
  void start_watching();
  // Before the commit: each watcher reads what its rows became (changed()).
  void tell_changes();
  void end_watching(bool durable);

  std::unique_ptr<Deferring> conn_;
  const size_t max_group_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  bool stopping_ = false;
  struct Registered {
    std::string table;
    std::weak_ptr<RowWatcher> watcher;
    bool attached = false;  // reset() once by the writer since it was registered
  };
  std::vector<Registered> registered_;  // guarded by mu_
  std::vector<Watching> watching_;      // writer thread only
  std::optional<std::int64_t> data_version_;  // writer thread only
  int nested_depth_ = 0;
  std::atomic<std::int64_t> commits_{0};
  std::atomic<std::int64_t> transactions_{0};
  std::thread writer_;
};

}  // namespace aftersales::store
