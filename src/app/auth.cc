#include "app/auth.h"

#include <algorithm>
#include <cctype>

#include "app/access.h"
#include "app/audit.h"
#include "app/resource.h"
#include "common/crypto.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;

constexpr const char* kUserColumns =
    "id, username, display_name, role, customer_id, email, phone, disabled, created_at, version";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool valid_username(const std::string& u) {
  if (u.size() < 2 || u.size() > 64) return false;
  return std::all_of(u.begin(), u.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@';
  });
}

bool has_controls(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// A text field of a user checked like a master-data field: length, control characters, format.
void check_user_text(std::vector<FieldError>& errors, const char* name, const std::string& value, FieldType type,
                     size_t max, bool required) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.max_length = max;
  f.required = required;
  json out;
  if (auto fe = validate_field(f, json(value), name, &out)) errors.push_back(*fe);
}

// A public token id: a prefix of the stored hash, enough to name it, useless to log in with.
std::string token_id(const std::string& hash) { return hash.substr(0, 16); }

}  // namespace

json user_json(const store::Row& r) {
  json j = {{"id", r.i64("id")},
            {"username", r.text("username")},
            {"display_name", r.text("display_name")},
            {"role", r.text("role")},
            {"customer_id", nullptr},
            {"email", r.text("email")},
            {"phone", r.text("phone")},
            {"disabled", r.i64("disabled") != 0},
            {"created_at", format_iso8601(r.i64("created_at"))},
            {"version", r.i64("version")}};
  if (!r.is_null("customer_id")) j["customer_id"] = r.i64("customer_id");
  return j;
}

std::optional<FieldError> AuthService::check_password_rule(const std::string& p,
                                                           const std::string& field) {
  if (has_controls(p)) return FieldError{field, "control_characters", "must not contain control characters"};
  if (p.size() < 8) return FieldError{field, "min_length", "must have at least 8 characters"};
  if (p.size() > 256) return FieldError{field, "max_length", "must have at most 256 characters"};
  return std::nullopt;
}

Outcome<LoginResult> AuthService::login(const std::string& username, const std::string& password,
                                        const std::string& request_id) {
  const Millis now = clock_.now_ms();
  const std::string key = lower(username);
  // What no account can have is refused before the database is asked (or a failure recorded).
  if (username.empty() || username.size() > 64)
    return Error::Validation({{"username", username.empty() ? "required" : "max_length", "must be 1 to 64 characters"}});
  if (has_controls(username))
    return Error::Validation({{"username", "control_characters", "must not contain control characters"}});
  if (password.empty() || password.size() > 256)
    return Error::Validation({{"password", password.empty() ? "required" : "max_length", "must be 1 to 256 characters"}});
  if (has_controls(password))
    return Error::Validation({{"password", "control_characters", "must not contain control characters"}});

  auto lock = db_.read([&](store::Connection& c) {
    return c.query("SELECT locked_until FROM login_failures WHERE username = ?", {key});
  });
  if (!lock.empty() && !lock.rows[0].is_null("locked_until") &&
      lock.rows[0].i64("locked_until") > now) {
    int secs = static_cast<int>((lock.rows[0].i64("locked_until") - now + 999) / 1000);
    return Error::Throttled("Too many failed logins for this account; try again in " +
                                std::to_string(secs) + " s",
                            secs);
  }

  auto found = db_.read([&](store::Connection& c) {
    return c.query(std::string("SELECT ") + kUserColumns +
                       ", password_hash FROM users WHERE lower(username) = ?",
                   {key});
  });
  bool ok = false;
  if (found.empty()) {
    // Spend the same time as a real check so that timing does not reveal which names exist.
    static const std::string dummy = crypto::hash_password("not-a-real-password");
    crypto::verify_password(dummy, password);
  } else {
    ok = crypto::verify_password(found.rows[0].text("password_hash"), password) &&
         found.rows[0].i64("disabled") == 0;
  }

  if (!ok) {
    db_.write([&](store::Connection& c) {
      auto row = c.query("SELECT failures, first_failure_at FROM login_failures WHERE username = ?", {key});
      std::int64_t failures = 1;
      Millis first = now;
      if (!row.empty() && now - row.rows[0].i64("first_failure_at") < settings_.failure_window_ms) {
        failures = row.rows[0].i64("failures") + 1;
        first = row.rows[0].i64("first_failure_at");
      }
      Value locked = failures >= settings_.max_failures ? Value(now + settings_.lockout_ms) : Value();
      c.query("DELETE FROM login_failures WHERE username = ?", {key});
      c.query("INSERT INTO login_failures (username, failures, first_failure_at, locked_until) "
              "VALUES (?, ?, ?, ?)",
              {key, failures, first, locked});
    });
    return Error::Unauthenticated("Wrong username or password, or the account is disabled");
  }

  const auto& user = found.rows[0];
  LoginResult result;
  result.token = crypto::random_token("ast_");
  result.expires_at = now + settings_.session_ttl_ms;
  result.user = user_json(user);
  db_.write([&](store::Connection& c) {
    c.query("DELETE FROM login_failures WHERE username = ?", {key});
    c.query("INSERT INTO auth_tokens (token_hash, user_id, kind, name, created_at, expires_at) "
            "VALUES (?, ?, 'session', '', ?, ?)",
            {crypto::sha256_hex(result.token), user.i64("id"), now, result.expires_at});
    Actor a;
    a.user_id = user.i64("id");
    a.username = user.text("username");
    a.request_id = request_id;
    write_audit(c, a, now, "login", "user", a.user_id, nullptr, nullptr);
  });
  return result;
}

