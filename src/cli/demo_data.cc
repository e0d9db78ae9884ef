#include "cli/demo_data.h"

#include <stdexcept>

#include "app/audit.h"
#include "app/auth.h"
#include "app/master_data.h"

namespace aftersales::cli {

using json = nlohmann::json;

const std::vector<DemoLogin>& demo_logins() {
  static const std::vector<DemoLogin> v = {{"admin", "admin-demo-2026", "admin"},
                                           {"manager", "manager-demo-2026", "service_manager"},
                                           {"customer1", "customer-demo-2026", "customer"}};
  return v;
}

DemoSummary load_demo_data(store::Database& db, const Clock& clock) {
  DemoSummary sum;
  auto actor = app::system_actor("demo");
  app::ResourceService customers(app::customer_spec(), db, clock);
  auto c = customers.create(actor, {{"name", "华东数据科技有限公司"}, {"tier", "strategic"}, {"address", "上海市浦东新区张江路 88 号"},
                                    {"contacts", {{{"name", "王工"}, {"phone", "13800138000"}, {"email", "wang@example.com"}}}}});
  if (!c) throw std::runtime_error(c.error().detail());
  ++sum.customers;
  app::AuthService auth(db, clock);
  for (const auto& l : demo_logins()) {
    app::NewUser u{l.username, l.username, l.role, std::nullopt, l.password, "", ""};
    if (l.role == "customer") u.customer_id = (*c)["id"].get<std::int64_t>();
    auto out = auth.create_user(actor, u);
    if (!out) throw std::runtime_error(out.error().detail());
    ++sum.users;
  }
  return sum;
}

}  // namespace aftersales::cli
