// One function per subcommand; each returns the process exit code.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "cli/settings.h"

namespace aftersales::cli {

int run_serve(const Settings& s);
int run_migrate_up(const Settings& s);
int run_migrate_status(const Settings& s);

struct UserArgs {
  std::string username, display_name, role, email;
  std::optional<long long> customer_id;
  bool password_stdin = false;
  bool print_password = false;  // generate a password and print it
};
int run_user_create(const Settings& s, const UserArgs& a);
int run_user_set_password(const Settings& s, const UserArgs& a);
int run_user_disable(const Settings& s, const std::string& username, bool disabled);
int run_user_list(const Settings& s);

// Loads the demo data set when the database has no customers yet; `print_logins` shows the
// demo accounts. Returns 0 also when data already exists (nothing to do).
int run_demo(const Settings& s, bool print_logins);

// Sizes of the synthetic data set written by `generate`.
struct GenerateArgs {
  int customers = 2000;
  int projects = 10000;
  int assets = 200000;
  int requests = 1000000;
  int teams = 60;
  double years = 5;
  std::uint64_t seed = 42;
};
int run_generate(const Settings& s, const GenerateArgs& a);
int run_backup(const Settings& s, const std::string& to);
int run_restore(const Settings& s, const std::string& from);

}  // namespace aftersales::cli
