// The thin database driver layer: one interface, a SQLite and a PostgreSQL implementation.
//
// SQL is written by hand with `?` placeholders; the PostgreSQL driver rewrites them to $n.
// Only prepared statements with bound parameters are ever executed — no value is ever spliced
// into SQL text. Failures are thrown as DbError: they are exceptional for callers (a dead
// connection, a full disk) except constraint violations, which DbError::kind() names so that the
// application can map them to 409s.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/row_watch.h"

namespace aftersales::store {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell. NULL is std::monostate.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

class DbError : public std::runtime_error {
 public:
  enum class Kind { kUnique, kForeignKey, kCheck, kBusy, kConnection, kOther };
  DbError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One result row; cells are addressed by column index or name.
class Row {
 public:
  Row(const std::vector<std::string>* columns, std::vector<Value> cells)
      : columns_(columns), cells_(std::move(cells)) {}
  const Value& at(size_t i) const { return cells_.at(i); }
  const Value& at(std::string_view column) const;
  bool is_null(std::string_view column) const;
  std::int64_t i64(std::string_view column) const;
  double f64(std::string_view column) const;
  std::string text(std::string_view column) const;  // "" for NULL
  std::optional<std::string> opt_text(std::string_view column) const;
  std::optional<std::int64_t> opt_i64(std::string_view column) const;
  size_t size() const { return cells_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }

 private:
  friend struct Result;
  const std::vector<std::string>* columns_;
  std::vector<Value> cells_;
};

// Rows point at the Result's column names; copying or moving a Result re-points them, so
// drivers may build rows with `&result.columns` and return the Result by value.
struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }

  Result() = default;
  Result(const Result& o) : columns(o.columns), rows(o.rows), affected(o.affected) { repoint(); }
  Result(Result&& o) noexcept
      : columns(std::move(o.columns)), rows(std::move(o.rows)), affected(o.affected) {
    repoint();
  }
  Result& operator=(const Result& o) {
    columns = o.columns, rows = o.rows, affected = o.affected;
    repoint();
    return *this;
  }
  Result& operator=(Result&& o) noexcept {
    columns = std::move(o.columns), rows = std::move(o.rows), affected = o.affected;
    repoint();
    return *this;
  }

 private:
  void repoint() {
    for (auto& r : rows) r.columns_ = &columns;
  }
};

// One open connection. Not thread-safe: a connection is used by one thread at a time,
// which the pool guarantees.
class Connection {
 public:
  virtual ~Connection() = default;
  // Prepares (once per connection, cached by SQL text), binds and runs one statement.
  virtual Result query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs a script of several statements with no parameters (migrations only).
  virtual void exec_script(std::string_view sql) = 0;
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Whether a transaction is open (a failed statement can end one on its own).
  virtual bool in_transaction() const = 0;
  virtual Dialect dialect() const = 0;
  // Runs `fn` on this connection later in the same write transaction, just before it commits;
  // nothing runs if the changes of the body that asked are undone. For work that costs per
  // savepoint rather than per change: SQLite's full-text index writes out what it holds at
  // every savepoint, and a group commit opens one per body (store/sqlite/group_commit.h).
  // `fn` must not fail on valid data: if it throws, the whole transaction fails. A connection
  // that does not group transactions runs `fn` at once.
  virtual void before_commit(const std::function<void(Connection&)>& fn) { fn(*this); }
  // Tells `fn` of every row this connection inserts, updates or deletes from now on (its table
  // and rowid), as it happens; false where the driver cannot (PostgreSQL). SQLite leaves out
  // rows replaced by INSERT OR REPLACE and tables emptied by a DELETE without WHERE.
  virtual bool on_row_change(std::function<void(const char* table, std::int64_t id)> /*fn*/) { return false; }
};

class Database;

// A connection borrowed from the pool; returned on destruction.
class PooledConnection {
 public:
  PooledConnection(Database* db, std::unique_ptr<Connection> conn)
      : db_(db), conn_(std::move(conn)) {}
  PooledConnection(PooledConnection&&) = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();
  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  int idle = 0;
  std::int64_t waits = 0;  // acquisitions that had to wait for a free connection
  std::int64_t group_commits = 0;       // SQLite: commits of grouped write transactions
  std::int64_t grouped_transactions = 0;  // SQLite: write transactions they made durable
};

