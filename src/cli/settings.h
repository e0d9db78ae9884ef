// Settings shared by the subcommands: defaults that run with no config at all, then a TOML
// file (--config / AFTERSALES_CONFIG), then environment variables, then flags.
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace aftersales::cli {

struct Settings {
  std::string listen = "127.0.0.1:8080";
  std::string database;         // empty → sqlite:///<data_dir>/aftersales.db
  std::string data_dir = "./data";
  std::string web_dir = "web/dist";
  std::string log_level = "info";
  int threads = 4;
  int write_threads = 64;
  int read_threads = 8;
  int search_threads = 2;
  // The request threads' nice value, below SQLite's writer thread: -1 = 10 on SQLite and 0 on
  // PostgreSQL (whose writers are its own processes: lowering ours would only put them below the
  // rest of the machine).
  int request_nice = -1;
  int pool_size = 0;
  long long session_ttl_minutes = 720;
  bool secure_cookies = false;
  bool durable = true;
  // How long a rendered read view may be served again while nothing was written (http::ViewCache):
  // -1 = 1000 ms; 0 = off. On PostgreSQL other server processes' writes end kept views too
  // (LISTEN/NOTIFY; Database::follow_other_writers).
  int view_cache_ms = -1;
  // PostgreSQL: the newest requests a full-text search checks itself before asking the index.
  long long search_window = 5000;
  // Background workers (the outbox delivery); off for a process that should only serve requests.
  bool workers = true;
  std::string public_url;  // how users reach the UI, for links in notifications (survey_url)
  std::string outbox_retry_schedule = "30s,2m,10m,1h,3h,6h,12h";
  int outbox_max_attempts = 8;
  int sla_watch_seconds = 15;
  // Intake by e-mail: the mailbox polled for new requests (off when empty), how often, and
  // where mail from unknown senders goes (0: nowhere, it stays unread in the mailbox).
  std::string mail_intake_url;  // imap://user:password@host:port/INBOX or imaps://…
  int mail_intake_seconds = 60;
  long long mail_intake_fallback_project = 0;
  bool access_log = true;      // one JSON line per request  // how often warnings and escalations are checked

  // The database URL with the default applied (absolute path for SQLite).
  std::string database_url() const;
};

// Applies a TOML settings file (flat keys named like the long flags: listen, database, data-dir,
// web-dir, log-level, threads, pool-size, session-ttl-minutes, secure-cookies). Called before
// flags are parsed, so environment variables and flags still win. Throws std::runtime_error
// naming the key for unknown keys or wrong types.
void apply_config_file(const std::string& path, Settings& s);
// The config file named by --config (or --config=) in argv, else AFTERSALES_CONFIG, else "".
std::string find_config_path(int argc, char** argv);

// Adds --config plus the given common options to a subcommand.
void add_database_options(CLI::App& cmd, Settings& s);
void add_server_options(CLI::App& cmd, Settings& s);

}  // namespace aftersales::cli
