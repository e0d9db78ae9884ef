#include "app/repair_log.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "app/access.h"
#include "app/attachments.h"
#include "app/audit.h"
#include "app/master_data.h"
#include "app/parts.h"
#include "app/ports/outbox.h"
#include "app/resource.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;

constexpr size_t kMaxText = 4000;
constexpr size_t kMaxLines = 50;

std::string local_today(Millis now, const std::string& tz) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(tz.empty() ? "Asia/Shanghai" : tz);
  } catch (const std::exception&) {
    zone = date::locate_zone("Asia/Shanghai");
  }
  auto local = zone->to_local(date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{now}});
  return date::format("%F", date::floor<date::days>(local));
}

// Control characters other than line breaks and tabs (those only where `multi_line`).
bool has_controls(const std::string& s, bool multi_line) {
  return std::any_of(s.begin(), s.end(), [&](unsigned char c) {
    if (multi_line && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

void check_text(const json& body, const char* key, bool required, std::vector<FieldError>& errors, std::string* out) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) errors.push_back({key, "required", "is required"});
    return;
  }
  if (!body[key].is_string()) return errors.push_back({key, "type", "must be a string"});
  std::string s = body[key];
  if (s.size() > kMaxText) return errors.push_back({key, "max_length", "must be at most 4000 bytes"});
  if (required && s.find_first_not_of(" \t\r\n") == std::string::npos)
    return errors.push_back({key, "required", "must not be empty"});
  if (has_controls(s, true)) return errors.push_back({key, "control_characters", "must not contain control characters"});
  *out = s;
}

std::optional<Millis> check_time(const json& body, const char* key, bool required, Millis now, Millis skew,
                                 std::vector<FieldError>& errors) {
  if (!body.contains(key) || body[key].is_null()) {
    if (required) errors.push_back({key, "required", "is required"});
    return std::nullopt;
  }
  Millis t = 0;
  if (!body[key].is_string() || !parse_iso8601(body[key].get<std::string>(), &t)) {
    errors.push_back({key, "format", "must be an ISO-8601 time such as 2026-03-01T09:30:00+08:00"});
    return std::nullopt;
  }
  if (t > now + skew) {
    errors.push_back({key, "future", "must not be in the future"});
    return std::nullopt;
  }
  return t;
}

std::optional<std::vector<std::int64_t>> check_ids(const json& body, const char* key, std::vector<FieldError>& errors) {
  if (!body.contains(key) || body[key].is_null()) return std::nullopt;
  if (!body[key].is_array()) {
    errors.push_back({key, "type", "must be an array of ids"});
    return std::nullopt;
  }
  if (body[key].size() > kMaxLines) {
    errors.push_back({key, "max_items", "must have at most 50 items"});
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  std::set<std::int64_t> seen;
  for (size_t i = 0; i < body[key].size(); ++i) {
    const auto& v = body[key][i];
    const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1) errors.push_back({path, "type", "must be an id (positive integer)"});
    else if (!seen.insert(v.get<std::int64_t>()).second) errors.push_back({path, "duplicate", "is listed twice"});
    else ids.push_back(v.get<std::int64_t>());
  }
  return ids;
}

json log_json(store::Connection& c, const store::Row& r, bool for_customer) {
  json staff = json::array();
  auto ids = json::parse(r.text("staff_ids"), nullptr, false);
  if (ids.is_array())
    for (const auto& id : ids) {
      auto s = c.query("SELECT name FROM staff WHERE id = ?", {id.get<std::int64_t>()});
      staff.push_back({{"id", id}, {"name", s.empty() ? "" : s.rows[0].text("name")}});
    }
  json parts = json::array();
  for (const auto& m : c.query("SELECT m.id, m.part_id, p.code, p.name, p.spec, p.unit, m.location_id, l.name AS location_name, "
                               "m.quantity, (SELECT rp.warranty_until FROM replaced_parts rp WHERE rp.repair_log_id = m.repair_log_id "
                               "AND rp.part_id = m.part_id) AS warranty_until, "
                               "(SELECT count(*) FROM replaced_parts rp WHERE rp.repair_log_id = m.repair_log_id "
                               "AND rp.part_id = m.part_id) AS replaced "
                               "FROM stock_movements m JOIN parts p ON p.id = m.part_id "
                               "JOIN stock_locations l ON l.id = m.location_id "
                               "WHERE m.repair_log_id = ? AND m.kind = 'issue' ORDER BY m.id",
                               {r.i64("id")})
                           .rows) {
    json line = {{"part_id", m.i64("part_id")}, {"part_code", m.text("code")}, {"part_name", m.text("name")},
                 {"spec", m.text("spec")}, {"unit", m.text("unit")}, {"quantity", -m.i64("quantity")},
                 {"replaced", m.i64("replaced") > 0},
                 {"warranty_until", m.is_null("warranty_until") ? json(nullptr) : json(m.text("warranty_until"))}};
    if (!for_customer) {
      line["movement_id"] = m.i64("id");
      line["location_id"] = m.i64("location_id");
      line["location_name"] = m.text("location_name");
    }
    parts.push_back(line);
  }
  json materials = json::parse(r.text("materials_json"), nullptr, false);
  json attachments = json::parse(r.text("attachment_ids"), nullptr, false);
  json j = {{"id", r.i64("id")},
            {"ticket_id", r.i64("ticket_id")},
            {"work_done", r.text("work_done")},
            {"progress_note", r.text("progress_note")},
            {"visible_to_customer", r.i64("visible_to_customer") != 0},
            {"started_at", format_iso8601(r.i64("started_at"))},
            {"ended_at", r.is_null("ended_at") ? json(nullptr) : json(format_iso8601(r.i64("ended_at")))},
            {"staff", staff},
            {"parts", parts},
            {"materials", materials.is_array() ? materials : json::array()},
            {"attachment_ids", attachments.is_array() ? attachments : json::array()},
            {"created_at", format_iso8601(r.i64("created_at"))}};
  if (!for_customer) {
    j["problems"] = r.text("problems");
    j["ticket_state"] = r.text("ticket_state");
    j["created_by"] = r.is_null("created_by") ? json(nullptr) : json(r.i64("created_by"));
    j["created_by_name"] = r.text("created_by_name");
  }
  return j;
}

constexpr const char* kLogSelect =
    "SELECT r.id, r.ticket_id, r.work_done, r.problems, r.progress_note, r.visible_to_customer, r.started_at, r.ended_at, "
    "r.staff_ids, r.materials_json, r.attachment_ids, r.ticket_state, r.created_by, r.created_at, "
    "(SELECT display_name FROM users u WHERE u.id = r.created_by) AS created_by_name FROM repair_logs r";

// Thrown to roll back the write transaction with an expected failure.
struct Rollback {
  Error error;
};

}  // namespace

