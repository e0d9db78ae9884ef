// PostgreSQL driver over libpq: one PgConnection per PGconn, a fixed-size pool around them.
//
// Statements are prepared once per connection (named "s1", "s2", ... and cached by SQL text)
// and executed with PQexecPrepared, every parameter sent as text and typed by the server.
// Result cells are converted by column type: integers and bool → int64, float4/float8/numeric
// → double, everything else → string, NULL → monostate.
#include "store/postgres/pg_database.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "store/pool_slots.h"
#include "store/postgres/placeholders.h"

extern char** environ;

namespace aftersales::store {
namespace {

constexpr int kDefaultPoolSize = 8;

// Built-in type OIDs (src/include/catalog/pg_type.dat); stable across server versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

void ignore_notice(void*, const char*) {}

struct PGresultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, PGresultDeleter>;

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string snippet(std::string_view sql) {
  constexpr size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

DbError::Kind kind_for(const char* sqlstate, PGconn* conn) {
  if (conn != nullptr && PQstatus(conn) == CONNECTION_BAD) return DbError::Kind::kConnection;
  if (sqlstate == nullptr) return DbError::Kind::kOther;
  const std::string_view s(sqlstate);
  if (s == "23505") return DbError::Kind::kUnique;
  if (s == "23503") return DbError::Kind::kForeignKey;
  if (s == "23514" || s == "23502") return DbError::Kind::kCheck;
  if (s == "40001" || s == "40P01" || s == "55P03") return DbError::Kind::kBusy;
  // Class 08 is connection exceptions (but 08P01, a protocol violation, leaves the connection
  // usable); 57P01..57P03 are the server shutting down or terminating this backend.
  if ((s.substr(0, 2) == "08" && s != "08P01") || s == "57P01" || s == "57P02" || s == "57P03")
    return DbError::Kind::kConnection;
  return DbError::Kind::kOther;
}

[[noreturn]] void throw_error(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string message = "postgres: ";
  if (primary != nullptr) {
    message += primary;
  } else {
    // Errors raised by libpq itself (a lost connection, say) carry no fields.
    std::string text = trim(res ? PQresultErrorMessage(res) : "");
    if (text.empty()) text = trim(PQerrorMessage(conn));
    message += text.empty() ? "unknown error" : text;
  }
  if (detail != nullptr) message += std::string(" (") + detail + ")";
  if (state != nullptr) message += std::string(" [SQLSTATE ") + state + "]";
  if (!sql.empty()) message += " in: " + snippet(sql);
  throw DbError(kind_for(state, conn), message);
}

bool ok(const PGresult* res) {
  if (res == nullptr) return false;
  const ExecStatusType st = PQresultStatus(res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

Value convert_cell(Oid type, const char* text, int length) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text, end, v);
      if (ec == std::errc() && ptr == end) return v;
      break;
    }
    case kBoolOid:
      return std::int64_t{text[0] == 't' ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      // from_chars is locale-independent and accepts NaN, Infinity and -Infinity as printed.
      double v = 0;
      auto [ptr, ec] = std::from_chars(text, end, v);
      if (ec == std::errc() && ptr == end) return v;
      if (ec == std::errc::result_out_of_range) return std::string(text, length);
      break;
    }
    default:
      break;
  }
  return std::string(text, length);
}

Result to_result(PGresult* res) {
  Result result;
  const int fields = PQnfields(res);
  const int tuples = PQntuples(res);
  std::vector<Oid> types(fields);
  result.columns.reserve(fields);
  for (int f = 0; f < fields; ++f) {
    result.columns.emplace_back(PQfname(res, f));
    types[f] = PQftype(res, f);
  }
  result.rows.reserve(tuples);
  for (int t = 0; t < tuples; ++t) {
    std::vector<Value> cells;
    cells.reserve(fields);
    for (int f = 0; f < fields; ++f) {
      if (PQgetisnull(res, t, f)) {
        cells.emplace_back(std::monostate{});
      } else {
        cells.push_back(convert_cell(types[f], PQgetvalue(res, t, f), PQgetlength(res, t, f)));
      }
    }
    result.rows.emplace_back(&result.columns, std::move(cells));
  }
  const char* affected = PQcmdTuples(res);
  if (affected != nullptr && *affected != '\0') {
    std::from_chars(affected, affected + std::strlen(affected), result.affected);
  }
  return result;
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result query(std::string_view sql, const std::vector<Value>& params) override;
  void exec_script(std::string_view sql) override;
  // Plain BEGIN for reads as well: SQLite's deferred BEGIN lets a read transaction write, and
  // code tested on the embedded shape must not fail only on PostgreSQL (BEGIN READ ONLY
  // would reject writes and SELECT ... FOR UPDATE).
  void begin(bool write) override { exec_simple("BEGIN"); }
  void commit() override;
  void rollback() override { exec_simple("ROLLBACK"); }
  bool in_transaction() const override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  PGconn* raw() const { return conn_; }
  void exec_simple(const std::string& sql);
  // Liveness check without a round trip: an idle connection has nothing to read unless the
  // server has closed it (pg_terminate_backend, a restart) or sent a notice.
  bool healthy();
  // Readies the connection for its next borrower; false if it should be discarded.
  bool reset_for_pool();

 private:
  struct Prepared {
    std::string name;
    int params = 0;
  };
  const Prepared& prepare(std::string_view sql);

  PGconn* conn_;
  std::unordered_map<std::string, Prepared> statements_;  // by the caller's SQL text
  int next_statement_ = 0;
};

void PgConnection::exec_simple(const std::string& sql) {
  ResultPtr res(PQexec(conn_, sql.c_str()));
  if (!ok(res.get())) throw_error(conn_, res.get(), sql);
}

void PgConnection::commit() {
  ResultPtr res(PQexec(conn_, "COMMIT"));
  if (!ok(res.get())) throw_error(conn_, res.get(), "COMMIT");
  // COMMIT of a transaction aborted by an earlier error succeeds as a ROLLBACK; callers that
  // caught that error and went on must not believe their work was saved.
  if (std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0) {
    throw DbError(DbError::Kind::kOther,
                  "postgres: COMMIT rolled back: the transaction had been aborted by an earlier "
                  "error (use a SAVEPOINT or ON CONFLICT to recover from errors within a "
                  "transaction)");
  }
}

void PgConnection::exec_script(std::string_view sql) {
  // The simple query protocol runs several ;-separated statements, as one implicit
  // transaction unless the script has its own BEGIN/COMMIT.
  const std::string text(sql);
  ResultPtr res(PQexec(conn_, text.c_str()));
  if (!ok(res.get())) throw_error(conn_, res.get(), sql);
}

const PgConnection::Prepared& PgConnection::prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  Prepared prepared;
  const std::string text = rewrite_placeholders(sql, &prepared.params);
  prepared.name = "s" + std::to_string(++next_statement_);
  ResultPtr res(PQprepare(conn_, prepared.name.c_str(), text.c_str(), 0, nullptr));
  if (!ok(res.get())) throw_error(conn_, res.get(), sql);
  return statements_.emplace(key, std::move(prepared)).first->second;
}

