// The audit trail: every write records who, what, when, before and after, inside the same
// transaction as the write itself, so that the two can never disagree.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "app/actor.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

// action: "create", "update", "delete", "login", "password_change", ...; before/after may be null.
void write_audit(store::Connection& tx, const Actor& actor, Millis at, const std::string& action,
                 const std::string& entity, std::optional<std::int64_t> entity_id,
                 const nlohmann::json& before, const nlohmann::json& after);

// The actor used by command-line tools (migrate, demo, user create).
Actor system_actor(const std::string& what);

}  // namespace aftersales::app