// A pool of connections to one database, chosen by URL. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual PooledConnection acquire() = 0;
  // A connection for the read that follows a write in the same request (an intake's duplicate
  // check, the answer after a transition). The pools keep one connection beyond their size for
  // these: however many slow reads hold the others, a writer's caller never queues behind them
  // (with sixteen 0.7 s dashboards in flight, creation fell from 1,650/s to 13/s before).
  virtual PooledConnection acquire_after_write() { return acquire(); }
  virtual void release(std::unique_ptr<Connection> conn) = 0;
  virtual PoolStats stats() const = 0;
  // A consistent online copy of the whole database to `path` (a file for SQLite, a
  // pg_dump custom-format archive for PostgreSQL). Throws DbError on failure.
  virtual void backup_to(const std::string& path) = 0;
  virtual std::string url_for_display() const = 0;

  // Runs `fn` in one write transaction: committed if it returns, undone if it throws or returns
  // a failed Outcome (anything with ok() == false) — whatever it had written before it found
  // the problem. Returns only once the transaction is durable (or throws if it could not be
  // made so). On SQLite concurrent writes share one commit (see run_write).
  template <typename Fn>
  auto write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    const GenerationEnd end_generation{this};
    if constexpr (std::is_void_v<R>) {
      run_write([&](Connection& c) {
        fn(c);
        return true;
      });
    } else {
      std::optional<R> out;
      run_write([&](Connection& c) {
        out.reset();  // a body is run once, but never let a stale value through
        out.emplace(fn(c));
        if constexpr (requires { out->ok(); }) return static_cast<bool>(out->ok());
        else return true;
      });
      return std::move(*out);
    }
  }

  // Advances when a write transaction ends (committed or not; before its caller hears of it).
  // A reader that reads the same generation before its snapshot and afterwards knows that
  // nothing was written in between in this process (http::ViewCache relies on it) — and, once
  // follow_other_writers() is on, by other processes either, as far as the driver can tell.
  virtual std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Makes generation() advance for writes by other processes sharing the database too (other
  // servers, the command line), where the driver can learn of them; a no-op where it cannot.
  virtual void follow_other_writers() {}

  // Tells `watcher` of the rows of `table` that this process's write transactions change, as
  // store/row_watch.h describes, for as long as it lives. False where the driver cannot (it sees
  // the changes only where all writes pass one connection: SQLite); the caller must then read
  // what it needs.
  virtual bool watch_rows(const std::string& /*table*/, std::weak_ptr<RowWatcher> /*watcher*/) { return false; }

  // Runs `fn` in one read-only transaction (a consistent snapshot).
  template <typename Fn>
  auto read(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return read_on(acquire(), std::forward<Fn>(fn));
  }
  // The same, for the read that follows a write in the same request (see acquire_after_write).
  template <typename Fn>
  auto read_after_write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return read_on(acquire_after_write(), std::forward<Fn>(fn));
  }

  // The body of a write transaction, type-erased: true keeps its changes, false undoes them.
  using WriteBody = std::function<bool(Connection&)>;

  // Runs one write transaction. The default takes a pooled connection and commits it alone
  // (PostgreSQL already lets concurrent commits share a WAL flush). The SQLite driver
  // instead queues the body for its single writer thread, which runs every queued body in one
  // transaction — each inside its own savepoint, so a body that fails undoes only itself —
  // and commits them together: one fsync acknowledges many requests (group commit).
  virtual void run_write(const WriteBody& body);

  // What becomes of an asynchronous write: null once it is committed and durable (or its body
  // answered false and was undone), else what it or the commit threw.
  using WriteDone = std::function<void(std::exception_ptr)>;
  // True where write_async runs writes without a thread waiting for each (SQLite's writer).
  virtual bool can_write_async() const { return false; }
  // Runs `body` as write() runs a body, but returns at once: `done` is called once, on the
  // writer thread, when its transaction has ended (the generation has advanced by then). It must
  // be quick and must not throw: every queued write waits while it runs. Where
  // can_write_async() is false, throws std::logic_error and runs nothing.
  void write_async(WriteBody body, WriteDone done) {
    run_write_async(std::move(body), [this, done = std::move(done)](std::exception_ptr failed) {
      advance_generation();
      done(failed);
    });
  }

 protected:
  virtual void run_write_async(WriteBody /*body*/, WriteDone /*done*/) {
    throw std::logic_error("this database has no asynchronous writes");
  }
  // Ends the current generation; returns the new one.
  std::uint64_t advance_generation() const { return generation_.fetch_add(1, std::memory_order_acq_rel) + 1; }

 private:
  template <typename Fn>
  static auto read_on(PooledConnection conn, Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    conn->begin(false);
    try {
      if constexpr (std::is_void_v<decltype(fn(*conn))>) {
        fn(*conn);
        conn->commit();
      } else {
        auto result = fn(*conn);
        conn->commit();
        return result;
      }
    } catch (...) {
      try {
        conn->rollback();
      } catch (...) {
      }
      throw;
    }
  }

  struct GenerationEnd {
    Database* db;
    ~GenerationEnd() { db->advance_generation(); }
  };
  mutable std::atomic<std::uint64_t> generation_{0};
};

struct DatabaseOptions {
  int pool_size = 0;        // 0 = driver default
  int busy_timeout_ms = 5000;
  bool durable = true;      // SQLite synchronous=FULL; off only for benchmarks
  int max_group = 512;      // SQLite: most write transactions committed together
  int cache_kib = 16384;    // SQLite: page cache of each connection (the pool's and the writer's)
};

// Opens a pool for `url`: sqlite:///absolute/path.db, sqlite://relative/path.db,
// postgresql://user:pass@host:port/db (any libpq URI). Throws DbError on failure.
std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options = {});

// Placeholder rewrite for PostgreSQL: `?` outside quotes → $1, $2, ... (exposed for tests).
std::string rewrite_placeholders(std::string_view sql);

}  // namespace aftersales::store
