#include "app/complaints.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "app/access.h"
#include "app/attachments.h"
#include "app/audit.h"
#include "app/ports/outbox.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;

struct Step {
  std::vector<std::string> from;
  std::string to;  // empty: the state stays
  std::set<std::string> roles;
  bool internal = false;  // its event is hidden from customer users
};

const std::map<std::string, Step>& steps() {
  static const std::map<std::string, Step> s = {
      {"acknowledge", {{"logged"}, "", {"service_manager", "agent", "admin"}}},
      {"start_investigation", {{"logged"}, "investigating", {"service_manager", "admin"}}},
      {"record_investigation",
       {{"investigating"}, "", {"service_manager", "tech_lead", "quality_inspector", "admin"}, true}},
      {"draft_plan", {{"investigating"}, "handling_plan", {"service_manager", "tech_lead", "admin"}}},
      {"review_plan", {{"handling_plan"}, "", {"tech_lead", "service_manager", "admin"}, true}},
      {"approve_plan", {{"handling_plan"}, "plan_approved", {"service_manager", "project_manager", "admin"}}},
      {"reject_plan", {{"handling_plan"}, "investigating", {"service_manager", "project_manager", "admin"}, true}},
      {"give_feedback", {{"plan_approved"}, "feedback_given", {"service_manager", "agent", "admin"}}},
      {"customer_satisfied", {{"feedback_given"}, "closed", {"customer", "service_manager", "agent", "admin"}}},
      {"customer_unsatisfied", {{"feedback_given"}, "investigating", {"customer", "service_manager", "agent", "admin"}}},
      {"cancel", {{"logged", "investigating", "handling_plan"}, "cancelled", {"customer", "service_manager", "admin"}}},
  };
  return s;
}

json opt_time(const store::Row& r, const char* col) {
  return r.is_null(col) ? json(nullptr) : json(format_iso8601(r.i64(col)));
}
json opt_int(const store::Row& r, const char* col) { return r.is_null(col) ? json(nullptr) : json(r.i64(col)); }
json opt_text(const store::Row& r, const char* col) { return r.is_null(col) ? json(nullptr) : json(r.text(col)); }
std::string actor_name(const Actor& a) { return a.display_name.empty() ? a.username : a.display_name; }

constexpr const char* kSelect =
    "SELECT k.*, p.name AS project_name, c.name AS customer_name, t.number AS ticket_number, d.name AS department_name, "
    "s.name AS responsible_staff_name FROM complaints k JOIN projects p ON p.id = k.project_id "
    "JOIN customers c ON c.id = k.customer_id LEFT JOIN tickets t ON t.id = k.ticket_id "
    "LEFT JOIN departments d ON d.id = k.responsible_department_id LEFT JOIN staff s ON s.id = k.responsible_staff_id";

json clock_json(const store::Row& r, const char* due_col, const char* at_col, Millis now) {
  std::string status;
  if (!r.is_null(at_col)) status = r.i64(at_col) <= r.i64(due_col) ? "met" : "breached";
  else if (r.text("state") == "cancelled") status = "cancelled";
  else status = now > r.i64(due_col) ? "breached" : "pending";
  return {{"due_at", format_iso8601(r.i64(due_col))}, {"at", opt_time(r, at_col)}, {"status", status},
          {"met", status == "met"}};
}

json summary(const store::Row& r, Millis now) {
  return {{"id", r.i64("id")},
          {"number", r.text("number")},
          {"state", r.text("state")},
          {"round", r.i64("round")},
          {"channel", r.text("channel")},
          {"customer", {{"id", r.i64("customer_id")}, {"name", r.text("customer_name")}}},
          {"project", {{"id", r.i64("project_id")}, {"name", r.text("project_name")}}},
          {"ticket", r.is_null("ticket_id") ? json(nullptr) : json{{"id", r.i64("ticket_id")}, {"number", r.text("ticket_number")}}},
          {"description", r.text("description")},
          {"demand", r.text("demand")},
          {"satisfied", r.is_null("satisfied") ? json(nullptr) : json(r.i64("satisfied") != 0)},
          {"sla", {{"acknowledge", clock_json(r, "ack_due_at", "acknowledged_at", now)},
                   {"first_opinion", clock_json(r, "first_opinion_due_at", "first_opinion_at", now)}}},
          {"created_at", format_iso8601(r.i64("created_at"))},
          {"updated_at", format_iso8601(r.i64("updated_at"))},
          {"closed_at", opt_time(r, "closed_at")},
          {"version", r.i64("version")}};
}

