#include "app/audit.h"

namespace aftersales::app {

void write_audit(store::Connection& tx, const Actor& actor, Millis at, const std::string& action,
                 const std::string& entity, std::optional<std::int64_t> entity_id,
                 const nlohmann::json& before, const nlohmann::json& after) {
  auto dump = [](const nlohmann::json& j) -> store::Value {
    if (j.is_null()) return std::monostate{};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  store::Value actor_id = actor.user_id > 0 ? store::Value(actor.user_id) : store::Value();
  store::Value eid = entity_id ? store::Value(*entity_id) : store::Value();
  tx.query(
      "INSERT INTO audit_log (at, actor_user_id, actor_name, action, entity, entity_id, before_json,"
      " after_json, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {at, actor_id, actor.username, action, entity, eid, dump(before), dump(after), actor.request_id});
}

Actor system_actor(const std::string& what) {
  Actor a;
  a.user_id = 0;
  a.username = "system:" + what;
  a.display_name = "system";
  a.role = "admin";
  return a;
}

}  // namespace aftersales::app
