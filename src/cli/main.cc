// aftersales: the one binary — server, migrations, user administration, demo data, backups.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "common/crypto.h"
#include "common/log.h"
#include "store/sql.h"

int main(int argc, char** argv) {
  using namespace aftersales::cli;
  aftersales::crypto::init();
  CLI::App app{"Aftersales — after-sales service management for engineering contractors (工程售后服务管理系统)"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  Settings s;
  int code = 0;
  try {
    std::string config = find_config_path(argc, argv);
    if (!config.empty()) apply_config_file(config, s);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }

  auto* serve = app.add_subcommand("serve", "Run the HTTP server (applies pending migrations first)");
  add_server_options(*serve, s);
  serve->callback([&] { code = run_serve(s); });

  auto* migrate = app.add_subcommand("migrate", "Apply or inspect database migrations");
  add_database_options(*migrate, s);
  migrate->require_subcommand(0, 1);
  auto* up = migrate->add_subcommand("up", "Apply every pending migration (the default)");
  auto* status = migrate->add_subcommand("status", "List migrations and whether each is applied");
  add_database_options(*up, s);
  add_database_options(*status, s);
  migrate->callback([&] {
    if (status->parsed()) code = run_migrate_status(s);
    else code = run_migrate_up(s);
  });

  auto* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  UserArgs ua;
  auto* create = user->add_subcommand("create", "Create a user");
  add_database_options(*create, s);
  create->add_option("--username", ua.username, "Login name")->required();
  create->add_option("--role", ua.role, "admin, service_manager, agent, dispatcher, technician, tech_lead, "
                                        "quality_inspector, project_manager, procurement or customer")->required();
  create->add_option("--display-name", ua.display_name, "Name shown in the UI (default: the username)");
  create->add_option("--email", ua.email, "E-mail address");
  create->add_option("--customer", ua.customer_id, "Customer id (required for role customer)");
  create->add_flag("--password-stdin", ua.password_stdin, "Read the password from standard input");
  create->callback([&] { code = run_user_create(s, ua); });

  auto* setpw = user->add_subcommand("set-password", "Set a user's password (ends the user's sessions)");
  add_database_options(*setpw, s);
  setpw->add_option("--username", ua.username, "Login name")->required();
  setpw->add_flag("--password-stdin", ua.password_stdin, "Read the password from standard input");
  setpw->callback([&] { code = run_user_set_password(s, ua); });

  std::string target;
  auto* disable = user->add_subcommand("disable", "Disable a user and revoke the user's tokens");
  add_database_options(*disable, s);
  disable->add_option("--username", target, "Login name")->required();
  disable->callback([&] { code = run_user_disable(s, target, true); });
  auto* enable = user->add_subcommand("enable", "Enable a disabled user");
  add_database_options(*enable, s);
  enable->add_option("--username", target, "Login name")->required();
  enable->callback([&] { code = run_user_disable(s, target, false); });

  auto* list = user->add_subcommand("list", "List users");
  add_database_options(*list, s);
  list->callback([&] { code = run_user_list(s); });

  bool quiet = false;
  auto* demo = app.add_subcommand("demo", "Load the demo data set (only into a database without customers)");
  add_database_options(*demo, s);
  demo->add_flag("--quiet", quiet, "Do not print the demo logins");
  demo->callback([&] { code = run_demo(s, !quiet); });

  GenerateArgs gen;
  auto* generate = app.add_subcommand(
      "generate", "Add a large synthetic data set (benchmarks): customers, projects, assets, teams and years of requests");
  add_database_options(*generate, s);
  generate->add_option("--requests", gen.requests, "Service requests, with their events, visits, plans and surveys")
      ->check(CLI::Range(1, 50'000'000))->capture_default_str();
  generate->add_option("--customers", gen.customers, "Customers")->check(CLI::Range(1, 1'000'000))->capture_default_str();
  generate->add_option("--projects", gen.projects, "Projects (spread over the customers)")
      ->check(CLI::Range(1, 5'000'000))->capture_default_str();
  generate->add_option("--assets", gen.assets, "Assets (spread over the projects)")
      ->check(CLI::Range(1, 50'000'000))->capture_default_str();
  generate->add_option("--teams", gen.teams, "Teams of eight technicians")->check(CLI::Range(1, 10'000))->capture_default_str();
  generate->add_option("--years", gen.years, "Years the requests are spread over, up to now")
      ->check(CLI::Range(0.1, 30.0))->capture_default_str();
  generate->add_option("--seed", gen.seed, "Random seed (the same seed gives the same data)")->capture_default_str();
  generate->callback([&] { code = run_generate(s, gen); });

  std::string path;
  auto* backup = app.add_subcommand("backup", "Write a consistent online copy of the database");
  add_database_options(*backup, s);
  backup->add_option("--to", path, "Target file (must not exist)")->required();
  backup->callback([&] { code = run_backup(s, path); });

  auto* restore = app.add_subcommand("restore", "Replace the database with a backup (stop the server first)");
  add_database_options(*restore, s);
  restore->add_option("--from", path, "Backup file written by 'backup'")->required()->check(CLI::ExistingFile);
  restore->callback([&] { code = run_restore(s, path); });

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([&] { std::cout << "aftersales " << AFTERSALES_VERSION << "\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const aftersales::store::DbError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return code;
}