bool repair_log_allowed_in(const std::string& state) { return state == "in_repair" || state == "rework"; }

std::vector<FieldError> parse_repair_log(const json& body, Millis now, Millis not_before, RepairLogInput* out,
                                         Millis skew) {
  std::vector<FieldError> errors;
  if (!body.is_object()) return {{"", "type", "must be an object"}};
  static const std::set<std::string> known = {"work_done", "problems",  "progress_note", "visible_to_customer",
                                              "started_at", "ended_at", "staff_ids",     "parts",
                                              "materials",  "attachment_ids"};
  for (const auto& [k, v] : body.items())
    if (!known.count(k)) errors.push_back({k, "unknown", "is not a field of a repair log"});
  check_text(body, "work_done", true, errors, &out->work_done);
  check_text(body, "problems", false, errors, &out->problems);
  check_text(body, "progress_note", false, errors, &out->progress_note);
  if (body.contains("visible_to_customer") && !body["visible_to_customer"].is_null()) {
    if (!body["visible_to_customer"].is_boolean()) errors.push_back({"visible_to_customer", "type", "must be true or false"});
    else out->visible_to_customer = body["visible_to_customer"].get<bool>();
  }
  auto start = check_time(body, "started_at", true, now, skew, errors);
  auto end = check_time(body, "ended_at", false, now, skew, errors);
  if (start) {
    out->started_at = *start;
    if (*start < not_before) errors.push_back({"started_at", "before_report", "must not be before the request was reported"});
  }
  if (end) out->ended_at = *end;
  if (start && end && *end < *start) errors.push_back({"ended_at", "order", "must not be before started_at"});
  out->staff_ids = check_ids(body, "staff_ids", errors);
  if (out->staff_ids && out->staff_ids->empty()) errors.push_back({"staff_ids", "min_items", "must name at least one person"});
  if (auto a = check_ids(body, "attachment_ids", errors)) out->attachment_ids = *a;

  if (body.contains("parts") && !body["parts"].is_null()) {
    const auto& parts = body["parts"];
    if (!parts.is_array()) errors.push_back({"parts", "type", "must be an array of {part_id, location_id, quantity}"});
    else if (parts.size() > kMaxLines) errors.push_back({"parts", "max_items", "must have at most 50 items"});
    else {
      std::set<std::pair<std::int64_t, std::int64_t>> seen;
      for (size_t i = 0; i < parts.size(); ++i) {
        const auto& p = parts[i];
        const std::string base = "parts[" + std::to_string(i) + "]";
        if (!p.is_object()) {
          errors.push_back({base, "type", "must be an object"});
          continue;
        }
        for (const auto& [k, v] : p.items())
          if (k != "part_id" && k != "location_id" && k != "quantity" && k != "replaced")
            errors.push_back({base + "." + k, "unknown", "is not a field of a part line"});
        RepairPartLine line;
        bool ok = true;
        for (const char* key : {"part_id", "location_id", "quantity"}) {
          if (!p.contains(key) || p[key].is_null()) {
            errors.push_back({base + "." + key, "required", "is required"});
            ok = false;
          } else if (!p[key].is_number_integer() || p[key].get<std::int64_t>() < 1) {
            errors.push_back({base + "." + key, key == std::string("quantity") ? "range" : "type",
                              key == std::string("quantity") ? "must be a positive whole number" : "must be an id (positive integer)"});
            ok = false;
          }
        }
        if (ok && p["quantity"].get<std::int64_t>() > 1000000) {
          errors.push_back({base + ".quantity", "range", "must be at most 1000000"});
          ok = false;
        }
        if (p.contains("replaced") && !p["replaced"].is_null()) {
          if (!p["replaced"].is_boolean()) {
            errors.push_back({base + ".replaced", "type", "must be true or false"});
            ok = false;
          } else {
            line.replaced = p["replaced"].get<bool>();
          }
        }
        if (!ok) continue;
        line.part_id = p["part_id"];
        line.location_id = p["location_id"];
        line.quantity = p["quantity"];
        if (!seen.insert({line.part_id, line.location_id}).second) {
          errors.push_back({base, "duplicate", "the same part from the same location is listed twice"});
          continue;
        }
        out->parts.push_back(line);
      }
    }
  }
  if (body.contains("materials") && !body["materials"].is_null()) {
    const auto& mats = body["materials"];
    if (!mats.is_array()) errors.push_back({"materials", "type", "must be an array of {name, quantity, unit}"});
    else if (mats.size() > kMaxLines) errors.push_back({"materials", "max_items", "must have at most 50 items"});
    else
      for (size_t i = 0; i < mats.size(); ++i) {
        const auto& m = mats[i];
        const std::string base = "materials[" + std::to_string(i) + "]";
        if (!m.is_object()) {
          errors.push_back({base, "type", "must be an object"});
          continue;
        }
        for (const auto& [k, v] : m.items())
          if (k != "name" && k != "quantity" && k != "unit")
            errors.push_back({base + "." + k, "unknown", "is not a field of a material line"});
        RepairMaterialLine line;
        if (!m.contains("name") || !m["name"].is_string() || m["name"].get<std::string>().empty())
          errors.push_back({base + ".name", "required", "is required"});
        else if (m["name"].get<std::string>().size() > 200)
          errors.push_back({base + ".name", "max_length", "must be at most 200 bytes"});
        else if (has_controls(m["name"].get<std::string>(), false))
          errors.push_back({base + ".name", "control_characters", "must not contain control characters"});
        else line.name = m["name"];
        if (!m.contains("quantity") || !m["quantity"].is_number())
          errors.push_back({base + ".quantity", "required", "is required and must be a number"});
        else if (!std::isfinite(m["quantity"].get<double>()) || m["quantity"].get<double>() <= 0 || m["quantity"].get<double>() > 1e9)
          errors.push_back({base + ".quantity", "range", "must be positive"});
        else line.quantity = m["quantity"];
        if (m.contains("unit") && !m["unit"].is_null()) {
          if (!m["unit"].is_string() || m["unit"].get<std::string>().size() > 20 || has_controls(m["unit"].get<std::string>(), false))
            errors.push_back({base + ".unit", "type", "must be a string of at most 20 bytes without control characters"});
          else line.unit = m["unit"];
        }
        out->materials.push_back(line);
      }
  }
  return errors;
}