json detail(store::Connection& c, const store::Row& r, const Actor& actor, Millis now) {
  json j = summary(r, now);
  j["plan"] = r.text("plan");
  j["feedback"] = r.text("feedback");
  j["feedback_at"] = opt_time(r, "feedback_at");
  j["plan_approved_at"] = opt_time(r, "plan_approved_at");
  if (!actor.is_customer()) {
    json team = json::array();
    json ids = json::parse(r.text("team_json"), nullptr, false);
    if (ids.is_array())
      for (const auto& id : ids) {
        auto s = c.query("SELECT id, name FROM staff WHERE id = ?", {id.get<std::int64_t>()});
        if (!s.empty()) team.push_back({{"id", s.rows[0].i64("id")}, {"name", s.rows[0].text("name")}});
      }
    j["investigation"] = {
        {"team", team},
        {"findings", r.text("findings")},
        {"evidence_attachment_ids", json::parse(r.text("evidence_json"), nullptr, false)},
        {"cause", opt_text(r, "cause")},
        {"responsible_department", r.is_null("responsible_department_id")
                                       ? json(nullptr)
                                       : json{{"id", r.i64("responsible_department_id")}, {"name", r.text("department_name")}}},
        {"responsible_staff", r.is_null("responsible_staff_id")
                                  ? json(nullptr)
                                  : json{{"id", r.i64("responsible_staff_id")}, {"name", r.text("responsible_staff_name")}}},
        {"opinion", r.text("opinion")}};
    j["plan_review"] = {{"reviewed_by", opt_int(r, "plan_reviewed_by")}, {"reviewed_at", opt_time(r, "plan_reviewed_at")},
                        {"comment", r.text("plan_review_comment")}, {"approved_by", opt_int(r, "plan_approved_by")}};
  }
  j["allowed_actions"] = complaint_allowed_actions(r.text("state"), actor.role);
  return j;
}

std::optional<store::Row> load(store::Connection& c, std::int64_t id, const Actor& actor, store::Result* keep) {
  std::string sql = std::string(kSelect) + " WHERE k.id = ?";
  std::vector<Value> params = {id};
  if (actor.is_customer()) {
    sql += " AND k.customer_id = ?";
    params.push_back(actor.customer_id.value_or(-1));
  }
  *keep = c.query(sql, params);
  if (keep->empty()) return std::nullopt;
  return keep->rows[0];
}

void add_event(store::Connection& c, std::int64_t id, const Actor& actor, Millis at, const std::string& action,
               const std::string& from, const std::string& to, std::int64_t round, const json& data, bool internal) {
  c.query("INSERT INTO complaint_events (complaint_id, at, actor_user_id, actor_name, actor_role, action, from_state, "
          "to_state, round, data_json, internal, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {id, at, actor.user_id > 0 ? Value(actor.user_id) : Value(), actor_name(actor), actor.role, action,
           from.empty() ? Value() : Value(from), to.empty() ? Value() : Value(to), round, data.dump(),
           static_cast<std::int64_t>(internal ? 1 : 0), actor.request_id});
}

std::string next_number(store::Connection& c, Millis now, const std::string& zone) {
  auto zt = date::make_zoned(date::locate_zone(zone), date::sys_seconds(std::chrono::seconds(now / 1000)));
  std::string day = date::format("%Y%m%d", date::floor<date::days>(zt.get_local_time()));
  auto r = c.query("INSERT INTO daily_counters (day, value) VALUES (?, 1) "
                   "ON CONFLICT (day) DO UPDATE SET value = daily_counters.value + 1 RETURNING value",
                   {"TS" + day});
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(r.rows[0].i64("value")));
  return "TS" + day + "-" + seq;
}

