#include "store/sqlite/sqlite_database.h"

#include "store/pool_slots.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace aftersales::store {
namespace {

DbError make_error(sqlite3* db, int rc, std::string_view context) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string(context) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  DbError::Kind kind = DbError::Kind::kOther;
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      kind = DbError::Kind::kUnique;
      break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      kind = DbError::Kind::kForeignKey;
      break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      kind = DbError::Kind::kCheck;
      break;
    default:
      if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) kind = DbError::Kind::kBusy;
      if ((ext & 0xff) == SQLITE_CANTOPEN) kind = DbError::Kind::kConnection;
  }
  return DbError(kind, msg);
}

class SqliteConnection final : public Connection {
 public:
  // `vfs`: null for SQLite's default.
  SqliteConnection(const std::string& path, const DatabaseOptions& options, const char* vfs = nullptr) {
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
    if (rc != SQLITE_OK) {
      DbError err = make_error(db_, rc, "opening " + path);
      sqlite3_close_v2(db_);
      throw err;
    }
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    sqlite3_extended_result_codes(db_, 1);
    exec_script("PRAGMA journal_mode=WAL;");
    exec_script("PRAGMA foreign_keys=ON;");
    exec_script(options.durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=OFF;");
    // SQLite's default page cache is 2 MiB per connection: at a million requests the index and
    // table pages one intake touches no longer stay in it, and each is read (a system call) and
    // parsed again. 16 MiB per connection: +15 % request creation at 1 M requests, +20 MiB RSS.
    exec_script("PRAGMA cache_size=" + std::to_string(-options.cache_kib) + ";");
    // Each job of a group commit runs in a savepoint, so SQLite keeps the pages it changes in a
    // sub-journal until the savepoint is released. Past 64 KiB that journal spills to a temporary
    // file, and those writes were 8 % of an intake's CPU. In memory it is a few MiB at most.
    exec_script("PRAGMA temp_store=MEMORY;");
    busy_timeout_ms_ = options.busy_timeout_ms;
    sqlite3_wal_hook(db_, &SqliteConnection::after_commit, this);
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // The writer's connection hands its copying-back to a checkpointer (see checkpointer.h).
  void set_checkpointer(Checkpointer* checkpointer) { checkpointer_ = checkpointer; }

  bool on_row_change(std::function<void(const char* table, std::int64_t id)> fn) override {
    row_change_ = std::move(fn);
    sqlite3_update_hook(db_, row_change_ ? &SqliteConnection::row_changed : nullptr, this);
    return true;
  }

  Result query(std::string_view sql, const std::vector<Value>& params) override {
    sqlite3_stmt* stmt = prepare(sql);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      throw DbError(DbError::Kind::kOther, "parameter count mismatch for: " + std::string(sql));
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(stmt, idx);
      else if (auto* n = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(stmt, idx, *n);
      else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, idx, *d);
      else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) throw make_error(db_, rc, "binding parameter");
    }
    Result result;
    int ncols = sqlite3_column_count(stmt);
    result.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) result.columns.emplace_back(sqlite3_column_name(stmt, c));
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        DbError err = make_error(db_, rc, "executing statement");
        sqlite3_reset(stmt);
        throw err;
      }
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER: cells.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
          case SQLITE_FLOAT: cells.emplace_back(sqlite3_column_double(stmt, c)); break;
          case SQLITE_NULL: cells.emplace_back(std::monostate{}); break;
          default: {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            cells.emplace_back(std::string(p, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      result.rows.emplace_back(&result.columns, std::move(cells));
    }
    result.affected = sqlite3_changes64(db_);
    sqlite3_reset(stmt);
    return result;
  }

  void exec_script(std::string_view sql) override {
    char* err = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      DbError e = make_error(db_, rc, "executing script");
      throw DbError(e.kind(), "executing script: " + msg);
    }
  }

  // Prepared once per connection: sqlite3_exec would parse them on every transaction, and its
  // parser allocation was a tenth of the CPU of reading one request.
  void begin(bool write) override { step_once(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void commit() override { step_once("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) step_once("ROLLBACK");
  }
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_); }
  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return db_; }

 private:
  void step_once(std::string_view sql) {
    sqlite3_stmt* stmt = prepare(sql);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
      DbError err = make_error(db_, rc, "executing " + std::string(sql));
      sqlite3_reset(stmt);
      throw err;
    }
    sqlite3_reset(stmt);
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) throw make_error(db_, rc, "preparing: " + std::string(sql));
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  // Called by SQLite after each commit with the frames now in the WAL (it replaces the built-in
  // auto-checkpoint). Past kAutoCheckpointFrames the checkpointer is asked to copy the WAL back
  // (a connection without one does it here). With reads always in flight, that copying never
  // finds a moment to restart the WAL, so the file grew without end (1.6 GB against a 56 MB
  // database in the 30-minute soak, scripts/soak.sh). Past kRestartFrames the committing
  // connection therefore runs a RESTART checkpoint: it waits for the readers of older
  // snapshots to finish, copies the rest back, and holds new writes meanwhile; the next commit
  // then writes the WAL from its start again. The file keeps its size (at most kRestartFrames
  // and a group): overwriting blocks already allocated makes each commit's flush cheaper than
  // growing a truncated file again (TRUNCATE: 2,780–3,135 creations/s against 2,983–3,349 with
  // RESTART, alternating runs at 64 connections, docs/PERFORMANCE.md). The wait starts at
  // 100 ms; when a long read is in the way, the next try comes 4 MiB of WAL later with twice
  // the wait, up to a second, so that the WAL stays bounded even while long lists and
  // searches run back to back (they did in the soak).
  //
  // Before it restarts, the writer has the checkpointer copy back and flush what it can while
  // writes go on (request_now), and commits on until that run is done: the restart then copies
  // and flushes only the commits made meanwhile (medians 5–7 ms with all writes waiting, against
  // 21–24 ms when it copied everything since the checkpointer's last run). Only before the first
  // try, and for at most kPrepareFrames: a long read that holds up the restart must not also
  // make each retry wait for a checkpoint. (A 6-minute soak at ~310 writes/s, in which long
  // reads failed many restarts: largest WAL sampled 70 MiB when every try waited, 57 MiB when
  // only the first did, 53 MiB before any of this.)
  static int after_commit(void* self_ptr, sqlite3* db, const char* schema, int frames) {
    constexpr int kAutoCheckpointFrames = 1000;  // SQLite's default wal_autocheckpoint
    constexpr int kRestartFrames = 8192;         // 32 MiB of 4 KiB pages
    constexpr int kRetryFrames = 1024;
    constexpr int kPrepareFrames = 2048;
    auto* self = static_cast<SqliteConnection*>(self_ptr);
    if (frames < kRestartFrames) {  // restarted meanwhile
      self->retry_at_frames_ = kRestartFrames;
      self->restart_ticket_ = -1;
    }
    if (frames >= self->retry_at_frames_ && self->retry_at_frames_ == kRestartFrames && self->checkpointer_ &&
        frames < kRestartFrames + kPrepareFrames) {
      if (self->restart_ticket_ < 0) self->restart_ticket_ = self->checkpointer_->request_now();
      if (!self->checkpointer_->done(self->restart_ticket_)) return SQLITE_OK;
    }
    if (frames >= self->retry_at_frames_) {
      self->restart_ticket_ = -1;
      sqlite3_busy_timeout(db, self->restart_wait_ms_);
      int rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_timeout(db, self->busy_timeout_ms_);
      if (rc == SQLITE_OK) {
        self->restart_wait_ms_ = 100;
        return SQLITE_OK;
      }
      self->retry_at_frames_ = frames + kRetryFrames;
      self->restart_wait_ms_ = std::min(self->restart_wait_ms_ * 2, 1000);
    }
    if (frames >= kAutoCheckpointFrames) {
      if (self->checkpointer_) self->checkpointer_->request();
      else sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    return SQLITE_OK;  // an error here would make the (already durable) commit look failed
  }

  static void row_changed(void* self_ptr, int /*op*/, const char* /*schema*/, const char* table, sqlite3_int64 id) {
    static_cast<SqliteConnection*>(self_ptr)->row_change_(table, id);
  }

  sqlite3* db_ = nullptr;
  std::function<void(const char*, std::int64_t)> row_change_;
  struct SqlHash {  // lets find() take the string_view without copying it into a string
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
  int busy_timeout_ms_ = 5000;
  int retry_at_frames_ = 8192;
  int restart_wait_ms_ = 100;
  std::int64_t restart_ticket_ = -1;  // the checkpointer's run that prepares the next restart
  Checkpointer* checkpointer_ = nullptr;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, DatabaseOptions options)
      : path_(std::move(path)), options_(options), slots_(options.pool_size > 0 ? options.pool_size : 4) {
    std::filesystem::path p(path_);
    if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    // Open one connection eagerly so that a bad path fails at start-up, not on first request.
    idle_.push_back(std::make_unique<SqliteConnection>(path_, options_));
    created_ = 1;
    // Writes go through one dedicated connection on the writer thread; the pool serves reads.
    checkpointer_ = std::make_unique<Checkpointer>(path_, options_.durable);
    // The writer gathers each commit's WAL frames into few writes (see wal_write_buffer.h).
    // Durable commits sync the WAL, and a failed write is reported there, before the commit is
    // visible; without the sync it could only surface later, so those modes keep the default.
    auto writer = std::make_unique<SqliteConnection>(path_, options_,
                                                     options_.durable ? wal_write_buffer_vfs() : nullptr);
    writer->set_checkpointer(checkpointer_.get());
    committer_ = std::make_unique<GroupCommitter>(std::move(writer), options_.max_group);
  }

  void run_write(const WriteBody& body) override { committer_->submit(body); }
  bool can_write_async() const override { return true; }

  bool watch_rows(const std::string& table, std::weak_ptr<RowWatcher> watcher) override {
    committer_->watch(table, std::move(watcher));
    return true;
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  PooledConnection acquire() override { return take(false); }
  PooledConnection acquire_after_write() override { return take(true); }

  PooledConnection take(bool after_write) {
    std::unique_lock lock(mu_);
    slots_.take(lock, after_write);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(conn));
    }
    ++created_;
    lock.unlock();
    try {
      return PooledConnection(this, std::make_unique<SqliteConnection>(path_, options_));
    } catch (...) {
      {
        std::lock_guard relock(mu_);
        --created_;
        slots_.give_back();
      }
      slots_.notify();
      throw;
    }
  }

  void release(std::unique_ptr<Connection> conn) override {
    {
      std::lock_guard lock(mu_);
      slots_.give_back();
      idle_.push_back(std::move(conn));
    }
    slots_.notify();
  }

  PoolStats stats() const override {
    std::lock_guard lock(mu_);
    return PoolStats{slots_.size(), slots_.in_use(), static_cast<int>(idle_.size()), slots_.waits(), committer_->commits(),
                     committer_->transactions()};
  }

  void backup_to(const std::string& path) override {
    // VACUUM INTO writes a consistent, compacted copy while readers and writers go on.
    std::filesystem::path target(path);
    if (std::filesystem::exists(target))
      throw DbError(DbError::Kind::kOther, "backup target already exists: " + path);
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
    auto conn = acquire();
    conn->query("VACUUM INTO ?", {path});
  }

  std::string url_for_display() const override { return "sqlite://" + path_; }

 protected:
  void run_write_async(WriteBody body, WriteDone done) override {
    committer_->submit_async(std::move(body), std::move(done));
  }

 private:
  std::string path_;
  DatabaseOptions options_;
  int created_ = 0;
  mutable std::mutex mu_;
  PoolSlots slots_;
  std::vector<std::unique_ptr<Connection>> idle_;  // idle + in use = created_ ≤ size + 1
  std::unique_ptr<Checkpointer> checkpointer_;  // outlives the writer, which asks it
  std::unique_ptr<GroupCommitter> committer_;   // last: stops (draining its queue) first
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options) {
  if (path.empty()) throw DbError(DbError::Kind::kConnection, "empty SQLite path");
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace aftersales::store
