// Versioned schema migrations for both dialects, embedded in the binary at build time from
// src/store/migrations/<dialect>/NNNN_name.sql.
#pragma once
#include <string>
#include <vector>

#include "store/sql.h"

namespace aftersales::store {

struct Migration {
  const char* dialect;  // "sqlite" or "postgres"
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& embedded_migrations();

struct MigrationStatus {
  int version;
  std::string name;
  bool applied;
  std::string applied_at;  // ISO time, empty when pending
};

// Applies every pending migration in order, each in its own transaction, and returns how many
// ran. Safe with several processes starting at once: on PostgreSQL an advisory lock serialises
// them, on SQLite the write lock does. Throws DbError on failure (the failing migration is
// rolled back; earlier ones stay applied).
int migrate_up(Database& db);

// Every known migration for this dialect and whether it has been applied.
std::vector<MigrationStatus> migration_status(Database& db);

}  // namespace aftersales::store