FieldSpec text(const std::string& name, size_t max, bool required) {
  FieldSpec f;
  f.name = name;
  f.max_length = max;
  f.required = required;
  f.nullable = !required;
  f.default_value = "";
  return f;
}
FieldSpec ref(const std::string& name, bool required = false) {
  FieldSpec f;
  f.name = name;
  f.type = FieldType::kRef;
  f.required = required;
  f.nullable = !required;
  return f;
}
FieldSpec id_list(const std::string& name) {  // checked by hand: an array of positive integers
  FieldSpec f;
  f.name = name;
  f.type = FieldType::kStringList;
  return f;
}

// Validates an array of positive integer ids (at most 50, no duplicates).
std::optional<FieldError> ids_of(const json& v, const std::string& field, bool required, std::vector<std::int64_t>* out) {
  if (v.is_null()) {
    if (required) return FieldError{field, "required", "is required"};
    return std::nullopt;
  }
  if (!v.is_array()) return FieldError{field, "type", "must be an array of ids"};
  if (required && v.empty()) return FieldError{field, "required", "must name at least one"};
  if (v.size() > 50) return FieldError{field, "max_items", "at most 50"};
  std::set<std::int64_t> seen;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number_integer() || v[i].get<std::int64_t>() < 1)
      return FieldError{field + "[" + std::to_string(i) + "]", "type", "must be an id (positive integer)"};
    if (!seen.insert(v[i].get<std::int64_t>()).second)
      return FieldError{field + "[" + std::to_string(i) + "]", "duplicate", "is named twice"};
    out->push_back(v[i].get<std::int64_t>());
  }
  return std::nullopt;
}

std::vector<FieldSpec> payload_fields(const std::string& action) {
  FieldSpec cause;
  cause.name = "cause";
  cause.type = FieldType::kEnum;
  cause.required = true;
  cause.nullable = false;
  cause.values = complaint_causes();
  FieldSpec satisfied_comment = text("comment", 2000, false);
  if (action == "acknowledge") return {text("note", 2000, false)};
  if (action == "start_investigation") return {id_list("team_staff_ids"), text("note", 2000, false)};
  if (action == "record_investigation")
    return {text("findings", 4000, true), cause, ref("responsible_department_id", true), ref("responsible_staff_id"),
            id_list("evidence_attachment_ids"), text("opinion", 4000, false)};
  if (action == "draft_plan") return {text("plan", 4000, true)};
  if (action == "review_plan") return {text("comment", 2000, false)};
  if (action == "approve_plan") return {text("note", 2000, false)};
  if (action == "reject_plan") return {text("reason", 2000, true)};
  if (action == "give_feedback") return {text("result", 4000, true)};
  if (action == "customer_satisfied") return {satisfied_comment};
  if (action == "customer_unsatisfied" || action == "cancel") return {text("reason", 2000, true)};
  return {};
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

bool all_digits(const std::string& v) {
  return !v.empty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

}  // namespace

const std::vector<std::string>& complaint_states() {
  static const std::vector<std::string> v = {"logged", "investigating", "handling_plan", "plan_approved",
                                             "feedback_given", "closed", "cancelled"};
  return v;
}

const std::vector<std::string>& complaint_actions() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> a;
    for (const auto& [k, _] : steps()) a.push_back(k);
    return a;
  }();
  return v;
}

const std::vector<std::string>& complaint_causes() {
  static const std::vector<std::string> v = {"construction", "material", "design", "service_attitude", "response_delay",
                                             "repair_quality", "communication", "customer_use", "other"};
  return v;
}

std::vector<std::string> complaint_allowed_actions(const std::string& state, const std::string& role) {
  std::vector<std::string> out;
  static const std::vector<std::string> order = {"acknowledge", "start_investigation", "record_investigation", "draft_plan",
                                                 "review_plan", "approve_plan", "reject_plan", "give_feedback",
                                                 "customer_satisfied", "customer_unsatisfied", "cancel"};
  for (const auto& a : order) {
    const auto& s = steps().at(a);
    if (std::find(s.from.begin(), s.from.end(), state) != s.from.end() && (role.empty() || s.roles.count(role)))
      out.push_back(a);
  }
  return out;
}

