#include "cli/settings.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <toml.hpp>

namespace aftersales::cli {

std::string Settings::database_url() const {
  if (!database.empty()) return database;
  return "sqlite://" + (std::filesystem::absolute(data_dir) / "aftersales.db").lexically_normal().string();
}

std::string find_config_path(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) return argv[i + 1];
    if (a.rfind("--config=", 0) == 0) return a.substr(9);
  }
  const char* env = std::getenv("AFTERSALES_CONFIG");
  return env ? env : "";
}

void apply_config_file(const std::string& path, Settings& s) {
  toml::value file;
  try {
    file = toml::parse(path);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read config file " + path + ": " + e.what());
  }
  for (const auto& [key, value] : toml::get<toml::table>(file)) {
    auto str = [&](std::string* out) {
      if (!value.is_string()) throw std::runtime_error(path + ": " + key + " must be a string");
      *out = value.as_string().str;
    };
    auto integer = [&](auto* out) {
      if (!value.is_integer()) throw std::runtime_error(path + ": " + key + " must be an integer");
      *out = static_cast<std::remove_reference_t<decltype(*out)>>(value.as_integer());
    };
    if (key == "listen") str(&s.listen);
    else if (key == "database") str(&s.database);
    else if (key == "data-dir" || key == "data_dir") str(&s.data_dir);
    else if (key == "web-dir" || key == "web_dir") str(&s.web_dir);
    else if (key == "log-level" || key == "log_level") str(&s.log_level);
    else if (key == "threads") integer(&s.threads);
    else if (key == "write-threads" || key == "write_threads") integer(&s.write_threads);
    else if (key == "read-threads" || key == "read_threads") integer(&s.read_threads);
    else if (key == "search-threads" || key == "search_threads") integer(&s.search_threads);
    else if (key == "request-nice" || key == "request_nice") integer(&s.request_nice);
    else if (key == "durable") {
      if (!value.is_boolean()) throw std::runtime_error(path + ": " + key + " must be true or false");
      s.durable = value.as_boolean();
    }
    else if (key == "pool-size" || key == "pool_size") integer(&s.pool_size);
    else if (key == "view-cache-ms" || key == "view_cache_ms") integer(&s.view_cache_ms);
    else if (key == "search-window" || key == "search_window") integer(&s.search_window);
    else if (key == "session-ttl-minutes" || key == "session_ttl_minutes") integer(&s.session_ttl_minutes);
    else if (key == "public-url" || key == "public_url") str(&s.public_url);
    else if (key == "outbox-retry-schedule" || key == "outbox_retry_schedule") str(&s.outbox_retry_schedule);
    else if (key == "outbox-max-attempts" || key == "outbox_max_attempts") integer(&s.outbox_max_attempts);
    else if (key == "sla-watch-seconds" || key == "sla_watch_seconds") integer(&s.sla_watch_seconds);
    else if (key == "access-log" || key == "access_log") {
      if (!value.is_boolean()) throw std::runtime_error(path + ": " + key + " must be true or false");
      s.access_log = value.as_boolean();
    }
    else if (key == "mail-intake-url" || key == "mail_intake_url") str(&s.mail_intake_url);
    else if (key == "mail-intake-seconds" || key == "mail_intake_seconds") integer(&s.mail_intake_seconds);
    else if (key == "mail-intake-fallback-project" || key == "mail_intake_fallback_project")
      integer(&s.mail_intake_fallback_project);
    else if (key == "workers") {
      if (!value.is_boolean()) throw std::runtime_error(path + ": " + key + " must be true or false");
      s.workers = value.as_boolean();
    }
    else if (key == "secure-cookies" || key == "secure_cookies") {
      if (!value.is_boolean()) throw std::runtime_error(path + ": " + key + " must be true or false");
      s.secure_cookies = value.as_boolean();
    } else {
      throw std::runtime_error(path + ": unknown setting '" + key + "'");
    }
  }
}

