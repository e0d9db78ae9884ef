// Accounts and authentication: login with throttling, opaque session and API tokens stored as
// SHA-256, logout and revocation, password changes, and user administration.
#pragma once
#include <nlohmann/json.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

struct AuthSettings {
  Millis session_ttl_ms = 12LL * 3600 * 1000;  // a working day and a half
  int max_failures = 5;                         // failures within the window before lock-out
  Millis failure_window_ms = 15LL * 60 * 1000;
  Millis lockout_ms = 15LL * 60 * 1000;
  // Resolved tokens are remembered this long, so a request costs no database lookup for its
  // token. Revocation in this process takes effect at once; in another process within this time.
  Millis token_cache_ms = 2000;
};

struct LoginResult {
  std::string token;  // shown once; only its hash is stored
  Millis expires_at;
  nlohmann::json user;
};

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::optional<std::int64_t> customer_id;
  std::string password;
  std::string email;
  std::string phone;
};

class AuthService {
 public:
  // `db` and `clock` must outlive the service.
  AuthService(store::Database& db, const Clock& clock, AuthSettings settings = {})
      : db_(db), clock_(clock), settings_(settings) {}

  // Success: a new session token. Unauthenticated for an unknown user, a wrong password or a
  // disabled account (one message for all three); Throttled after too many failures.
  Outcome<LoginResult> login(const std::string& username, const std::string& password,
                             const std::string& request_id);
  // Resolves a bearer/cookie token to its actor; Unauthenticated when unknown, expired, revoked
  // or the user is disabled.
  Outcome<Actor> authenticate(const std::string& token);
  // Revokes the given token (idempotent).
  Outcome<Unit> logout(const Actor& actor, const std::string& token);
  // Checks the current password, sets the new one and revokes every session of the user.
  Outcome<Unit> change_password(const Actor& actor, const std::string& current,
                                const std::string& next);

  // User administration (admin only, or the system actor from the CLI).
  Outcome<nlohmann::json> create_user(const Actor& actor, const NewUser& user);
  Outcome<nlohmann::json> list_users(const Actor& actor, int limit, int offset,
                                     const std::string& role_filter, const std::string& q);
  Outcome<nlohmann::json> get_user(const Actor& actor, std::int64_t id);
  // Patch: display_name, role, customer_id, email, phone, disabled. Disabling revokes tokens.
  Outcome<nlohmann::json> update_user(const Actor& actor, std::int64_t id, const nlohmann::json& patch,
                                      std::optional<std::int64_t> if_version);
  // Sets a password without knowing the old one (admin, CLI); revokes the user's tokens.
  Outcome<Unit> set_password(const Actor& actor, std::int64_t id, const std::string& password);
  // Finds a user id by name; nullopt when absent.
  std::optional<std::int64_t> find_user_id(const std::string& username);

  // Long-lived tokens for integrations, owned by the calling user.
  Outcome<nlohmann::json> create_api_token(const Actor& actor, const std::string& name,
                                           std::optional<int> expires_in_days);
  Outcome<nlohmann::json> list_api_tokens(const Actor& actor);
  Outcome<Unit> revoke_api_token(const Actor& actor, const std::string& id);

  static std::optional<FieldError> check_password_rule(const std::string& password,
                                                       const std::string& field);

 private:
  struct CachedActor {
    Actor actor;
    std::optional<Millis> expires_at;
    Millis cached_at;
  };
  void forget_token(const std::string& hash);
  void forget_user(std::int64_t user_id);

  store::Database& db_;
  const Clock& clock_;
  AuthSettings settings_;
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedActor> cache_;  // token hash → actor
};

nlohmann::json user_json(const store::Row& row);

}  // namespace aftersales::app
