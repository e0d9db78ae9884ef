// What a process may keep in memory about rows of one table, told of their changes by the writer
// (Database::watch_rows). On SQLite every write of the process passes one connection, so the
// driver sees each changed row (sqlite3_update_hook) and each commit; it cannot see which rows
// another process changed, only that one did (PRAGMA data_version), and then says so.
#pragma once
#include <cstdint>
#include <vector>

namespace aftersales::store {

class Connection;

class RowWatcher {
 public:
  virtual ~RowWatcher() = default;
  // In a write transaction, after its last body and before its commit, on the writer's own
  // connection (whose page cache holds what was just written): the ids of the rows the bodies
  // inserted, updated or deleted, each once; some of these changes may since have been undone
  // with their body. Read here what the commit will make true; do not write.
  virtual void changed(Connection& c, const std::vector<std::int64_t>& ids) = 0;
  // The transaction changed() was told of is durable (true), or undone whole (false). Called on
  // the writer thread before any request of the transaction hears that it is durable.
  virtual void ended(bool durable) = 0;
  // Anything learned so far may be stale: another connection or process wrote to the database,
  // or this watcher has just been attached (changes committed before it was may not have been
  // told). Called on the writer thread at the start of a write transaction, before its bodies.
  virtual void reset() = 0;
};

}  // namespace aftersales::store