Outcome<json> RepairLogService::create(const Actor& actor, std::int64_t ticket_id, const json& body) const {
  if (actor.is_customer()) return Error::Forbidden("Customer users cannot write repair logs");
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  const Millis now = clock_.now_ms();
  try {
    return db_.write([&](store::Connection& c) -> Outcome<json> {
      auto fail = [](Error e) -> Outcome<json> { throw Rollback{std::move(e)}; };
      std::string sql =
          "SELECT t.id, t.number, t.title, t.state, t.customer_id, t.asset_id, t.reported_at, p.time_zone, "
          "p.name AS project_name, c.name AS customer_name FROM tickets t JOIN projects p ON p.id = t.project_id "
          "JOIN customers c ON c.id = t.customer_id WHERE t.id = ?";
      // On PostgreSQL, hold the request still while its log is written (a state change waits).
      if (c.dialect() == store::Dialect::kPostgres) sql += " FOR UPDATE OF t";
      auto tr = c.query(sql, {ticket_id});
      if (tr.empty()) return fail(Error::NotFound("service request " + std::to_string(ticket_id)));
      const auto& t = tr.rows[0];

      // Who may log: the technicians assigned now, or a service manager / administrator.
      auto me = c.query("SELECT id FROM staff WHERE user_id = ?", {actor.user_id});
      std::optional<std::int64_t> my_staff = me.empty() ? std::nullopt : std::optional(me.rows[0].i64("id"));
      const bool manager = actor.role == "admin" || actor.role == "service_manager";
      if (!manager) {
        bool assigned = my_staff && !c.query("SELECT 1 FROM ticket_assignments WHERE ticket_id = ? AND staff_id = ? "
                                             "AND released_at IS NULL",
                                             {ticket_id, *my_staff})
                                         .empty();
        if (!assigned)
          return fail(Error::Forbidden("Only the technicians assigned to request " + t.text("number") +
                                       " (or a service manager) may log repair work"));
      }
      // A bad payload is reported as such (naming its fields) before the state is judged.
      RepairLogInput in;
      auto errors = parse_repair_log(body, now, t.i64("reported_at"), &in);
      if (!errors.empty()) return fail(Error::Validation(errors));
      const std::string state = t.text("state");
      if (!repair_log_allowed_in(state))
        return fail(Error::Conflict("Repair work is logged while the request is in_repair or rework; request " +
                                    t.text("number") + " is " + state));
      std::vector<std::int64_t> staff_ids;
      if (in.staff_ids) {
        staff_ids = *in.staff_ids;
        for (size_t i = 0; i < staff_ids.size(); ++i)
          if (c.query("SELECT 1 FROM staff WHERE id = ?", {staff_ids[i]}).empty())
            errors.push_back({"staff_ids[" + std::to_string(i) + "]", "not_found", "no staff member has this id"});
      } else if (my_staff) {
        staff_ids = {*my_staff};
      } else {
        errors.push_back({"staff_ids", "required", "name who did the work: you have no staff record of your own"});
      }
      for (size_t i = 0; i < in.parts.size(); ++i) {
        const auto& line = in.parts[i];
        const std::string base = "parts[" + std::to_string(i) + "]";
        auto p = c.query("SELECT id, code, name, active, warranty_months, unit_cost FROM parts WHERE id = ?", {line.part_id});
        if (p.empty()) errors.push_back({base + ".part_id", "not_found", "no part has this id"});
        else if (p.rows[0].i64("active") == 0) errors.push_back({base + ".part_id", "inactive", "the part is no longer active"});
        if (c.query("SELECT 1 FROM stock_locations WHERE id = ?", {line.location_id}).empty())
          errors.push_back({base + ".location_id", "not_found", "no stock location has this id"});
      }
      for (auto& e : check_attachment_ids(c, actor, in.attachment_ids, ticket_id, "attachment_ids")) errors.push_back(e);
      if (!errors.empty()) return fail(Error::Validation(errors));

      json materials = json::array();
      for (const auto& m : in.materials) materials.push_back({{"name", m.name}, {"quantity", m.quantity}, {"unit", m.unit}});
      json staff_json = staff_ids;
      json attachment_json = in.attachment_ids;
      auto ins = c.query(
          "INSERT INTO repair_logs (ticket_id, work_done, problems, progress_note, visible_to_customer, started_at, ended_at, "
          "staff_ids, materials_json, attachment_ids, ticket_state, created_by, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {ticket_id, in.work_done, in.problems, in.progress_note, static_cast<std::int64_t>(in.visible_to_customer ? 1 : 0),
           in.started_at, in.ended_at ? Value(*in.ended_at) : Value(), staff_json.dump(), materials.dump(),
           attachment_json.dump(), state, actor.user_id > 0 ? Value(actor.user_id) : Value(), now});
      const std::int64_t log_id = ins.rows[0].i64("id");

      // Issue the parts in a fixed order (part, location) so that concurrent logs drawing the
      // same stock rows lock them in the same order.
      std::vector<size_t> order(in.parts.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::pair(in.parts[a].part_id, in.parts[a].location_id) < std::pair(in.parts[b].part_id, in.parts[b].location_id);
      });
      const Millis replaced_at = in.ended_at.value_or(now);
      json event_parts = json::array();
      for (size_t i : order) {
        const auto& line = in.parts[i];
        StockChange ch;
        ch.part_id = line.part_id;
        ch.location_id = line.location_id;
        ch.kind = "issue";
        ch.quantity = -line.quantity;
        ch.ticket_id = ticket_id;
        ch.repair_log_id = log_id;
        ch.reason = "repair log " + std::to_string(log_id);
        ch.reference = t.text("number");
        ch.field = "parts[" + std::to_string(i) + "].quantity";
        auto p = c.query("SELECT code, name, warranty_months, unit_cost FROM parts WHERE id = ?", {line.part_id});
        if (!p.rows[0].is_null("unit_cost")) ch.unit_cost = p.rows[0].f64("unit_cost");
        auto moved = apply_stock_change(c, actor, ch, now);
        if (!moved) return fail(moved.error());
        std::optional<std::string> until;
        if (line.replaced) {
          until = part_warranty_until(replaced_at, static_cast<int>(p.rows[0].i64("warranty_months")), t.text("time_zone"));
          c.query("INSERT INTO replaced_parts (ticket_id, repair_log_id, part_id, asset_id, quantity, replaced_at, "
                  "warranty_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  {ticket_id, log_id, line.part_id, t.is_null("asset_id") ? Value() : Value(t.i64("asset_id")),
                   line.quantity, replaced_at, until ? Value(*until) : Value(), now});
        }
        event_parts.push_back({{"part_id", line.part_id}, {"code", p.rows[0].text("code")}, {"name", p.rows[0].text("name")},
                               {"quantity", line.quantity}, {"warranty_until", until ? json(*until) : json(nullptr)}});
      }
      if (!in.attachment_ids.empty()) link_attachments(c, actor, in.attachment_ids, ticket_id, "repair", now);

      // The timeline event and the notification, like every other step of the request.
      json data = {{"repair_log_id", log_id}, {"work_done", in.work_done}, {"progress_note", in.progress_note},
                   {"started_at", format_iso8601(in.started_at)},
                   {"ended_at", in.ended_at ? json(format_iso8601(*in.ended_at)) : json(nullptr)},
                   {"parts", event_parts}, {"materials", materials}, {"staff_ids", staff_json}};
      c.query("INSERT INTO ticket_events (ticket_id, at, actor_user_id, actor_name, actor_role, type, action, from_state, "
              "to_state, reason, data_json, internal, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {ticket_id, now, actor.user_id > 0 ? Value(actor.user_id) : Value(),
               actor.display_name.empty() ? actor.username : actor.display_name, actor.role, "repair_logged", Value(),
               state, state, "", data.dump(), static_cast<std::int64_t>(in.visible_to_customer ? 0 : 1), actor.request_id});
      OutboundMessage msg;
      msg.event = "ticket.repair_logged";
      msg.ticket_id = ticket_id;
      msg.customer_id = t.i64("customer_id");
      msg.params = {{"number", t.text("number")},         {"title", t.text("title")},
                    {"project_name", t.text("project_name")}, {"customer_name", t.text("customer_name")},
                    {"state", state},                      {"by", actor.display_name},
                    {"progress_note", in.progress_note}};
      if (!in.visible_to_customer) msg.params["internal"] = true;
      enqueue_notification(c, msg, now);

      auto row = c.query(std::string(kLogSelect) + " WHERE r.id = ?", {log_id});
      json saved = log_json(c, row.rows[0], false);
      write_audit(c, actor, now, "create", "repair_log", log_id, nullptr, saved);
      return saved;
    });
  } catch (const Rollback& r) {
    return r.error;
  }
}