Outcome<Actor> AuthService::authenticate(const std::string& token) {
  if (token.empty() || token.size() > 200) return Error::Unauthenticated();
  const Millis now = clock_.now_ms();
  const std::string hash = crypto::sha256_hex(token);
  if (settings_.token_cache_ms > 0) {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end()) {
      const auto& hit = it->second;
      if (now - hit.cached_at < settings_.token_cache_ms && (!hit.expires_at || *hit.expires_at > now))
        return hit.actor;
      cache_.erase(it);
    }
  }
  auto found = db_.read([&](store::Connection& c) {
    return c.query(
        "SELECT t.kind, t.expires_at, t.revoked_at, t.last_used_at, u.id, u.username, "
        "u.display_name, u.role, u.customer_id, u.disabled FROM auth_tokens t "
        "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        {hash});
  });
  if (found.empty()) return Error::Unauthenticated("The token is unknown");
  const auto& r = found.rows[0];
  if (!r.is_null("revoked_at")) return Error::Unauthenticated("The token was revoked; log in again");
  if (!r.is_null("expires_at") && r.i64("expires_at") <= now)
    return Error::Unauthenticated("The session has expired; log in again");
  if (r.i64("disabled") != 0) return Error::Unauthenticated("The account is disabled");
  // Record use at most every five minutes: a write on every request would cap the API.
  if (r.is_null("last_used_at") || now - r.i64("last_used_at") > 5 * 60 * 1000) {
    db_.write([&](store::Connection& c) {
      c.query("UPDATE auth_tokens SET last_used_at = ? WHERE token_hash = ?", {now, hash});
    });
  }
  Actor a;
  a.user_id = r.i64("id");
  a.username = r.text("username");
  a.display_name = r.text("display_name");
  a.role = r.text("role");
  a.customer_id = r.opt_i64("customer_id");
  a.token_kind = r.text("kind");
  if (settings_.token_cache_ms > 0) {
    std::lock_guard lock(cache_mu_);
    if (cache_.size() > 10000) cache_.clear();  // bounded: a flood of tokens cannot grow it
    cache_[hash] = CachedActor{a, r.opt_i64("expires_at"), now};
  }
  return a;
}

void AuthService::forget_token(const std::string& hash) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(hash);
}

void AuthService::forget_user(std::int64_t user_id) {
  std::lock_guard lock(cache_mu_);
  for (auto it = cache_.begin(); it != cache_.end();)
    it = it->second.actor.user_id == user_id ? cache_.erase(it) : std::next(it);
}

Outcome<Unit> AuthService::logout(const Actor& actor, const std::string& token) {
  const Millis now = clock_.now_ms();
  db_.write([&](store::Connection& c) {
    c.query("UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
            {now, crypto::sha256_hex(token)});
    write_audit(c, actor, now, "logout", "user", actor.user_id, nullptr, nullptr);
  });
  forget_token(crypto::sha256_hex(token));
  return Unit{};
}

Outcome<Unit> AuthService::change_password(const Actor& actor, const std::string& current,
                                           const std::string& next) {
  // The new password's rule first, naming the field the caller sent.
  if (auto fe = check_password_rule(next, "new_password")) return Error::Validation({*fe});
  auto row = db_.read([&](store::Connection& c) {
    return c.query("SELECT password_hash FROM users WHERE id = ?", {actor.user_id});
  });
  if (row.empty()) return Error::NotFound("user");
  if (!crypto::verify_password(row.rows[0].text("password_hash"), current))
    return Error::Validation({{"current_password", "mismatch", "is not the current password"}});
  return set_password(actor, actor.user_id, next);
}