void add_database_options(CLI::App& cmd, Settings& s) {
  // Read before parsing (see apply_config_file); declared here for --help and validation.
  cmd.add_option("--config", "TOML file with settings (keys as the long flag names)")
      ->envname("AFTERSALES_CONFIG")
      ->check(CLI::ExistingFile);
  cmd.add_option("--database", s.database, "Database URL: sqlite:///path/file.db or postgresql://user@host:port/db")
      ->envname("AFTERSALES_DATABASE");
  cmd.add_option("--data-dir", s.data_dir, "Directory for the default SQLite file and attachments")
      ->envname("AFTERSALES_DATA_DIR")
      ->capture_default_str();
  cmd.add_option("--log-level", s.log_level, "debug, info, warn or error")
      ->envname("AFTERSALES_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
}

void add_server_options(CLI::App& cmd, Settings& s) {
  add_database_options(cmd, s);
  cmd.add_option("--listen", s.listen, "HOST:PORT to listen on")->envname("AFTERSALES_LISTEN")->capture_default_str();
  cmd.add_option("--web-dir", s.web_dir, "Directory of the built web UI")->envname("AFTERSALES_WEB_DIR")->capture_default_str();
  cmd.add_option("--threads", s.threads, "I/O threads")->envname("AFTERSALES_THREADS")->check(CLI::Range(1, 256))->capture_default_str();
  cmd.add_option("--read-threads", s.read_threads,
                 "Threads running reads that query the database (the I/O threads answer the rest at once)")
      ->envname("AFTERSALES_READ_THREADS")->check(CLI::Range(1, 1024))->capture_default_str();
  cmd.add_option("--search-threads", s.search_threads,
                 "Threads running full-text searches (?q=), apart from other reads so that slow searches "
                 "never hold them up; keep it below --pool-size")
      ->envname("AFTERSALES_SEARCH_THREADS")->check(CLI::Range(1, 1024))->capture_default_str();
  cmd.add_option("--write-threads", s.write_threads,
                 "Threads running writes; writes waiting together share one disk flush (group commit)")
      ->envname("AFTERSALES_WRITE_THREADS")->check(CLI::Range(1, 1024))->capture_default_str();
  cmd.add_option("--request-nice", s.request_nice,
                 "How much lower the request threads' priority is than that of SQLite's single writer "
                 "thread, which runs every write in turn (nice, 0-19; 0: equal; -1: 10 on SQLite, 0 on PostgreSQL)")
      ->envname("AFTERSALES_REQUEST_NICE")->check(CLI::Range(-1, 19))->capture_default_str();
  cmd.add_flag("--durable,!--no-durable", s.durable,
               "Flush every commit to disk before acknowledging it (--no-durable is for benchmarks only: "
               "a power loss can lose acknowledged writes)")
      ->envname("AFTERSALES_DURABLE");
  cmd.add_option("--view-cache-ms", s.view_cache_ms,
                 "Serve a rendered read view again for this long while nothing was written, by this or (on "
                 "PostgreSQL) another process (-1: 1000; 0: off)")
      ->envname("AFTERSALES_VIEW_CACHE_MS")->check(CLI::Range(-1, 60000))->capture_default_str();
  cmd.add_option("--search-window", s.search_window,
                 "PostgreSQL: how many of the newest requests a full-text search checks itself before it asks "
                 "the index (more: common words answered without the index; fewer: rare ones found sooner)")
      ->envname("AFTERSALES_SEARCH_WINDOW")->check(CLI::Range(0LL, 1000000LL))->capture_default_str();
  cmd.add_option("--pool-size", s.pool_size,
                 "Database connections for reads (and PostgreSQL writes), plus one kept for the read after a "
                 "write (0 = driver default)")
      ->envname("AFTERSALES_POOL_SIZE")->check(CLI::Range(0, 512));
  cmd.add_option("--session-ttl-minutes", s.session_ttl_minutes, "Lifetime of a login session")
      ->envname("AFTERSALES_SESSION_TTL_MINUTES")->check(CLI::Range(1LL, 525600LL))->capture_default_str();
  cmd.add_flag("--secure-cookies,!--no-secure-cookies", s.secure_cookies, "Mark the session cookie Secure (serve behind HTTPS)")
      ->envname("AFTERSALES_SECURE_COOKIES");
  cmd.add_flag("--workers,!--no-workers", s.workers, "Run background workers (notification delivery) in this process")
      ->envname("AFTERSALES_WORKERS");
  cmd.add_option("--public-url", s.public_url, "Public base URL of the UI, for links in notifications")
      ->envname("AFTERSALES_PUBLIC_URL");
  cmd.add_option("--outbox-retry-schedule", s.outbox_retry_schedule,
                 "Waits between notification delivery attempts (e.g. 30s,2m,10m,1h; last repeats)")
      ->envname("AFTERSALES_OUTBOX_RETRY_SCHEDULE")->capture_default_str();
  cmd.add_flag("--access-log,!--no-access-log", s.access_log, "Log one JSON line per request (errors are always logged)")
      ->envname("AFTERSALES_ACCESS_LOG");
  cmd.add_option("--sla-watch-seconds", s.sla_watch_seconds, "How often SLA warnings and escalations are checked")
      ->envname("AFTERSALES_SLA_WATCH_SECONDS")->check(CLI::Range(1, 3600))->capture_default_str();
  cmd.add_option("--mail-intake-url", s.mail_intake_url,
                 "IMAP mailbox polled for service requests by e-mail: imap[s]://user:password@host:port/INBOX (off when empty)")
      ->envname("AFTERSALES_MAIL_INTAKE_URL");
  cmd.add_option("--mail-intake-seconds", s.mail_intake_seconds, "How often the intake mailbox is polled")
      ->envname("AFTERSALES_MAIL_INTAKE_SECONDS")->check(CLI::Range(1, 86400))->capture_default_str();
  cmd.add_option("--mail-intake-fallback-project", s.mail_intake_fallback_project,
                 "Project id for mail from unknown senders (0: leave such mail unread)")
      ->envname("AFTERSALES_MAIL_INTAKE_FALLBACK_PROJECT")->check(CLI::Range(0LL, 1LL << 53));
  cmd.add_option("--outbox-max-attempts", s.outbox_max_attempts, "Delivery attempts before a notification is dead")
      ->envname("AFTERSALES_OUTBOX_MAX_ATTEMPTS")->check(CLI::Range(1, 100))->capture_default_str();
}

}  // namespace aftersales::cli
