#include "notify/channels.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "app/access.h"
#include "app/audit.h"
#include "notify/mail.h"

namespace aftersales::notify {
namespace {

using json = nlohmann::json;
using app::FieldError;

constexpr const char* kMasked = "***";

// Channel administration is an administrator's job. access.h has no notification permission
// yet, so the role is checked here (see the report: add Permission::kNotificationAdmin).
std::optional<app::Error> require_admin(const app::Actor& actor) {
  if (actor.role == "admin") return std::nullopt;
  return app::Error::Forbidden("Role '" + actor.role + "' lacks permission 'notification.admin'");
}

bool has_controls(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

// "ticket.created" or "ticket.*": lower-case words joined by dots, optionally ending in ".*".
// Checked by hand: std::regex recurses per character and overflowed the stack on a long string.
bool valid_event_pattern(const std::string& e) {
  if (e.empty() || e.size() > 100) return false;
  std::string_view v(e);
  if (v.size() >= 2 && v.substr(v.size() - 2) == ".*") v.remove_suffix(2);
  bool in_word = false;
  for (char c : v) {
    if (c == '.') {
      if (!in_word) return false;
      in_word = false;
    } else if ((c >= 'a' && c <= 'z') || c == '_') {
      in_word = true;
    } else {
      return false;
    }
  }
  return in_word;
}

bool http_url(const std::string& u) { return u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0; }
bool smtp_url(const std::string& u) { return u.rfind("smtp://", 0) == 0 || u.rfind("smtps://", 0) == 0; }

Channel from_row(const store::Row& r) {
  Channel ch;
  ch.id = r.i64("id");
  ch.name = r.text("name");
  ch.kind = r.text("kind");
  ch.enabled = r.i64("enabled") != 0;
  json ev = json::parse(r.text("events_json"), nullptr, false);
  if (ev.is_array())
    for (const auto& e : ev)
      if (e.is_string()) ch.events.push_back(e.get<std::string>());
  ch.config = json::parse(r.text("config_json"), nullptr, false);
  if (!ch.config.is_object()) ch.config = json::object();
  ch.secret = r.text("secret");
  return ch;
}

// What the API and the audit trail show: never the secret itself.
json public_json(const Channel& ch, const store::Row* row) {
  json j = {{"id", ch.id},           {"name", ch.name},     {"kind", ch.kind},
            {"enabled", ch.enabled}, {"events", ch.events}, {"config", ch.config},
            {"secret", ch.secret.empty() ? "" : kMasked}};
  if (row) {
    j["created_at"] = format_iso8601(row->i64("created_at"));
    j["updated_at"] = format_iso8601(row->i64("updated_at"));
    j["version"] = row->i64("version");
  }
  return j;
}

const char* kSelect = "SELECT id, name, kind, enabled, events_json, config_json, secret, created_at, updated_at, "
                      "version FROM notification_channels";

// Applies the fields of `body` to `ch`; type errors are reported, semantic checks come later.
std::vector<FieldError> apply(const json& body, Channel& ch) {
  std::vector<FieldError> errors;
  static const std::set<std::string> known = {"name", "kind", "enabled", "events", "config", "secret", "version"};
  for (auto it = body.begin(); it != body.end(); ++it)
    if (!known.count(it.key())) errors.push_back({it.key(), "unknown", "is not a field of a notification channel"});
  auto text = [&](const char* k, std::string* out) {
    if (!body.contains(k)) return;
    if (!body[k].is_string()) return errors.push_back({k, "type", "must be a string"});
    *out = body[k].get<std::string>();
  };
  text("name", &ch.name);
  text("kind", &ch.kind);
  if (body.contains("secret")) {
    if (!body["secret"].is_string()) errors.push_back({"secret", "type", "must be a string"});
    else if (body["secret"] != kMasked) ch.secret = body["secret"].get<std::string>();  // "***" keeps it
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) errors.push_back({"enabled", "type", "must be a boolean"});
    else ch.enabled = body["enabled"].get<bool>();
  }
  if (body.contains("events")) {
    const json& ev = body["events"];
    if (!ev.is_array()) {
      errors.push_back({"events", "type", "must be an array of strings"});
    } else {
      ch.events.clear();
      for (size_t i = 0; i < ev.size(); ++i) {
        if (!ev[i].is_string()) errors.push_back({"events[" + std::to_string(i) + "]", "type", "must be a string"});
        else ch.events.push_back(ev[i].get<std::string>());
      }
    }
  }
  if (body.contains("config")) {
    if (!body["config"].is_object()) errors.push_back({"config", "type", "must be an object"});
    else ch.config = body["config"];
  }
  return errors;
}

}  // namespace

bool Channel::subscribes(const std::string& event) const {
  if (events.empty()) return true;
  for (const auto& e : events) {
    if (e == event) return true;
    if (e.size() >= 2 && e.compare(e.size() - 2, 2, ".*") == 0 && event.rfind(e.substr(0, e.size() - 1), 0) == 0)
      return true;
  }
  return false;
}

const std::vector<std::string>& channel_kinds() {
  static const std::vector<std::string> k = {"email", "webhook", "wecom", "dingtalk"};
  return k;
}

std::vector<FieldError> validate_channel(const Channel& ch) {
  std::vector<FieldError> errors;
  if (ch.name.empty()) errors.push_back({"name", "required", "must be 1 to 100 characters"});
  else if (ch.name.size() > 100) errors.push_back({"name", "max_length", "must be 1 to 100 characters"});
  else if (has_controls(ch.name)) errors.push_back({"name", "control_characters", "must not contain control characters"});
  const auto& kinds = channel_kinds();
  if (std::find(kinds.begin(), kinds.end(), ch.kind) == kinds.end()) {
    errors.push_back({"kind", "enum", "must be one of email, webhook, wecom, dingtalk"});
    return errors;
  }
  if (ch.events.size() > 100) errors.push_back({"events", "max_items", "at most 100 events"});
  for (size_t i = 0; i < ch.events.size() && i < 100; ++i)
    if (!valid_event_pattern(ch.events[i]))
      errors.push_back({"events[" + std::to_string(i) + "]", "format", "must look like ticket.created or ticket.*"});
  if (ch.secret.size() > 500) errors.push_back({"secret", "max_length", "at most 500 characters"});
  else if (has_controls(ch.secret)) errors.push_back({"secret", "control_characters", "must not contain control characters"});

  const json& c = ch.config;
  std::set<std::string> allowed;
  auto str = [&](const std::string& k, bool required, auto&& check, const char* rule, const char* what) {
    allowed.insert(k);
    if (!c.contains(k)) {
      if (required) errors.push_back({"config." + k, "required", "is required"});
      return;
    }
    if (!c[k].is_string()) return errors.push_back({"config." + k, "type", "must be a string"});
    if (c[k].get<std::string>().size() > 2000)
      return errors.push_back({"config." + k, "max_length", "must have at most 2000 characters"});
    if (has_controls(c[k].get<std::string>()))
      return errors.push_back({"config." + k, "control_characters", "must not contain control characters"});
    if (!check(c[k].get<std::string>())) errors.push_back({"config." + k, rule, what});
  };
  auto any = [](const std::string&) { return true; };
  auto list = [&](const std::string& k, auto&& check, const char* what) {
    allowed.insert(k);
    if (!c.contains(k)) return;
    if (!c[k].is_array() || c[k].size() > 200) return errors.push_back({"config." + k, "type", "must be an array of strings"});
    for (size_t i = 0; i < c[k].size(); ++i)
      if (!c[k][i].is_string() || c[k][i].get<std::string>().size() > 2000 || has_controls(c[k][i].get<std::string>()) ||
          !check(c[k][i].get<std::string>()))
        errors.push_back({"config." + k + "[" + std::to_string(i) + "]", "format", what});
  };
  auto format = [&] {
    str("format", false, [](const std::string& f) { return f == "markdown" || f == "text"; }, "enum",
        "must be markdown or text");
  };
  if (ch.kind == "email") {
    str("smtp_url", true, smtp_url, "format", "must start with smtp:// or smtps://");
    str("from", true, [](const std::string& a) { return plausible_email(a); }, "format", "must be an e-mail address");
    str("from_name", false, any, "", "");
    str("username", false, any, "", "");
    allowed.insert("starttls");
    if (c.contains("starttls") && !c["starttls"].is_boolean())
      errors.push_back({"config.starttls", "type", "must be a boolean"});
    list("recipients", [](const std::string& a) { return plausible_email(a); }, "must be an e-mail address");
    list("recipient_roles", [](const std::string& r) { return app::is_valid_role(r); }, "must be a role");
  } else {
    str("url", true, http_url, "format", "must start with http:// or https://");
    if (ch.kind == "webhook" && ch.secret.empty())
      errors.push_back({"secret", "required", "a webhook needs a signing secret"});
    if (ch.kind != "webhook") format();
  }
  for (auto it = c.begin(); it != c.end(); ++it)
    if (!allowed.count(it.key()))
      errors.push_back({"config." + it.key(), "unknown", "is not a setting of a " + ch.kind + " channel"});
  return errors;
}

std::vector<Channel> load_channels(store::Connection& c, bool enabled_only) {
  auto rows = c.query(std::string(kSelect) + (enabled_only ? " WHERE enabled = 1" : "") + " ORDER BY id");
  std::vector<Channel> out;
  for (const auto& r : rows.rows) out.push_back(from_row(r));
  return out;
}

std::optional<Channel> load_channel(store::Connection& c, std::int64_t id) {
  auto rows = c.query(std::string(kSelect) + " WHERE id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return from_row(rows.rows[0]);
}

app::Outcome<json> ChannelService::list(const app::Actor& actor) const {
  if (auto e = require_admin(actor)) return *e;
  return db_.read([&](store::Connection& c) {
    auto rows = c.query(std::string(kSelect) + " ORDER BY id");
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(public_json(from_row(r), &r));
    return json{{"items", items}, {"total", items.size()}};
  });
}

app::Outcome<json> ChannelService::get(const app::Actor& actor, std::int64_t id) const {
  if (auto e = require_admin(actor)) return *e;
  auto out = db_.read([&](store::Connection& c) -> std::optional<json> {
    auto rows = c.query(std::string(kSelect) + " WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    return public_json(from_row(rows.rows[0]), &rows.rows[0]);
  });
  if (!out) return app::Error::NotFound("notification channel " + std::to_string(id));
  return *out;
}

app::Outcome<json> ChannelService::create(const app::Actor& actor, const json& body) const {
  if (auto e = require_admin(actor)) return *e;
  Channel ch;
  auto errors = apply(body, ch);
  for (const char* k : {"name", "kind"})
    if (!body.contains(k)) errors.push_back({k, "required", "is required"});
  if (errors.empty()) errors = validate_channel(ch);
  if (!errors.empty()) return app::Error::Validation(errors);
  Millis now = clock_.now_ms();
  try {
    std::int64_t id = db_.write([&](store::Connection& c) {
      auto r = c.query("INSERT INTO notification_channels (name, kind, enabled, events_json, config_json, secret, "
                       "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
                       {ch.name, ch.kind, std::int64_t{ch.enabled ? 1 : 0}, json(ch.events).dump(), ch.config.dump(),
                        ch.secret, now, now});
      ch.id = r.rows[0].i64("id");
      app::write_audit(c, actor, now, "create", "notification_channel", ch.id, nullptr, public_json(ch, nullptr));
      return ch.id;
    });
    return get(actor, id);
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kUnique)
      return app::Error::Conflict("A channel named '" + ch.name + "' exists", {{"name", "unique", "is taken"}});
    throw;
  }
}

app::Outcome<json> ChannelService::update(const app::Actor& actor, std::int64_t id, const json& body,
                                          std::optional<std::int64_t> if_version) const {
  if (auto e = require_admin(actor)) return *e;
  if (!if_version && body.contains("version") && !body["version"].is_null()) {
    if (!body["version"].is_number_integer())
      return app::Error::Validation({{"version", "type", "must be the integer version you read"}});
    if_version = body["version"].get<std::int64_t>();
  }
  if (!if_version) return app::Error::VersionRequired();
  Millis now = clock_.now_ms();
  try {
    auto out = db_.write([&](store::Connection& c) -> app::Outcome<json> {
      auto rows = c.query(std::string(kSelect) + " WHERE id = ?", {id});
      if (rows.empty()) return app::Error::NotFound("notification channel " + std::to_string(id));
      Channel before = from_row(rows.rows[0]);
      std::int64_t version = rows.rows[0].i64("version");
      if (version != *if_version) return app::Error::Stale(version);
      Channel after = before;
      auto errors = apply(body, after);
      if (errors.empty()) errors = validate_channel(after);
      if (!errors.empty()) return app::Error::Validation(errors);
      c.query("UPDATE notification_channels SET name = ?, kind = ?, enabled = ?, events_json = ?, config_json = ?, "
              "secret = ?, updated_at = ?, version = version + 1 WHERE id = ?",
              {after.name, after.kind, std::int64_t{after.enabled ? 1 : 0}, json(after.events).dump(),
               after.config.dump(), after.secret, now, id});
      json b = public_json(before, nullptr), a = public_json(after, nullptr);
      if (before.secret != after.secret) a["secret"] = after.secret.empty() ? "" : "*** (changed)";
      app::write_audit(c, actor, now, "update", "notification_channel", id, b, a);
      return json::object();
    });
    if (!out) return out.error();
    return get(actor, id);
  } catch (const store::DbError& e) {
    if (e.kind() == store::DbError::Kind::kUnique)
      return app::Error::Conflict("A channel with that name exists", {{"name", "unique", "is taken"}});
    throw;
  }
}

app::Outcome<app::Unit> ChannelService::remove(const app::Actor& actor, std::int64_t id) const {
  if (auto e = require_admin(actor)) return *e;
  Millis now = clock_.now_ms();
  bool found = db_.write([&](store::Connection& c) {
    auto ch = load_channel(c, id);
    if (!ch) return false;
    // Deliveries keep their channel name; their channel_id becomes NULL (ON DELETE SET NULL).
    c.query("DELETE FROM notification_channels WHERE id = ?", {id});
    app::write_audit(c, actor, now, "delete", "notification_channel", id, public_json(*ch, nullptr), nullptr);
    return true;
  });
  if (!found) return app::Error::NotFound("notification channel " + std::to_string(id));
  return app::Unit{};
}

json channel_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}, {"readOnly", true}}},
            {"name", {{"type", "string"}, {"maxLength", 100}}},
            {"kind", {{"type", "string"}, {"enum", channel_kinds()}}},
            {"enabled", {{"type", "boolean"}}},
            {"events", {{"type", "array"}, {"maxItems", 100}, {"items", {{"type", "string"}, {"maxLength", 100}}},
                        {"description", "events subscribed to, e.g. ticket.created or ticket.*; empty = all"}}},
            {"config", {{"type", "object"},
                        {"description", "email: smtp_url, from, from_name, username, starttls, recipients[], "
                                        "recipient_roles[]; webhook: url; wecom, dingtalk: url, format (markdown|text)"}}},
            {"secret", {{"type", "string"}, {"writeOnly", true},
                        {"description", "SMTP password (email) or signing secret (webhook, dingtalk); "
                                        "read back as \"***\" when set; send \"***\" to keep it"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}}},
            {"version", {{"type", "integer"}}}}}};
}

}  // namespace aftersales::notify