Result PgConnection::query(std::string_view sql, const std::vector<Value>& params) {
  // Parameters as text; the server infers each one's type from its use.
  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = params[i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      texts[i] = std::to_string(*n);
      values[i] = texts[i].c_str();
    } else if (const auto* d = std::get_if<double>(&v)) {
      char buf[64];
      // Same text as "%.17g" (exact round trip) but independent of the C locale.
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::general, 17);
      texts[i].assign(buf, ec == std::errc() ? end : buf);
      values[i] = texts[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      values[i] = s->c_str();
    }
  }

  for (int attempt = 0;; ++attempt) {
    const Prepared& prepared = prepare(sql);
    if (prepared.params != static_cast<int>(params.size())) {
      throw DbError(DbError::Kind::kOther, "postgres: statement has " +
                                               std::to_string(prepared.params) +
                                               " placeholders but " +
                                               std::to_string(params.size()) +
                                               " parameters were given, in: " + snippet(sql));
    }
    ResultPtr res(PQexecPrepared(conn_, prepared.name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0));
    if (ok(res.get())) return to_result(res.get());

    // A cached statement whose result columns changed under it (ALTER TABLE after a
    // SELECT *) fails with "cached plan must not change result type": prepare it afresh.
    const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
    if (state != nullptr && std::strcmp(state, "0A000") == 0 &&
        std::strstr(PQresultErrorMessage(res.get()), "cached plan") != nullptr) {
      const std::string name = prepared.name;
      statements_.erase(std::string(sql));
      // Outside a transaction nothing ran, so it is safe to try once more; inside one the
      // transaction is aborted and the caller must retry it.
      if (attempt == 0 && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
        ResultPtr dealloc(PQexec(conn_, ("DEALLOCATE " + name).c_str()));
        continue;
      }
    }
    throw_error(conn_, res.get(), sql);
  }
}

