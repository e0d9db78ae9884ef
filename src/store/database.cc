#include "store/sql.h"

#include <algorithm>

#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace aftersales::store {

PooledConnection::~PooledConnection() {
  if (conn_) db_->release(std::move(conn_));
}

void Database::run_write(const WriteBody& body) {
  auto conn = acquire();
  conn->begin(true);
  try {
    if (body(*conn)) conn->commit();
    else conn->rollback();
  } catch (...) {
    try {
      conn->rollback();
    } catch (...) {
    }
    throw;
  }
}

const Value& Row::at(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i)
    if ((*columns_)[i] == column) return cells_[i];
  throw DbError(DbError::Kind::kOther, "no column named " + std::string(column));
}

bool Row::is_null(std::string_view column) const {
  return std::holds_alternative<std::monostate>(at(column));
}

std::int64_t Row::i64(std::string_view column) const {
  const Value& v = at(column);
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return 0;
}

double Row::f64(std::string_view column) const {
  const Value& v = at(column);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v)) return std::stod(*s);
  return 0;
}

std::string Row::text(std::string_view column) const {
  const Value& v = at(column);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::optional<std::string> Row::opt_text(std::string_view column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::optional<std::int64_t> Row::opt_i64(std::string_view column) const {
  if (is_null(column)) return std::nullopt;
  return i64(column);
}

std::unique_ptr<Database> open_database(const std::string& url, const DatabaseOptions& options) {
  if (url.rfind("sqlite://", 0) == 0) {
    // sqlite:///abs/path → /abs/path ; sqlite://rel/path → rel/path
    return open_sqlite(url.substr(std::string("sqlite://").size()), options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return open_postgres(url, options);
  }
  throw DbError(DbError::Kind::kConnection,
                "unsupported database URL '" + url.substr(0, url.find(':')) +
                    ":...' (expected sqlite:///path or postgresql://user@host:port/db)");
}

}  // namespace aftersales::store