Outcome<Unit> AuthService::set_password(const Actor& actor, std::int64_t id,
                                        const std::string& password) {
  if (actor.user_id != id)
    if (auto e = require(actor, Permission::kUserAdmin)) return *e;
  if (auto fe = check_password_rule(password, "password")) return Error::Validation({*fe});
  const std::string hash = crypto::hash_password(password);
  const Millis now = clock_.now_ms();
  bool found = db_.write([&](store::Connection& c) {
    auto r = c.query("UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1 "
                     "WHERE id = ?",
                     {hash, now, id});
    if (r.affected == 0) return false;
    // A new password ends every session and API token issued under the old one.
    c.query("UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
            {now, id});
    write_audit(c, actor, now, "password_change", "user", id, nullptr, nullptr);
    return true;
  });
  if (!found) return Error::NotFound("user " + std::to_string(id));
  forget_user(id);
  return Unit{};
}

std::optional<std::int64_t> AuthService::find_user_id(const std::string& username) {
  auto r = db_.read([&](store::Connection& c) {
    return c.query("SELECT id FROM users WHERE lower(username) = ?", {lower(username)});
  });
  if (r.empty()) return std::nullopt;
  return r.rows[0].i64("id");
}

Outcome<json> AuthService::create_user(const Actor& actor, const NewUser& u) {
  if (auto e = require(actor, Permission::kUserAdmin)) return *e;
  std::vector<FieldError> errors;
  if (!valid_username(u.username))
    errors.push_back({"username", "format", "2–64 letters, digits or . _ - @"});
  check_user_text(errors, "display_name", u.display_name, FieldType::kString, 100, true);
  check_user_text(errors, "email", u.email, FieldType::kEmail, 200, false);
  check_user_text(errors, "phone", u.phone, FieldType::kPhone, 30, false);
  if (!is_valid_role(u.role)) errors.push_back({"role", "enum", "must be one of the known roles"});
  if (u.role == "customer" && !u.customer_id)
    errors.push_back({"customer_id", "required", "a customer user must belong to a customer"});
  if (u.role != "customer" && u.customer_id)
    errors.push_back({"customer_id", "forbidden", "only customer users belong to a customer"});
  if (auto fe = check_password_rule(u.password, "password")) errors.push_back(*fe);
  if (!errors.empty()) return Error::Validation(errors);
  if (find_user_id(u.username))
    return Error::Conflict("The username is taken", {{"username", "unique", "is already taken"}});

  const std::string hash = crypto::hash_password(u.password);
  const Millis now = clock_.now_ms();
  try {
    return db_.write([&](store::Connection& c) -> Outcome<json> {
      if (u.customer_id &&
          c.query("SELECT 1 FROM customers WHERE id = ?", {*u.customer_id}).empty())
        return Error::Validation({{"customer_id", "exists", "no such customer"}});
      auto r = c.query(
          std::string("INSERT INTO users (username, display_name, role, customer_id, email, phone,"
                      " password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "RETURNING ") + kUserColumns,
          {u.username, u.display_name, u.role,
           u.customer_id ? Value(*u.customer_id) : Value(), u.email, u.phone, hash, now, now});
      json j = user_json(r.rows[0]);
      write_audit(c, actor, now, "create", "user", j["id"].get<std::int64_t>(), nullptr, j);
      return j;
    });
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kUnique)
      return Error::Conflict("The username is taken", {{"username", "unique", "is already taken"}});
    throw;
  }
}

Outcome<json> AuthService::list_users(const Actor& actor, int limit, int offset,
                                      const std::string& role_filter, const std::string& q) {
  if (auto e = require(actor, Permission::kUserAdmin)) return *e;
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (!role_filter.empty()) {
    where += " AND role = ?";
    params.push_back(role_filter);
  }
  if (!q.empty()) {
    where += " AND (username LIKE ? OR display_name LIKE ?)";
    params.push_back("%" + q + "%");
    params.push_back("%" + q + "%");
  }
  return db_.read([&](store::Connection& c) {
    auto total = c.query("SELECT count(*) AS n FROM users" + where, params);
    auto page_params = params;
    page_params.push_back(static_cast<std::int64_t>(limit));
    page_params.push_back(static_cast<std::int64_t>(offset));
    auto rows = c.query(std::string("SELECT ") + kUserColumns + " FROM users" + where +
                            " ORDER BY username LIMIT ? OFFSET ?",
                        page_params);
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(user_json(r));
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", limit}, {"offset", offset}};
  });
}