Outcome<json> ComplaintService::create(const Actor& actor, const json& body) {
  if (auto e = require(actor, Permission::kComplaintCreate)) return *e;
  FieldSpec channel;
  channel.name = "channel";
  channel.type = FieldType::kEnum;
  channel.values = {"hotline", "portal", "email", "wechat", "letter", "on_site", "follow_up"};
  auto fields = std::vector<FieldSpec>{ref("project_id", true), ref("ticket_id"), channel, text("description", 4000, true),
                                       text("demand", 2000, false)};
  json in;
  auto errors = validate_object(fields, body, "", &in);
  if (actor.is_customer() && !in["channel"].is_null() && in["channel"] != "portal")
    errors.push_back({"channel", "forbidden", "customers file complaints through the portal"});
  if (!errors.empty()) return Error::Validation(errors);
  std::string chan = in["channel"].is_null() ? (actor.is_customer() ? "portal" : "hotline") : in["channel"].get<std::string>();
  const Millis now = clock_.now_ms();
  auto id = db_.write([&](store::Connection& c) -> Outcome<std::int64_t> {
    auto p = c.query("SELECT id, customer_id FROM projects WHERE id = ?", {in["project_id"].get<std::int64_t>()});
    if (p.empty() || (actor.is_customer() && p.rows[0].i64("customer_id") != actor.customer_id.value_or(-1)))
      return Error::Validation({{"project_id", "not_found", "no such project"}});
    if (!in["ticket_id"].is_null()) {
      auto t = c.query("SELECT project_id FROM tickets WHERE id = ?", {in["ticket_id"].get<std::int64_t>()});
      if (t.empty() || (actor.is_customer() && t.rows[0].i64("project_id") != in["project_id"].get<std::int64_t>()))
        return Error::Validation({{"ticket_id", "not_found", "no such service request"}});
      if (t.rows[0].i64("project_id") != in["project_id"].get<std::int64_t>())
        return Error::Validation({{"ticket_id", "project", "belongs to another project"}});
    }
    std::string number = next_number(c, now, time_zone_);
    std::int64_t customer_id = p.rows[0].i64("customer_id");
    auto r = c.query("INSERT INTO complaints (number, customer_id, project_id, ticket_id, channel, description, demand, state, "
                     "round, filed_by, created_at, ack_due_at, first_opinion_due_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 'logged', 1, ?, ?, ?, ?, ?) RETURNING id",
                     {number, customer_id, in["project_id"].get<std::int64_t>(),
                      in["ticket_id"].is_null() ? Value() : Value(in["ticket_id"].get<std::int64_t>()), chan,
                      in["description"].get<std::string>(), in["demand"].get<std::string>(),
                      actor.user_id > 0 ? Value(actor.user_id) : Value(), now, now + kComplaintAckMs,
                      now + kComplaintFirstOpinionMs, now});
    std::int64_t id = r.rows[0].i64("id");
    json data = {{"number", number}, {"channel", chan}, {"description", in["description"]}, {"demand", in["demand"]},
                 {"ticket_id", in["ticket_id"]}};
    add_event(c, id, actor, now, "log", "", "logged", 1, data, false);
    write_audit(c, actor, now, "create", "complaint", id, nullptr, data);
    OutboundMessage msg;
    msg.event = "complaint.created";
    msg.customer_id = customer_id;
    if (!in["ticket_id"].is_null()) msg.ticket_id = in["ticket_id"].get<std::int64_t>();
    msg.params = {{"number", number}, {"description", in["description"]}, {"ack_due_at", format_iso8601(now + kComplaintAckMs)},
                  {"internal", true}};
    enqueue_notification(c, msg, now);
    return id;
  });
  if (!id) return id.error();
  return get(actor, *id);
}