bool PgConnection::healthy() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  const int fd = PQsocket(conn_);
  if (fd < 0) return false;
  // A terminated backend leaves its FATAL message and then end-of-file: the first read takes
  // the message (PQnotifies parses it, as a notice), a later one finds the end of file.
  for (int i = 0; i < 8; ++i) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) break;
    if (!PQconsumeInput(conn_)) return false;
    while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
    if (PQstatus(conn_) != CONNECTION_OK) return false;
  }
  return PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool PgConnection::reset_for_pool() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  switch (PQtransactionStatus(conn_)) {
    case PQTRANS_IDLE:
      return true;
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR: {
      // Returned with a transaction open (its rollback failed or was never attempted).
      ResultPtr res(PQexec(conn_, "ROLLBACK"));
      return ok(res.get()) && PQtransactionStatus(conn_) == PQTRANS_IDLE;
    }
    default:
      return false;
  }
}

std::string quote_conninfo_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// The channel every write transaction notifies, so that other processes' kept views end.
constexpr const char* kWritesChannel = "aftersales_writes";

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const DatabaseOptions& options)
      : url_(std::move(url)),
        lock_timeout_ms_(options.busy_timeout_ms),
        slots_(options.pool_size > 0 ? options.pool_size : kDefaultPoolSize) {
    // Fail fast on a wrong URL or an unreachable server; keep the connection.
    idle_.push_back(connect());
    open_ = 1;
  }
  ~PgDatabase() override {
    {
      std::lock_guard lock(listen_mu_);
      stopping_ = true;
    }
    listen_cv_.notify_all();
    if (listener_.joinable()) listener_.join();
  }

  // Every write transaction, from any process of ours, notifies kWritesChannel; it is delivered
  // at commit, and not at all if the transaction rolls back. The payload names this process,
  // which ignores its own: its generation ended as the write returned, and hearing of it again a
  // moment later would only end the views read since.
  void run_write(const WriteBody& body) override {
    Database::run_write([&](Connection& c) {
      if (!body(c)) return false;
      c.query(std::string("SELECT pg_notify('") + kWritesChannel + "', ?)", {process_token_});
      return true;
    });
  }

  // While the listening connection is down, other processes' writes go unseen: every call then
  // ends the generation, so that nothing read meanwhile is kept or served again.
  std::uint64_t generation() const override {
    if (following_.load(std::memory_order_acquire) && !listening_.load(std::memory_order_acquire))
      return advance_generation();
    return Database::generation();
  }
  // Listens once before returning, so that views are kept from the first request on; if that
  // fails, the listener thread keeps trying.
  void follow_other_writers() override {
    std::lock_guard lock(listen_mu_);
    if (following_.exchange(true)) return;
    PGconn* conn = listen_connection();
    if (conn != nullptr) listening_.store(true, std::memory_order_release);
    listener_ = std::thread([this, conn] { listen_loop(conn); });
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  PooledConnection acquire() override { return take(false); }
  PooledConnection acquire_after_write() override { return take(true); }
  void release(std::unique_ptr<Connection> conn) override;
  PoolStats stats() const override {
    std::lock_guard lock(mu_);
    return PoolStats{slots_.size(), slots_.in_use(), static_cast<int>(idle_.size()), slots_.waits()};
  }
  void backup_to(const std::string& path) override;
  std::string url_for_display() const override { return pg_url_for_display(url_); }

 private:
  PooledConnection take(bool after_write);  // a slot of slots_, then a connection for it
  std::unique_ptr<PgConnection> connect();
  PGconn* open_raw(const char* application_name);
  PGconn* listen_connection(std::string* error = nullptr);  // listening, or nullptr
  void listen_loop(PGconn* conn);
  bool wait_or_stop(std::chrono::milliseconds d);  // false when stopping

  const std::string url_;
  const int lock_timeout_ms_;

  mutable std::mutex mu_;
  PoolSlots slots_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // connections that exist or are being opened: idle + in use

  std::mutex listen_mu_;
  std::condition_variable listen_cv_;
  bool stopping_ = false;
  std::atomic<bool> following_{false};
  std::atomic<bool> listening_{false};
  std::thread listener_;
  const std::string process_token_ = [] {
    std::random_device rd;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d-%08x%08x", static_cast<int>(::getpid()), rd(), rd());
    return std::string(buf);
  }();
};

