#pragma once
#include <memory>
#include <string>

#include "store/sql.h"

namespace aftersales::store {

// Opens (creating if needed, with its parent directory) the SQLite file at `path` as a pool:
// WAL mode, foreign keys on, busy timeout, synchronous=FULL unless options.durable is false.
std::unique_ptr<Database> open_sqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace aftersales::store
