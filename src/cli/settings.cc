#include "cli/settings.h"

#include <filesystem>

namespace aftersales::cli {

std::string Settings::database_url() const {
  if (!database.empty()) return database;
  return "sqlite://" + (std::filesystem::absolute(data_dir) / "aftersales.db").lexically_normal().string();
}

void add_database_options(CLI::App& cmd, Settings& s) {
  cmd.set_config("--config", "", "TOML file with settings (keys as the long flag names)")
      ->envname("AFTERSALES_CONFIG");
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
  cmd.add_option("--pool-size", s.pool_size, "Database connections (0 = driver default)")
      ->envname("AFTERSALES_POOL_SIZE")->check(CLI::Range(0, 512));
  cmd.add_option("--session-ttl-minutes", s.session_ttl_minutes, "Lifetime of a login session")
      ->envname("AFTERSALES_SESSION_TTL_MINUTES")->check(CLI::Range(1LL, 525600LL))->capture_default_str();
  cmd.add_flag("--secure-cookies,!--no-secure-cookies", s.secure_cookies, "Mark the session cookie Secure (serve behind HTTPS)")
      ->envname("AFTERSALES_SECURE_COOKIES");
}

}  // namespace aftersales::cli
