#include "store/migrations.h"

#include <chrono>

#include "common/clock.h"

namespace aftersales::store {
namespace {

const char* dialect_name(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgres"; }

std::vector<const Migration*> for_dialect(Dialect d) {
  std::vector<const Migration*> out;
  for (const auto& m : embedded_migrations())
    if (std::string(m.dialect) == dialect_name(d)) out.push_back(&m);
  return out;
}

void ensure_table(Connection& c) {
  c.exec_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
}

}  // namespace

int migrate_up(Database& db) {
  auto conn = db.acquire();
  const bool pg = conn->dialect() == Dialect::kPostgres;
  // One migrator at a time across processes; released at the end (or when the session dies).
  if (pg) conn->query("SELECT pg_advisory_lock(7270011)");
  int applied = 0;
  try {
    ensure_table(*conn);
    for (const Migration* m : for_dialect(conn->dialect())) {
      conn->begin(true);
      try {
        auto done = conn->query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                {static_cast<std::int64_t>(m->version)});
        if (done.empty()) {
          conn->exec_script(m->sql);
          conn->query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                      {static_cast<std::int64_t>(m->version), std::string(m->name),
                       SystemClock().now_ms()});
          ++applied;
        }
        conn->commit();
      } catch (...) {
        conn->rollback();
        throw;
      }
    }
  } catch (...) {
    if (pg) conn->query("SELECT pg_advisory_unlock(7270011)");
    throw;
  }
  if (pg) conn->query("SELECT pg_advisory_unlock(7270011)");
  return applied;
}

std::vector<MigrationStatus> migration_status(Database& db) {
  auto conn = db.acquire();
  ensure_table(*conn);
  auto rows = conn->query("SELECT version, applied_at FROM schema_migrations");
  std::vector<MigrationStatus> out;
  for (const Migration* m : for_dialect(conn->dialect())) {
    MigrationStatus st{m->version, m->name, false, ""};
    for (const auto& r : rows.rows)
      if (r.i64("version") == m->version) {
        st.applied = true;
        st.applied_at = format_iso8601(r.i64("applied_at"));
      }
    out.push_back(st);
  }
  return out;
}

}  // namespace aftersales::store
