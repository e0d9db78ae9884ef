#include <filesystem>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/auth.h"
#include "cli/commands.h"
#include "common/clock.h"
#include "common/log.h"
#include "store/migrations.h"

namespace aftersales::cli {
namespace {

std::unique_ptr<store::Database> open(const Settings& s) {
  log::set_level(s.log_level);
  auto db = store::open_database(s.database_url());
  store::migrate_up(*db);
  return db;
}

int report(const app::Error& e) {
  std::cerr << "error: " << e.title();
  if (!e.detail().empty()) std::cerr << ": " << e.detail();
  std::cerr << "\n";
  for (const auto& f : e.errors()) std::cerr << "  " << f.field << ": " << f.message << " (" << f.rule << ")\n";
  return 1;
}

std::string read_password(bool from_stdin) {
  if (!from_stdin) return {};
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int run_migrate_up(const Settings& s) {
  log::set_level(s.log_level);
  auto db = store::open_database(s.database_url());
  int n = store::migrate_up(*db);
  std::cout << "applied " << n << " migration(s) to " << db->url_for_display() << "\n";
  return 0;
}

int run_migrate_status(const Settings& s) {
  auto db = store::open_database(s.database_url());
  for (const auto& m : store::migration_status(*db))
    std::cout << m.version << "  " << (m.applied ? "applied " + m.applied_at : "pending") << "  " << m.name << "\n";
  return 0;
}

int run_user_create(const Settings& s, const UserArgs& a) {
  auto db = open(s);
  SystemClock clock;
  app::AuthService auth(*db, clock);
  app::NewUser u;
  u.username = a.username;
  u.display_name = a.display_name.empty() ? a.username : a.display_name;
  u.role = a.role;
  u.email = a.email;
  if (a.customer_id) u.customer_id = *a.customer_id;
  u.password = read_password(a.password_stdin);
  if (!a.password_stdin) {
    std::cerr << "error: give the password on standard input with --password-stdin\n";
    return 2;
  }
  auto out = auth.create_user(app::system_actor("cli"), u);
  if (!out) return report(out.error());
  std::cout << "created user " << (*out)["username"].get<std::string>() << " (id " << (*out)["id"] << ", role "
            << (*out)["role"].get<std::string>() << ")\n";
  return 0;
}

int run_user_set_password(const Settings& s, const UserArgs& a) {
  auto db = open(s);
  SystemClock clock;
  app::AuthService auth(*db, clock);
  auto id = auth.find_user_id(a.username);
  if (!id) return report(app::Error::NotFound("user " + a.username));
  if (!a.password_stdin) {
    std::cerr << "error: give the password on standard input with --password-stdin\n";
    return 2;
  }
  auto out = auth.set_password(app::system_actor("cli"), *id, read_password(true));
  if (!out) return report(out.error());
  std::cout << "password set for " << a.username << "; existing sessions revoked\n";
  return 0;
}

int run_user_disable(const Settings& s, const std::string& username, bool disabled) {
  auto db = open(s);
  SystemClock clock;
  app::AuthService auth(*db, clock);
  auto id = auth.find_user_id(username);
  if (!id) return report(app::Error::NotFound("user " + username));
  auto current = auth.get_user(app::system_actor("cli"), *id);
  auto out = auth.update_user(app::system_actor("cli"), *id, {{"disabled", disabled}},
                              (*current)["version"].get<std::int64_t>());
  if (!out) return report(out.error());
  std::cout << username << (disabled ? " disabled; its tokens are revoked\n" : " enabled\n");
  return 0;
}

int run_user_list(const Settings& s) {
  auto db = open(s);
  SystemClock clock;
  app::AuthService auth(*db, clock);
  int offset = 0;
  for (;;) {
    auto page = auth.list_users(app::system_actor("cli"), 200, offset, "", "");
    if (!page) return report(page.error());
    for (const auto& u : (*page)["items"])
      std::cout << u["id"] << "\t" << u["username"].get<std::string>() << "\t" << u["role"].get<std::string>() << "\t"
                << u["display_name"].get<std::string>() << (u["disabled"].get<bool>() ? "\t(disabled)" : "") << "\n";
    offset += 200;
    if (offset >= (*page)["total"].get<int>()) break;
  }
  return 0;
}

int run_backup(const Settings& s, const std::string& to) {
  auto db = store::open_database(s.database_url());
  db->backup_to(to);
  std::cout << "backup of " << db->url_for_display() << " written to " << to << "\n";
  return 0;
}

int run_restore(const Settings& s, const std::string& from) {
  std::string url = s.database_url();
  if (url.rfind("sqlite://", 0) == 0) {
    std::filesystem::path target = url.substr(9);
    // The backup is a complete database file; copy it into place and drop stale WAL files.
    std::filesystem::create_directories(target.parent_path());
    std::filesystem::path tmp = target;
    tmp += ".restoring";
    std::filesystem::copy_file(from, tmp, std::filesystem::copy_options::overwrite_existing);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(target.string() + suffix);
    std::filesystem::rename(tmp, target);
    auto db = store::open_database(url);
    store::migrate_up(*db);
    std::cout << "restored " << from << " into " << db->url_for_display() << "\n";
    return 0;
  }
  // PostgreSQL: pg_restore the custom-format archive over the target database.
  pid_t pid = fork();
  if (pid == 0) {
    execlp("pg_restore", "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
           ("--dbname=" + url).c_str(), from.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "error: pg_restore failed\n";
    return 1;
  }
  std::cout << "restored " << from << "\n";
  return 0;
}

}  // namespace aftersales::cli
