// The demo data set: a realistic Chinese service department with customers, projects of every
// type, asset trees, teams and technicians, users for every role and requests in every state.
#pragma once
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::cli {

struct DemoSummary {
  int customers = 0, projects = 0, assets = 0, staff = 0, users = 0, tickets = 0;
};
struct DemoLogin {
  std::string username, password, role;
};

// Loads everything through the application services (validated and audited). Expects a
// migrated database without customers.
DemoSummary load_demo_data(store::Database& db, const Clock& clock);
const std::vector<DemoLogin>& demo_logins();

}  // namespace aftersales::cli
