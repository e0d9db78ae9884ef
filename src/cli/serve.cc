#include <atomic>
#include <iostream>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/log.h"
#include "http/api.h"
#include "http/server.h"
#include "jobs/mail_poller.h"
#include "jobs/outbox_worker.h"
#include "jobs/periodic.h"
#include "app/ticket_search.h"
#include "app/sla_watch.h"
#include "store/migrations.h"

namespace aftersales::cli {

namespace {

bool split_listen(const std::string& listen, std::string* host, unsigned short* port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  try {
    int p = std::stoi(listen.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *port = static_cast<unsigned short>(p);
  } catch (...) {
    return false;
  }
  return !host->empty();
}

}  // namespace

int run_serve(const Settings& s) {
  log::set_level(s.log_level);
  std::string host;
  unsigned short port = 0;
  if (!split_listen(s.listen, &host, &port)) {
    std::cerr << "error: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return 2;
  }
  store::DatabaseOptions options;
  options.pool_size = s.pool_size;
  options.durable = s.durable;
  auto db = store::open_database(s.database_url(), options);
  int applied = store::migrate_up(*db);
  log::info("database ready", {{"database", db->url_for_display()}, {"migrations_applied", applied}});
  if (auto indexed = app::index_unindexed_tickets(*db); indexed > 0)
    log::info("search index caught up", {{"requests_indexed", indexed}});

  SystemClock clock;
  app::AuthSettings auth_settings;
  auth_settings.session_ttl_ms = s.session_ttl_minutes * 60 * 1000;
  app::AuthService auth(*db, clock, auth_settings);
  http::Metrics metrics;
  std::atomic<bool> ready{false};
  http::ApiContext ctx{*db, auth, clock, metrics, s.secure_cookies, auth_settings.session_ttl_ms,
                       [&ready] { return ready.load(); }, s.data_dir};
  ctx.tickets.search_window = s.search_window;
  http::Router router;
  http::register_api(router, ctx);
  http::StaticFiles files(s.web_dir);
  if (!files.available())
    log::warn("web UI not found; serving a placeholder page", {{"web_dir", s.web_dir}});
  http::Pipeline pipeline(router, metrics, auth, files);
  pipeline.set_access_log(s.access_log);
  const int view_cache_ms = s.view_cache_ms >= 0 ? s.view_cache_ms : 1000;
  // Kept views must end with other processes' writes too (other servers on one PostgreSQL).
  if (view_cache_ms > 0) db->follow_other_writers();
  http::ViewCache views([&db] { return db->generation(); }, view_cache_ms);
  pipeline.set_view_cache(&views, &clock);
  metrics.add_gauge("aftersales_view_cache_total", "Read views served from the view cache, and rendered.", [&views] {
    auto st = views.stats();
    return std::vector<std::pair<std::string, double>>{{"result=\"hit\"", static_cast<double>(st.hits)},
                                                       {"result=\"miss\"", static_cast<double>(st.misses)}};
  });
  metrics.add_gauge("aftersales_view_cache_bytes", "Bytes of rendered views kept.", [&views] {
    return std::vector<std::pair<std::string, double>>{{"", static_cast<double>(views.stats().bytes)}};
  });

  metrics.add_gauge("aftersales_db_pool_connections", "Database pool connections by state.", [&db] {
    auto st = db->stats();
    return std::vector<std::pair<std::string, double>>{
        {"state=\"in_use\"", st.in_use}, {"state=\"idle\"", st.idle}, {"state=\"max\"", st.size}};
  });
  metrics.add_gauge("aftersales_db_pool_waits_total", "Acquisitions that waited for a free connection.", [&db] {
    return std::vector<std::pair<std::string, double>>{{"", static_cast<double>(db->stats().waits)}};
  });

  metrics.add_gauge("aftersales_db_group_commits_total",
                    "SQLite: commits of grouped write transactions, and the transactions they made durable.", [&db] {
    auto st = db->stats();
    return std::vector<std::pair<std::string, double>>{
        {"kind=\"commits\"", static_cast<double>(st.group_commits)},
        {"kind=\"transactions\"", static_cast<double>(st.grouped_transactions)}};
  });

  std::optional<jobs::OutboxWorker> outbox;
  if (s.workers) {
    jobs::OutboxWorkerOptions o;
    auto delays = jobs::parse_delays(s.outbox_retry_schedule);
    if (!delays) {
      std::cerr << "error: --outbox-retry-schedule must look like 30s,2m,10m,1h\n";
      return 2;
    }
    o.retry.delays = *delays;
    o.retry.max_attempts = s.outbox_max_attempts;
    o.delivery.public_url = s.public_url;
    outbox.emplace(*db, clock, o);
  }

  // Warnings and escalations: every few seconds, each fired exactly once across processes.
  std::optional<jobs::Periodic> sla_watch;
  if (s.workers) {
    sla_watch.emplace("sla_watch", std::chrono::seconds(s.sla_watch_seconds), [&db, &clock] {
      int fired = app::run_sla_watch(*db, clock.now_ms());
      if (fired > 0) log::info("sla alerts fired", {{"count", fired}});
    });
  }

  // Intake by e-mail: polls the service mailbox; each new mail from a customer becomes a request.
  std::optional<app::MailIntake> mail_intake;
  std::optional<jobs::MailPoller> mail_poller;
  std::optional<jobs::Periodic> mail_watch;
  if (s.workers && !s.mail_intake_url.empty()) {
    if (auto why = jobs::check_mail_url(s.mail_intake_url); !why.empty()) {
      std::cerr << "error: --mail-intake-url: " << why << " (e.g. imaps://user:password@mail.example.com/INBOX)\n";
      return 2;
    }
    app::MailIntakeSettings mail_settings;
    if (s.mail_intake_fallback_project > 0) mail_settings.fallback_project_id = s.mail_intake_fallback_project;
    mail_intake.emplace(*db, clock, mail_settings);
    jobs::MailPollerOptions mo;
    mo.url = s.mail_intake_url;
    mail_poller.emplace(*mail_intake, mo);
    mail_watch.emplace("mail_intake", std::chrono::seconds(s.mail_intake_seconds), [&mail_poller] {
      auto st = mail_poller->poll_once();
      if (st.created > 0 || st.replayed > 0)
        log::info("mail intake round", {{"unseen", st.seen}, {"created", st.created}, {"replayed", st.replayed},
                                        {"left_unread", st.left}});
    });
    log::info("mail intake on", {{"mailbox", jobs::redact_mail_url(s.mail_intake_url)},
                                 {"interval_s", s.mail_intake_seconds}});
  }

  http::ServerLimits limits;
  limits.threads = s.threads;
  limits.write_threads = s.write_threads;
  limits.nice = s.request_nice >= 0 ? s.request_nice : db->dialect() == store::Dialect::kSqlite ? 10 : 0;
  limits.read_threads = s.read_threads;
  limits.search_threads = s.search_threads;
  if (!s.durable) log::warn("durability is off: acknowledged writes can be lost on a crash", {});
  http::Server server(pipeline, host, port, limits);
  metrics.set_in_flight_source([&server] { return server.in_flight(); });
  const std::string url = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                          std::to_string(server.port());
  log::info("listening", {{"url", url}, {"port", server.port()}, {"threads", s.threads}});
  ready = true;
  if (outbox) outbox->start();
  if (sla_watch) sla_watch->start();
  if (mail_watch) mail_watch->start();
  server.run();
  ready = false;
  // An intake still queued for SQLite's writer when the shutdown's grace ran out is told on the
  // writer thread and then posts its answer to the server's (stopped) I/O context. A write queued
  // behind them returns once every one of them has, so none posts to a context already gone.
  if (db->can_write_async()) {
    try {
      db->write([](store::Connection&) {});
    } catch (const std::exception& e) {
      log::warn("the last write before stopping failed", {{"error", e.what()}});
    }
  }
  if (mail_poller) mail_poller->cancel();  // a round waiting on the network gives up
  if (mail_watch) mail_watch->stop();
  if (sla_watch) sla_watch->stop();
  if (outbox) outbox->stop();  // before the database closes; aborts transfers in flight
  log::info("stopped");
  return 0;
}

}  // namespace aftersales::cli