Outcome<json> ComplaintService::get(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kComplaintRead)) return *e;
  const Millis now = clock_.now_ms();
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    store::Result keep;
    auto r = load(c, id, actor, &keep);
    if (!r) return Error::NotFound("complaint " + std::to_string(id));
    return detail(c, *r, actor, now);
  });
}

Outcome<json> ComplaintService::timeline(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kComplaintRead)) return *e;
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    store::Result keep;
    if (!load(c, id, actor, &keep)) return Error::NotFound("complaint " + std::to_string(id));
    std::string sql = "SELECT * FROM complaint_events WHERE complaint_id = ?";
    if (actor.is_customer()) sql += " AND internal = 0";
    json items = json::array();
    for (const auto& e : c.query(sql + " ORDER BY id", {id}).rows)
      items.push_back({{"id", e.i64("id")}, {"at", format_iso8601(e.i64("at"))}, {"actor", e.text("actor_name")},
                       {"actor_role", e.text("actor_role")}, {"action", e.text("action")},
                       {"from_state", opt_text(e, "from_state")}, {"to_state", opt_text(e, "to_state")},
                       {"round", e.i64("round")}, {"data", json::parse(e.text("data_json"), nullptr, false)},
                       {"internal", e.i64("internal") != 0}});
    return json{{"complaint_id", id}, {"items", items}};
  });
}

