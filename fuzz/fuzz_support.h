// What the HTTP and JSON harnesses share: the real route table of the API, built on a database
// that is never there.
//
// Every statement on FuzzDatabase throws store::DbError(kConnection) — what a real driver throws
// when PostgreSQL is unreachable, and what the pipeline answers with 503. So the harnesses run
// every step a request takes before it first touches the database (routing, authentication up to
// the token lookup, query-string and body parsing, validation of every field) and stop there.
// Any other exception escaping a handler is a finding: the server would answer it with a 500.
#pragma once
#include <memory>
#include <string>

#include "app/actor.h"
#include "app/auth.h"
#include "common/clock.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/sql.h"

namespace aftersales::fuzz {

class FuzzDatabase final : public store::Database {
 public:
  store::Dialect dialect() const override { return store::Dialect::kSqlite; }
  store::PooledConnection acquire() override;
  void release(std::unique_ptr<store::Connection>) override {}
  store::PoolStats stats() const override { return {}; }
  void backup_to(const std::string&) override { fail(); }
  std::string url_for_display() const override { return "fuzz://no-database"; }
  [[noreturn]] static void fail();
};

class FixedClock final : public Clock {
 public:
  // 2026-11-23T09:30:00+08:00, a Monday: working time on every calendar.
  Millis now_ms() const override { return 1795397400000; }
};

// Built once per process: the route table as `aftersales serve` registers it.
struct Api {
  FuzzDatabase db;
  FixedClock clock;
  app::AuthService auth{db, clock};
  http::Metrics metrics;
  std::string data_dir;   // a fresh temporary directory (attachments would live here)
  std::string web_dir;    // <data_dir>/web with index.html and one asset
  std::string secret;     // <data_dir>/secret.txt: content that must never be served
  std::unique_ptr<http::ApiContext> ctx;
  http::Router router;
};
Api& api();

app::Actor admin_actor();
app::Actor customer_actor();  // a customer user of customer 1

// Silences the JSON log lines (every refused request would print one).
void quiet_logs();

}  // namespace aftersales::fuzz
