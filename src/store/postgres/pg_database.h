// The PostgreSQL driver: a pool of libpq connections behind the Database interface.
#pragma once
#include <memory>
#include <string>

#include "store/sql.h"

namespace aftersales::store {

// Opens a pool of up to options.pool_size (default 8) connections to `url` (any libpq
// connection string or URI). One connection is opened at once, so that a wrong URL or an
// unreachable server fails here (DbError::Kind::kConnection); the rest are opened on demand.
// Each connection sets application_name=aftersales (unless the URL names one),
// client_encoding=UTF8 and lock_timeout=options.busy_timeout_ms (a lock wait that long fails
// with DbError::Kind::kBusy, like SQLite's busy timeout).
std::unique_ptr<Database> open_postgres(const std::string& url, const DatabaseOptions& options);

// The URL with any password replaced by "***" (exposed for tests).
std::string pg_url_for_display(const std::string& url);

}  // namespace aftersales::store