Outcome<json> AuthService::get_user(const Actor& actor, std::int64_t id) {
  if (actor.user_id != id)
    if (auto e = require(actor, Permission::kUserAdmin)) return *e;
  auto r = db_.read([&](store::Connection& c) {
    return c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
  });
  if (r.empty()) return Error::NotFound("user " + std::to_string(id));
  return user_json(r.rows[0]);
}

Outcome<json> AuthService::update_user(const Actor& actor, std::int64_t id, const json& patch,
                                       std::optional<std::int64_t> if_version) {
  if (auto e = require(actor, Permission::kUserAdmin)) return *e;
  if (!patch.is_object()) return Error::BadRequest("The body must be a JSON object");
  std::vector<FieldError> errors;
  static const std::vector<std::string> allowed_fields = {"display_name", "role", "customer_id",
                                                          "email", "phone", "disabled", "version"};
  for (auto it = patch.begin(); it != patch.end(); ++it)
    if (std::find(allowed_fields.begin(), allowed_fields.end(), it.key()) == allowed_fields.end())
      errors.push_back({it.key(), "unknown", "is not a field of a user"});
  if (!errors.empty()) return Error::Validation(errors);
  if (!if_version && patch.contains("version") && !patch["version"].is_null()) {
    if (!patch["version"].is_number_integer())
      return Error::Validation({{"version", "type", "must be the integer version you read"}});
    if_version = patch["version"].get<std::int64_t>();
  }
  if (!if_version) return Error::VersionRequired();

  const Millis now = clock_.now_ms();
  auto result = db_.write([&](store::Connection& c) -> Outcome<json> {
    auto cur = c.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id});
    if (cur.empty()) return Error::NotFound("user " + std::to_string(id));
    json before = user_json(cur.rows[0]);
    if (before["version"].get<std::int64_t>() != *if_version)
      return Error::Stale(before["version"].get<std::int64_t>());
    json after = before;
    std::vector<FieldError> errs;
    auto str_field = [&](const char* name, FieldType type, size_t max, bool required) {
      if (!patch.contains(name)) return;
      if (!patch[name].is_string()) return errs.push_back({name, "type", "must be a string"});
      auto s = patch[name].get<std::string>();
      size_t before_count = errs.size();
      check_user_text(errs, name, s, type, max, required);
      if (errs.size() == before_count) after[name] = s;
    };
    str_field("display_name", FieldType::kString, 100, true);
    str_field("email", FieldType::kEmail, 200, false);
    str_field("phone", FieldType::kPhone, 30, false);
    if (patch.contains("role")) {
      if (!patch["role"].is_string() || !is_valid_role(patch["role"].get<std::string>()))
        errs.push_back({"role", "enum", "must be one of the known roles"});
      else
        after["role"] = patch["role"];
    }
    if (patch.contains("customer_id")) {
      if (patch["customer_id"].is_null()) after["customer_id"] = nullptr;
      else if (!patch["customer_id"].is_number_integer())
        errs.push_back({"customer_id", "type", "must be an integer or null"});
      else after["customer_id"] = patch["customer_id"];
    }
    if (patch.contains("disabled")) {
      if (!patch["disabled"].is_boolean()) errs.push_back({"disabled", "type", "must be a boolean"});
      else after["disabled"] = patch["disabled"];
    }
    if (after["role"] == "customer" && after["customer_id"].is_null())
      errs.push_back({"customer_id", "required", "a customer user must belong to a customer"});
    if (after["role"] != "customer" && !after["customer_id"].is_null())
      errs.push_back({"customer_id", "forbidden", "only customer users belong to a customer"});
    if (id == actor.user_id && after["disabled"] == true)
      errs.push_back({"disabled", "self", "you cannot disable your own account"});
    if (!errs.empty()) return Error::Validation(errs);
    if (!after["customer_id"].is_null() &&
        c.query("SELECT 1 FROM customers WHERE id = ?", {after["customer_id"].get<std::int64_t>()}).empty())
      return Error::Validation({{"customer_id", "exists", "no such customer"}});

    auto r = c.query(
        std::string("UPDATE users SET display_name = ?, role = ?, customer_id = ?, email = ?, phone = ?,"
                    " disabled = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ? "
                    "RETURNING ") + kUserColumns,
        {after["display_name"].get<std::string>(), after["role"].get<std::string>(),
         after["customer_id"].is_null() ? Value() : Value(after["customer_id"].get<std::int64_t>()),
         after["email"].get<std::string>(), after["phone"].get<std::string>(),
         static_cast<std::int64_t>(after["disabled"].get<bool>() ? 1 : 0), now, id, *if_version});
    if (r.empty()) return Error::Stale(*if_version + 1);
    json saved = user_json(r.rows[0]);
    // A disabled account or a changed role must not keep the powers of its old sessions.
    if (saved["disabled"] == true || saved["role"] != before["role"] ||
        saved["customer_id"] != before["customer_id"])
      c.query("UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, id});
    write_audit(c, actor, now, "update", "user", id, before, saved);
    return saved;
  });
  forget_user(id);  // role, customer or disabled flag may have changed
  return result;
}