Outcome<json> ComplaintService::act(const Actor& actor, std::int64_t id, const std::string& action, const json& body) {
  if (auto e = require(actor, Permission::kComplaintRead)) return *e;
  auto it = steps().find(action);
  if (it == steps().end()) return Error::NotFound("complaint action '" + action + "'");
  const Step& step = it->second;
  json b = body;
  json team_raw = b.contains("team_staff_ids") ? b["team_staff_ids"] : json(nullptr);
  json evidence_raw = b.contains("evidence_attachment_ids") ? b["evidence_attachment_ids"] : json(nullptr);
  auto fields = payload_fields(action);
  std::vector<FieldSpec> plain;
  for (const auto& f : fields)
    if (f.type != FieldType::kStringList) plain.push_back(f);
    else b.erase(f.name);
  json in;
  auto errors = validate_object(plain, b, "", &in);
  // The id lists, checked by hand.
  std::vector<std::int64_t> team, evidence;
  for (const auto& f : fields) {
    if (f.type != FieldType::kStringList) continue;
    if (f.name == "team_staff_ids")
      if (auto fe = ids_of(team_raw, f.name, true, &team)) errors.push_back(*fe);
    if (f.name == "evidence_attachment_ids")
      if (auto fe = ids_of(evidence_raw, f.name, false, &evidence)) errors.push_back(*fe);
  }
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<Unit> {
    store::Result keep;
    auto r = load(c, id, actor, &keep);
    if (!r) return Error::NotFound("complaint " + std::to_string(id));
    const std::string state = r->text("state");
    if (!step.roles.count(actor.role)) {
      std::vector<std::string> roles(step.roles.begin(), step.roles.end());
      return Error::Forbidden("Role '" + actor.role + "' may not " + action + " a complaint; roles allowed: " + join(roles));
    }
    // A bad payload is reported as such (naming its fields) before the state is judged.
    if (!errors.empty()) return Error::Validation(errors);
    if (std::find(step.from.begin(), step.from.end(), state) == step.from.end())
      return Error::Conflict("Complaint " + r->text("number") + " is '" + state + "'; '" + action +
                             "' is not allowed now. Allowed actions: " + join(complaint_allowed_actions(state, actor.role)));
    // Guards on what has been recorded so far.
    if (action == "acknowledge" && !r->is_null("acknowledged_at"))
      return Error::Conflict("Complaint " + r->text("number") + " was acknowledged already at " +
                             format_iso8601(r->i64("acknowledged_at")));
    if (action == "draft_plan" && (r->is_null("cause") || r->is_null("responsible_department_id")))
      return Error::Conflict("Complaint " + r->text("number") +
                             " has no investigation result yet (cause, responsible department); take record_investigation first");
    if (action == "approve_plan" && r->is_null("plan_reviewed_at"))
      return Error::Conflict("The handling plan of complaint " + r->text("number") +
                             " has not been reviewed; a tech_lead or service_manager takes review_plan first");
    if (action == "cancel" && actor.is_customer() && state != "logged" && state != "investigating")
      return Error::Conflict("Complaint " + r->text("number") + " is '" + state + "'; a customer may withdraw it only "
                             "while it is logged or under investigation");
    // Referenced rows.
    std::vector<FieldError> refs;
    for (size_t i = 0; i < team.size(); ++i)
      if (c.query("SELECT id FROM staff WHERE id = ?", {team[i]}).empty())
        refs.push_back({"team_staff_ids[" + std::to_string(i) + "]", "not_found", "no such staff member"});
    if (!in["responsible_department_id"].is_null() && in.contains("responsible_department_id") &&
        c.query("SELECT id FROM departments WHERE id = ?", {in["responsible_department_id"].get<std::int64_t>()}).empty())
      refs.push_back({"responsible_department_id", "not_found", "no such department"});
    if (in.contains("responsible_staff_id") && !in["responsible_staff_id"].is_null() &&
        c.query("SELECT id FROM staff WHERE id = ?", {in["responsible_staff_id"].get<std::int64_t>()}).empty())
      refs.push_back({"responsible_staff_id", "not_found", "no such staff member"});
    std::optional<std::int64_t> ticket_id = r->opt_i64("ticket_id");
    if (!evidence.empty()) {
      auto e = check_attachment_ids(c, actor, evidence, ticket_id, "evidence_attachment_ids");
      refs.insert(refs.end(), e.begin(), e.end());
    }
    if (!refs.empty()) return Error::Validation(refs);

    std::int64_t round = r->i64("round");
    std::string to = step.to.empty() ? state : step.to;
    std::vector<std::string> sets = {"state = ?", "updated_at = ?", "version = version + 1"};
    std::vector<Value> vals = {to, now};
    auto set = [&](const std::string& col, Value v) {
      sets.insert(sets.end() - 1, col + " = ?");
      vals.push_back(std::move(v));
    };
    json data = in;
    bool acknowledges = (action == "acknowledge" || action == "start_investigation") && r->is_null("acknowledged_at");
    if (acknowledges) set("acknowledged_at", now);
    bool opinion = false;
    if (action == "start_investigation") {
      set("team_json", json(team).dump());
      data["team_staff_ids"] = team;
    } else if (action == "record_investigation") {
      set("findings", in["findings"].get<std::string>());
      set("cause", in["cause"].get<std::string>());
      set("responsible_department_id", in["responsible_department_id"].get<std::int64_t>());
      set("responsible_staff_id", in["responsible_staff_id"].is_null() ? Value() : Value(in["responsible_staff_id"].get<std::int64_t>()));
      json ev = json::parse(r->text("evidence_json"), nullptr, false);
      if (!ev.is_array()) ev = json::array();
      for (auto a : evidence)
        if (std::find(ev.begin(), ev.end(), json(a)) == ev.end()) ev.push_back(a);
      set("evidence_json", ev.dump());
      data["evidence_attachment_ids"] = evidence;
      if (!in["opinion"].get<std::string>().empty()) {
        set("opinion", in["opinion"].get<std::string>());
        opinion = true;
      }
      if (ticket_id && !evidence.empty()) link_attachments(c, actor, evidence, *ticket_id, "complaint", now);
    } else if (action == "draft_plan") {
      set("plan", in["plan"].get<std::string>());
      set("plan_reviewed_by", Value());
      set("plan_reviewed_at", Value());
      set("plan_review_comment", std::string());
      set("plan_approved_by", Value());
      set("plan_approved_at", Value());
      opinion = true;
    } else if (action == "review_plan") {
      set("plan_reviewed_by", actor.user_id > 0 ? Value(actor.user_id) : Value());
      set("plan_reviewed_at", now);
      set("plan_review_comment", in["comment"].get<std::string>());
    } else if (action == "approve_plan") {
      set("plan_approved_by", actor.user_id > 0 ? Value(actor.user_id) : Value());
      set("plan_approved_at", now);
    } else if (action == "give_feedback") {
      set("feedback", in["result"].get<std::string>());
      set("feedback_at", now);
    } else if (action == "customer_satisfied") {
      set("satisfied", std::int64_t{1});
      set("closed_at", now);
    } else if (action == "customer_unsatisfied") {
      set("satisfied", std::int64_t{0});
      set("round", round + 1);
      data["round"] = round + 1;
    } else if (action == "cancel") {
      set("closed_at", now);
    }
    if (opinion && r->is_null("first_opinion_at")) set("first_opinion_at", now);
    std::string sql = "UPDATE complaints SET ";
    for (size_t i = 0; i < sets.size(); ++i) sql += (i ? ", " : "") + sets[i];
    vals.push_back(id);
    c.query(sql + " WHERE id = ?", vals);
    if (action == "customer_unsatisfied") round += 1;
    add_event(c, id, actor, now, action, state, to, round, data, step.internal);
    write_audit(c, actor, now, action, "complaint", id, {{"state", state}, {"round", r->i64("round")}},
                {{"state", to}, {"round", round}, {"data", data}});
    if (to != state) {
      OutboundMessage msg;
      msg.event = "complaint." + to;
      msg.customer_id = r->i64("customer_id");
      if (ticket_id) msg.ticket_id = *ticket_id;
      msg.params = {{"number", r->text("number")}, {"state", to}, {"round", round}, {"by", actor_name(actor)}};
      if (step.internal) msg.params["internal"] = true;
      enqueue_notification(c, msg, now);
    }
    return Unit{};
  });
  if (!done) return done.error();
  return get(actor, id);
}