Outcome<json> RepairLogService::list(const Actor& actor, std::int64_t ticket_id) const {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    std::string sql = "SELECT id FROM tickets WHERE id = ?";
    std::vector<Value> params = {ticket_id};
    if (actor.is_customer()) {
      sql += " AND customer_id = ?";
      params.push_back(actor.customer_id.value_or(-1));
    }
    if (c.query(sql, params).empty()) return Error::NotFound("service request " + std::to_string(ticket_id));
    std::string q = std::string(kLogSelect) + " WHERE r.ticket_id = ?";
    if (actor.is_customer()) q += " AND r.visible_to_customer = 1";
    json items = json::array();
    for (const auto& r : c.query(q + " ORDER BY r.started_at, r.id", {ticket_id}).rows)
      items.push_back(log_json(c, r, actor.is_customer()));
    return json{{"ticket_id", ticket_id}, {"items", items}};
  });
}

Outcome<json> RepairLogService::replaced_parts(const Actor& actor, std::int64_t asset_id) const {
  ResourceService assets(asset_spec(), db_, clock_);
  auto asset = assets.get(actor, asset_id);  // permission and customer scope
  if (!asset) return asset.error();
  const Millis now = clock_.now_ms();
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto tz = c.query("SELECT p.time_zone FROM assets a JOIN projects p ON p.id = a.project_id WHERE a.id = ?", {asset_id});
    const std::string today = local_today(now, tz.empty() ? "" : tz.rows[0].text("time_zone"));
    json items = json::array();
    for (const auto& r : c.query("SELECT rp.id, rp.ticket_id, t.number, rp.repair_log_id, rp.part_id, p.code, p.name, p.spec, "
                                 "p.unit, p.warranty_months, rp.quantity, rp.replaced_at, rp.warranty_until "
                                 "FROM replaced_parts rp JOIN parts p ON p.id = rp.part_id JOIN tickets t ON t.id = rp.ticket_id "
                                 "WHERE rp.asset_id = ? ORDER BY rp.replaced_at DESC, rp.id DESC",
                                 {asset_id})
                             .rows) {
      const bool has = !r.is_null("warranty_until");
      items.push_back({{"id", r.i64("id")}, {"ticket_id", r.i64("ticket_id")}, {"ticket_number", r.text("number")},
                       {"repair_log_id", r.i64("repair_log_id")}, {"part_id", r.i64("part_id")},
                       {"part_code", r.text("code")}, {"part_name", r.text("name")}, {"spec", r.text("spec")},
                       {"unit", r.text("unit")}, {"quantity", r.i64("quantity")},
                       {"warranty_months", r.i64("warranty_months")},
                       {"replaced_at", format_iso8601(r.i64("replaced_at"))},
                       {"warranty_until", has ? json(r.text("warranty_until")) : json(nullptr)},
                       {"under_warranty", has && today <= r.text("warranty_until")}});
    }
    return json{{"asset_id", asset_id}, {"items", items}};
  });
}

}  // namespace aftersales::app
