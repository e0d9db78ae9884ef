// Who is calling: resolved from a session or API token before any use case runs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace aftersales::app {

struct Actor {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;                         // one of access.h's roles
  std::optional<std::int64_t> customer_id;  // set only for role "customer"
  std::string token_kind;                   // "session" or "api"
  std::string request_id;                   // carried into audit rows
  bool is_customer() const { return role == "customer"; }
};

}  // namespace aftersales::app
