#include <iostream>

#include "app/audit.h"
#include "app/auth.h"
#include "cli/commands.h"
#include "cli/demo_data.h"
#include "common/clock.h"
#include "common/log.h"
#include "store/migrations.h"

namespace aftersales::cli {

int run_demo(const Settings& s, bool print_logins) {
  log::set_level(s.log_level);
  auto db = store::open_database(s.database_url());
  store::migrate_up(*db);
  auto existing = db->read([](store::Connection& c) { return c.query("SELECT count(*) AS n FROM customers"); });
  if (existing.rows[0].i64("n") > 0) {
    std::cout << "demo: the database already has data; nothing loaded\n";
  } else {
    SystemClock clock;
    DemoSummary summary = load_demo_data(*db, clock);
    std::cout << "demo: loaded " << summary.customers << " customers, " << summary.projects << " projects, "
              << summary.assets << " assets, " << summary.staff << " staff, " << summary.users << " users, "
              << summary.tickets << " service requests\n";
  }
  if (print_logins) {
    std::cout << "\nDemo logins (username / password):\n";
    for (const auto& l : demo_logins())
      std::cout << "  " << l.username << " / " << l.password << "   (" << l.role << ")\n";
  }
  return 0;
}

}  // namespace aftersales::cli