PGconn* PgDatabase::open_raw(const char* application_name) {
  // Processed in order: the URL's own settings override the defaults before it, and the
  // settings after it are forced.
  // TCP keepalives notice a vanished server (no FIN, e.g. a failed-over primary) in about
  // a minute and a half instead of the system's two hours.
  const char* keys[] = {"connect_timeout",     "keepalives_idle",
                        "keepalives_interval", "keepalives_count",
                        "fallback_application_name", "dbname",
                        "client_encoding",     nullptr};
  const char* values[] = {"10", "60", "10", "3", application_name, url_.c_str(), "UTF8", nullptr};
  return PQconnectdbParams(keys, values, /*expand_dbname=*/1);
}

bool PgDatabase::wait_or_stop(std::chrono::milliseconds d) {
  std::unique_lock lock(listen_mu_);
  return !listen_cv_.wait_for(lock, d, [&] { return stopping_; });
}

PGconn* PgDatabase::listen_connection(std::string* error) {
  PGconn* conn = open_raw("aftersales-listener");
  if (conn == nullptr) {
    if (error) *error = "out of memory";
    return nullptr;
  }
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* res = PQexec(conn, (std::string("LISTEN ") + kWritesChannel).c_str());
    const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    if (ok) return conn;
  }
  if (error) *error = trim(PQerrorMessage(conn));
  PQfinish(conn);
  return nullptr;
}

// Listens on kWritesChannel on a connection of its own (`conn`, when already listening) and ends
// the generation whenever a transaction (of this process or another) has committed a write.
// Reconnects when the connection is lost; writes missed while it was down are covered by ending
// the generation on reconnecting (and generation() ends one on every call meanwhile).
void PgDatabase::listen_loop(PGconn* conn) {
  std::chrono::milliseconds backoff(100);
  bool warned = false;
  std::string error;
  while (wait_or_stop(std::chrono::milliseconds(0))) {
    if (conn == nullptr) {
      conn = listen_connection(&error);
      if (conn != nullptr) {
        advance_generation();
        listening_.store(true, std::memory_order_release);
        if (warned) log::info("following other processes' writes again");
        warned = false;
        backoff = std::chrono::milliseconds(100);
      }
    }
    if (conn != nullptr) {
      for (;;) {
        {
          std::lock_guard lock(listen_mu_);
          if (stopping_) break;
        }
        pollfd p{PQsocket(conn), POLLIN, 0};
        const int n = ::poll(&p, 1, 200);
        if (n < 0 && errno != EINTR) break;
        if (n > 0 && PQconsumeInput(conn) == 0) break;
        bool any = false;
        while (PGnotify* note = PQnotifies(conn)) {
          if (note->extra == nullptr || process_token_ != note->extra) any = true;
          PQfreemem(note);
        }
        if (any) advance_generation();
        if (PQstatus(conn) != CONNECTION_OK) break;
      }
      listening_.store(false, std::memory_order_release);
      error = trim(PQerrorMessage(conn));
      PQfinish(conn);
      conn = nullptr;
    }
    {
      std::lock_guard lock(listen_mu_);
      if (stopping_) return;
    }
    if (!warned)
      log::warn("cannot follow other processes' writes; no view is kept until this is back", {{"error", error}});
    warned = true;
    if (!wait_or_stop(backoff)) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
  if (conn != nullptr) PQfinish(conn);
}

std::unique_ptr<PgConnection> PgDatabase::connect() {
  PGconn* raw = open_raw("aftersales");
  if (raw == nullptr) throw DbError(DbError::Kind::kConnection, "postgres: out of memory");
  auto conn = std::make_unique<PgConnection>(raw);
  if (PQstatus(raw) != CONNECTION_OK) {
    throw DbError(DbError::Kind::kConnection, "postgres: cannot connect to " +
                                                  url_for_display() + ": " +
                                                  trim(PQerrorMessage(raw)));
  }
  PQsetNoticeProcessor(raw, ignore_notice, nullptr);
  if (lock_timeout_ms_ > 0) conn->exec_simple("SET lock_timeout = " + std::to_string(lock_timeout_ms_));
  return conn;
}

PooledConnection PgDatabase::take(bool after_write) {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock lock(mu_);
    slots_.take(lock, after_write);
    if (!idle_.empty()) {
      conn = std::move(idle_.back());  // the most recently used: warm caches
      idle_.pop_back();
    } else {
      ++open_;  // a new connection for the slot, opened below outside the lock
    }
  }
  if (conn && !conn->healthy()) conn.reset();  // dead or dirty: replace it in the same slot
  if (!conn) {
    try {
      conn = connect();
    } catch (...) {
      {
        std::lock_guard lock(mu_);
        --open_;
        slots_.give_back();
      }
      slots_.notify();
      throw;
    }
  }
  return PooledConnection(this, std::move(conn));
}