Outcome<json> ComplaintService::list(const Actor& actor, const ListQuery& query) {
  if (auto e = require(actor, Permission::kComplaintRead)) return *e;
  const Millis now = clock_.now_ms();
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (actor.is_customer()) {
    where += " AND k.customer_id = ?";
    params.push_back(actor.customer_id.value_or(-1));
  }
  static const std::map<std::string, std::string> ids = {{"project_id", "k.project_id"}, {"customer_id", "k.customer_id"},
                                                         {"department_id", "k.responsible_department_id"},
                                                         {"ticket_id", "k.ticket_id"}};
  for (const auto& [k, v] : query.filters) {
    if (k == "state") {
      std::string marks;
      size_t start = 0;
      while (start <= v.size()) {
        size_t end = v.find(',', start);
        if (end == std::string::npos) end = v.size();
        std::string s = v.substr(start, end - start);
        if (std::find(complaint_states().begin(), complaint_states().end(), s) == complaint_states().end())
          return Error::BadRequest("state must be one of " + join(complaint_states()), "state", "enum");
        marks += marks.empty() ? "?" : ", ?";
        params.push_back(s);
        start = end + 1;
      }
      where += " AND k.state IN (" + marks + ")";
    } else if (auto it = ids.find(k); it != ids.end()) {
      if (!all_digits(v)) return Error::BadRequest(k + " must be an id", k, "type");
      where += " AND " + it->second + " = ?";
      params.push_back(static_cast<std::int64_t>(std::stoll(v)));
    } else {
      return Error::BadRequest("'" + k + "' is not a filter of complaint lists", k, "unknown");
    }
  }
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n FROM complaints k" + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query(std::string(kSelect) + where + " ORDER BY k.created_at DESC, k.id DESC LIMIT ? OFFSET ?", page);
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(summary(r, now));
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit}, {"offset", query.offset}};
  });
}