Outcome<json> AuthService::create_api_token(const Actor& actor, const std::string& name,
                                            std::optional<int> expires_in_days) {
  if (auto e = require(actor, Permission::kApiTokenManage)) return *e;
  if (name.empty() || name.size() > 100)
    return Error::Validation({{"name", "length", "must be 1 to 100 characters"}});
  if (has_controls(name)) return Error::Validation({{"name", "control_characters", "must not contain control characters"}});
  if (expires_in_days && (*expires_in_days < 1 || *expires_in_days > 3650))
    return Error::Validation({{"expires_in_days", "range", "must be 1 to 3650"}});
  const Millis now = clock_.now_ms();
  std::string token = crypto::random_token("ast_");
  std::string hash = crypto::sha256_hex(token);
  Value expires = expires_in_days ? Value(now + *expires_in_days * 86400000LL) : Value();
  db_.write([&](store::Connection& c) {
    c.query("INSERT INTO auth_tokens (token_hash, user_id, kind, name, created_at, expires_at) "
            "VALUES (?, ?, 'api', ?, ?, ?)",
            {hash, actor.user_id, name, now, expires});
    write_audit(c, actor, now, "create", "api_token", std::nullopt, nullptr,
                json{{"id", token_id(hash)}, {"name", name}});
  });
  json j = {{"id", token_id(hash)}, {"name", name}, {"token", token},
            {"created_at", format_iso8601(now)}, {"expires_at", nullptr}};
  if (expires_in_days) j["expires_at"] = format_iso8601(std::get<std::int64_t>(expires));
  return j;
}

Outcome<json> AuthService::list_api_tokens(const Actor& actor) {
  if (auto e = require(actor, Permission::kApiTokenManage)) return *e;
  auto rows = db_.read([&](store::Connection& c) {
    return c.query("SELECT token_hash, name, created_at, expires_at, revoked_at, last_used_at "
                   "FROM auth_tokens WHERE user_id = ? AND kind = 'api' ORDER BY created_at",
                   {actor.user_id});
  });
  json items = json::array();
  auto t = [](const store::Row& r, const char* col) -> json {
    return r.is_null(col) ? json(nullptr) : json(format_iso8601(r.i64(col)));
  };
  for (const auto& r : rows.rows)
    items.push_back({{"id", token_id(r.text("token_hash"))}, {"name", r.text("name")},
                     {"created_at", t(r, "created_at")}, {"expires_at", t(r, "expires_at")},
                     {"revoked_at", t(r, "revoked_at")}, {"last_used_at", t(r, "last_used_at")}});
  return json{{"items", items}};
}

Outcome<Unit> AuthService::revoke_api_token(const Actor& actor, const std::string& id) {
  if (auto e = require(actor, Permission::kApiTokenManage)) return *e;
  if (id.size() != 16 || !std::all_of(id.begin(), id.end(), ::isxdigit))
    return Error::NotFound("API token " + id);
  const Millis now = clock_.now_ms();
  bool found = db_.write([&](store::Connection& c) {
    auto r = c.query("UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'api' "
                     "AND substr(token_hash, 1, 16) = ? AND revoked_at IS NULL",
                     {now, actor.user_id, id});
    if (r.affected == 0) return false;
    write_audit(c, actor, now, "revoke", "api_token", std::nullopt, nullptr, json{{"id", id}});
    return true;
  });
  if (!found) return Error::NotFound("API token " + id);
  forget_user(actor.user_id);
  return Unit{};
}

}  // namespace aftersales::app