void PgDatabase::release(std::unique_ptr<Connection> conn) {
  std::unique_ptr<PgConnection> pg;
  if (auto* p = dynamic_cast<PgConnection*>(conn.get())) {
    conn.release();
    pg.reset(p);
  }
  bool keep = false;
  try {
    keep = pg && pg->reset_for_pool();
  } catch (...) {
    keep = false;
  }
  {
    std::lock_guard lock(mu_);
    slots_.give_back();
    if (keep) {
      idle_.push_back(std::move(pg));
    } else {
      --open_;  // the next acquire opens a replacement
    }
  }
  slots_.notify();
  // A discarded connection is closed here, outside the lock.
}

void PgDatabase::backup_to(const std::string& path) {
  // pg_dump gets the connection parameters as a conninfo string without the password, which
  // goes in its environment instead so that it never shows in the process list. No shell
  // is involved: the URL and path reach pg_dump as they are.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url_.c_str(), &parse_error);
  if (options == nullptr) {
    std::string message = parse_error ? trim(parse_error) : "out of memory";
    if (parse_error) PQfreemem(parse_error);
    throw DbError(DbError::Kind::kOther, "backup: bad database URL: " + message);
  }
  std::string conninfo;
  std::string password;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      password = o->val;
      continue;
    }
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += std::string(o->keyword) + "=" + quote_conninfo_value(o->val);
  }
  PQconninfoFree(options);

  std::vector<std::string> args = {"pg_dump", "--format=custom", "--no-password",
                                   "--file=" + path, "--dbname=" + conninfo};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "PGPASSWORD=", 11) == 0) continue;
    env_storage.emplace_back(*e);
  }
  if (!password.empty()) env_storage.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw DbError(DbError::Kind::kOther, std::string("backup: pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "pg_dump", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw DbError(DbError::Kind::kOther, std::string("backup: cannot run pg_dump: ") +
                                             std::strerror(rc));
  }
  std::string output;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      if (output.size() < 16384) output.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw DbError(DbError::Kind::kOther, std::string("backup: waitpid: ") + std::strerror(errno));
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status)
                                ? "exit status " + std::to_string(WEXITSTATUS(status))
                                : "signal " + std::to_string(WTERMSIG(status));
    std::string message = trim(output);
    if (!password.empty()) {  // pg_dump does not echo it, but be sure
      for (size_t at; (at = message.find(password)) != std::string::npos;)
        message.replace(at, password.size(), "***");
    }
    throw DbError(DbError::Kind::kOther, "backup: pg_dump failed (" + how + ")" +
                                             (message.empty() ? "" : ": " + message));
  }
}

}  // namespace

std::string pg_url_for_display(const std::string& url) {
  std::string out = url;
  // URI form: postgresql://user:password@host/...
  if (size_t scheme = out.find("://"); scheme != std::string::npos) {
    const size_t start = scheme + 3;
    size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    const std::string_view authority = std::string_view(out).substr(start, end - start);
    const size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const size_t colon = authority.find(':');
      if (colon != std::string_view::npos && colon < at) {
        out.replace(start + colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... as a URI query parameter or in keyword=value form.
  size_t pos = 0;
  while ((pos = out.find("password", pos)) != std::string::npos) {
    const bool boundary = pos == 0 || out[pos - 1] == '?' || out[pos - 1] == '&' ||
                          out[pos - 1] == ' ' || out[pos - 1] == '\t';
    size_t value = pos + 8;
    while (value < out.size() && out[value] == ' ') ++value;
    if (!boundary || value >= out.size() || out[value] != '=') {
      pos += 8;
      continue;
    }
    ++value;
    while (value < out.size() && out[value] == ' ') ++value;
    size_t end = value;
    if (end < out.size() && out[end] == '\'') {
      ++end;
      while (end < out.size() && out[end] != '\'') end += out[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, out.size());
    } else {
      end = out.find_first_of("& \t", value);
      if (end == std::string::npos) end = out.size();
    }
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& options) {
  return std::make_unique<PgDatabase>(url, options);
}

}  // namespace aftersales::store