Outcome<json> ComplaintService::analysis(const Actor& actor, const std::map<std::string, std::string>& params) {
  if (auto e = require(actor, Permission::kComplaintRead)) return *e;
  if (actor.is_customer()) return Error::Forbidden("Complaint analysis is for staff");
  const auto* zone = date::locate_zone(time_zone_);
  auto bound = [&](const std::string& key, Millis* out) -> std::optional<Error> {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    const auto& v = it->second;
    if (is_valid_date(v)) {
      date::year_month_day d(date::year(std::stoi(v.substr(0, 4))), date::month(std::stoi(v.substr(5, 2))),
                             date::day(std::stoi(v.substr(8, 2))));
      auto sys = zone->to_sys(date::local_days(d), date::choose::earliest);
      *out = std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
      return std::nullopt;
    }
    if (parse_iso8601(v, out)) return std::nullopt;
    return Error::BadRequest(key + " must be a date (YYYY-MM-DD) or an RFC 3339 time", key, "format");
  };
  for (const auto& [k, _] : params)
    if (k != "from" && k != "to") return Error::BadRequest("'" + k + "' is not a parameter of the analysis", k, "unknown");
  const Millis now = clock_.now_ms();
  Millis from = now - 365LL * 24 * 3600 * 1000, to = now + 1;
  if (auto e = bound("from", &from)) return *e;
  if (auto e = bound("to", &to)) return *e;
  if (to <= from) return Error::BadRequest("to must be after from", "to", "range");
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto rows = c.query("SELECT k.state, k.cause, k.round, k.satisfied, k.created_at, k.acknowledged_at, k.ack_due_at, "
                        "k.first_opinion_at, k.first_opinion_due_at, k.responsible_department_id, d.name AS department_name "
                        "FROM complaints k LEFT JOIN departments d ON d.id = k.responsible_department_id "
                        "WHERE k.created_at >= ? AND k.created_at < ?",
                        {from, to});
    std::map<std::string, int> by_cause, by_state, by_month;
    std::map<std::pair<std::int64_t, std::string>, int> by_department;
    int ack_met = 0, opinion_met = 0, satisfied = 0, answered = 0, multi_round = 0;
    for (const auto& r : rows.rows) {
      by_cause[r.is_null("cause") ? "undetermined" : r.text("cause")]++;
      by_state[r.text("state")]++;
      auto zt = date::make_zoned(zone, date::sys_seconds(std::chrono::seconds(r.i64("created_at") / 1000)));
      by_month[date::format("%Y-%m", date::floor<date::days>(zt.get_local_time()))]++;
      by_department[{r.is_null("responsible_department_id") ? 0 : r.i64("responsible_department_id"),
                     r.is_null("responsible_department_id") ? "undetermined" : r.text("department_name")}]++;
      if (!r.is_null("acknowledged_at") && r.i64("acknowledged_at") <= r.i64("ack_due_at")) ack_met++;
      if (!r.is_null("first_opinion_at") && r.i64("first_opinion_at") <= r.i64("first_opinion_due_at")) opinion_met++;
      if (!r.is_null("satisfied")) {
        answered++;
        if (r.i64("satisfied") != 0) satisfied++;
      }
      if (r.i64("round") > 1) multi_round++;
    }
    auto counts = [](const std::map<std::string, int>& m, const char* key) {
      json a = json::array();
      for (const auto& [k, n] : m) a.push_back({{key, k}, {"count", n}});
      std::stable_sort(a.begin(), a.end(), [](const json& x, const json& y) { return x["count"] > y["count"]; });
      return a;
    };
    json months = json::array();
    for (const auto& [k, n] : by_month) months.push_back({{"month", k}, {"count", n}});  // chronological
    json departments = json::array();
    for (const auto& [k, n] : by_department)
      departments.push_back({{"department_id", k.first ? json(k.first) : json(nullptr)}, {"name", k.second}, {"count", n}});
    std::stable_sort(departments.begin(), departments.end(), [](const json& x, const json& y) { return x["count"] > y["count"]; });
    int total = static_cast<int>(rows.rows.size());
    return json{{"from", format_iso8601(from)},
                {"to", format_iso8601(to)},
                {"total", total},
                {"by_cause", counts(by_cause, "cause")},
                {"by_department", departments},
                {"by_month", months},
                {"by_state", counts(by_state, "state")},
                {"acknowledged_in_time", ack_met},
                {"first_opinion_in_time", opinion_met},
                {"reinvestigated", multi_round},
                {"customer_answers", answered},
                {"customer_satisfied", satisfied}};
  });
}

}  // namespace aftersales::app
