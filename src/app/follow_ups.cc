#include "app/follow_ups.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <set>

#include "app/access.h"
#include "app/audit.h"
#include "app/ports/outbox.h"
#include "common/crypto.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;

constexpr Millis kDayMs = 24LL * 3600 * 1000;

json opt_time(const store::Row& r, const char* col) {
  return r.is_null(col) ? json(nullptr) : json(format_iso8601(r.i64(col)));
}
json opt_int(const store::Row& r, const char* col) { return r.is_null(col) ? json(nullptr) : json(r.i64(col)); }
json opt_text(const store::Row& r, const char* col) { return r.is_null(col) ? json(nullptr) : json(r.text(col)); }

std::string actor_name(const Actor& a) { return a.display_name.empty() ? a.username : a.display_name; }

void add_ticket_event(store::Connection& c, std::int64_t ticket_id, const Actor& actor, Millis at,
                      const std::string& type, const json& data, bool internal) {
  c.query("INSERT INTO ticket_events (ticket_id, at, actor_user_id, actor_name, actor_role, type, action, from_state, "
          "to_state, reason, data_json, internal, request_id) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, '', ?, ?, ?)",
          {ticket_id, at, actor.user_id > 0 ? Value(actor.user_id) : Value(), actor_name(actor), actor.role, type,
           data.dump(), static_cast<std::int64_t>(internal ? 1 : 0), actor.request_id});
}

constexpr const char* kTicketInfo =
    "SELECT t.id, t.number, t.title, t.state, t.customer_id, t.project_id, t.closed_at, p.name AS project_name, "
    "p.time_zone, c.name AS customer_name FROM tickets t JOIN projects p ON p.id = t.project_id "
    "JOIN customers c ON c.id = t.customer_id WHERE t.id = ?";

constexpr const char* kFollowUpSelect =
    "SELECT f.*, t.number, t.title, t.customer_id, t.project_id, p.name AS project_name, c.name AS customer_name, "
    "u.display_name AS assignee_name, ft.id AS task_id FROM follow_ups f JOIN tickets t ON t.id = f.ticket_id "
    "JOIN projects p ON p.id = t.project_id JOIN customers c ON c.id = t.customer_id "
    "LEFT JOIN users u ON u.id = f.assignee_user_id LEFT JOIN follow_up_tasks ft ON ft.follow_up_id = f.id";

json survey_json(const store::Row& r) {
  if (r.is_null("surveyed_at")) return nullptr;
  json scores = json::object();
  for (const auto& d : survey_dimensions()) scores[d] = r.i64("score_" + d);
  double sum = 0;
  for (const auto& d : survey_dimensions()) sum += static_cast<double>(r.i64("score_" + d));
  return {{"scores", scores},
          {"average", std::round(sum / 5.0 * 100) / 100},
          {"comment", r.text("survey_comment")},
          {"source", r.text("survey_source")},
          {"at", format_iso8601(r.i64("surveyed_at"))}};
}

json view(const store::Row& r, bool customer) {
  json j = {{"id", r.i64("id")},
            {"ticket", {{"id", r.i64("ticket_id")}, {"number", r.text("number")}, {"title", r.text("title")}}},
            {"project", {{"id", r.i64("project_id")}, {"name", r.text("project_name")}}},
            {"customer", {{"id", r.i64("customer_id")}, {"name", r.text("customer_name")}}},
            {"offset_months", r.i64("offset_months")},
            {"round", r.i64("offset_months") == 1 ? "1m" : std::to_string(r.i64("offset_months")) + "m"},
            {"due_date", r.text("due_date")},
            {"due_at", format_iso8601(r.i64("due_at"))},
            {"ticket_closed_at", format_iso8601(r.i64("closed_at"))},
            {"state", r.text("state")},
            {"completed_at", opt_time(r, "completed_at")},
            {"survey", survey_json(r)},
            {"survey_sent_at", opt_time(r, "survey_sent_at")}};
  if (!customer) {
    j["assignee"] = r.is_null("assignee_user_id") ? json(nullptr)
                                                   : json{{"id", r.i64("assignee_user_id")}, {"name", r.text("assignee_name")}};
    j["notes"] = r.text("notes");
    j["repair_status"] = opt_text(r, "repair_status");
    j["task_id"] = opt_int(r, "task_id");
    j["version"] = r.i64("version");
  }
  return j;
}

std::vector<FieldSpec> survey_fields() {
  std::vector<FieldSpec> f;
  for (const auto& d : survey_dimensions()) {
    FieldSpec s;
    s.name = d;
    s.type = FieldType::kInt;
    s.required = true;
    s.nullable = false;
    s.min = 1;
    s.max = 5;
    f.push_back(s);
  }
  FieldSpec comment;
  comment.name = "comment";
  comment.max_length = 2000;
  comment.default_value = "";
  f.push_back(comment);
  return f;
}

// Stores the scores; a low score opens a task and adds an internal event on the ticket.
void record_survey(store::Connection& c, const store::Row& f, const json& survey, const std::string& source,
                   const Actor& actor, Millis now) {
  std::vector<int> scores;
  for (const auto& d : survey_dimensions()) scores.push_back(survey[d].get<int>());
  std::string comment = survey["comment"].is_string() ? survey["comment"].get<std::string>() : "";
  c.query("UPDATE follow_ups SET survey_source = ?, surveyed_at = ?, score_response_speed = ?, score_attitude = ?, "
          "score_competence = ?, score_effectiveness = ?, score_communication = ?, survey_comment = ?, updated_at = ?, "
          "version = version + 1 WHERE id = ?",
          {source, now, static_cast<std::int64_t>(scores[0]), static_cast<std::int64_t>(scores[1]),
           static_cast<std::int64_t>(scores[2]), static_cast<std::int64_t>(scores[3]),
           static_cast<std::int64_t>(scores[4]), comment, now, f.i64("id")});
  json data = {{"follow_up_id", f.i64("id")}, {"offset_months", f.i64("offset_months")}, {"source", source},
               {"scores", survey}, {"comment", comment}};
  data["scores"].erase("comment");
  add_ticket_event(c, f.i64("ticket_id"), actor, now, "satisfaction_surveyed", data, false);
  if (!is_low_satisfaction(scores)) return;
  std::string reason;
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] <= 2) reason += (reason.empty() ? "" : ", ") + survey_dimensions()[i] + "=" + std::to_string(scores[i]);
  double avg = std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
  if (reason.empty()) reason = "average " + std::to_string(avg).substr(0, 4) + " < 3";
  auto task = c.query("INSERT INTO follow_up_tasks (follow_up_id, ticket_id, reason, state, created_at) VALUES (?, ?, ?, 'open', ?) "
                      "ON CONFLICT (follow_up_id) DO NOTHING RETURNING id",
                      {f.i64("id"), f.i64("ticket_id"), "low satisfaction: " + reason, now});
  json ev = {{"follow_up_id", f.i64("id")}, {"reason", reason}, {"task_id", task.empty() ? json(nullptr) : json(task.rows[0].i64("id"))}};
  add_ticket_event(c, f.i64("ticket_id"), actor, now, "low_satisfaction", ev, true);
  if (!task.empty())
    write_audit(c, actor, now, "create", "follow_up_task", task.rows[0].i64("id"), nullptr,
                {{"follow_up_id", f.i64("id")}, {"reason", reason}});
}

// A new survey link for a follow-up: stores its hash and queues the message. Returns the URL.
std::string issue_survey(store::Connection& c, std::int64_t follow_up_id, const store::Row& ticket, Millis now,
                         const std::string& due_date) {
  std::string token = crypto::random_token("svy_");
  c.query("UPDATE follow_ups SET survey_token_sha256 = ?, survey_sent_at = ?, updated_at = ? WHERE id = ?",
          {crypto::sha256_hex(token), now, now, follow_up_id});
  std::string url = "/survey/" + token;
  OutboundMessage msg;
  msg.event = "ticket.survey";
  msg.ticket_id = ticket.i64("id");
  msg.customer_id = ticket.i64("customer_id");
  msg.params = {{"number", ticket.text("number")}, {"title", ticket.text("title")},
                {"project_name", ticket.text("project_name")}, {"customer_name", ticket.text("customer_name")},
                {"survey_url", url}, {"due_date", due_date}};
  enqueue_notification(c, msg, now);
  return url;
}

std::optional<store::Row> load_follow_up(store::Connection& c, std::int64_t id, store::Result* keep) {
  *keep = c.query(std::string(kFollowUpSelect) + " WHERE f.id = ?", {id});
  if (keep->empty()) return std::nullopt;
  return keep->rows[0];
}

Error state_conflict(const store::Row& f, const std::string& what) {
  return Error::Conflict("Follow-up " + std::to_string(f.i64("id")) + " is '" + f.text("state") + "'; " + what +
                         " needs state 'scheduled'");
}

FieldSpec field(const std::string& name, FieldType type, bool required, size_t max_length = 200,
                std::vector<std::string> values = {}) {
  FieldSpec f;
  f.name = name;
  f.type = type;
  f.required = required;
  f.nullable = !required;
  f.max_length = max_length;
  f.values = std::move(values);
  if (type == FieldType::kString && !required) f.default_value = "";
  return f;
}

bool all_digits(const std::string& v) {
  return !v.empty() && v.size() <= 18 && std::all_of(v.begin(), v.end(), [](unsigned char ch) { return std::isdigit(ch); });
}

}  // namespace

const std::vector<std::string>& survey_dimensions() {
  static const std::vector<std::string> d = {"response_speed", "attitude", "competence", "effectiveness", "communication"};
  return d;
}

bool is_low_satisfaction(const std::vector<int>& scores) {
  if (scores.empty()) return false;
  double sum = 0;
  for (int s : scores) {
    if (s <= 2) return true;
    sum += s;
  }
  return sum / static_cast<double>(scores.size()) < 3.0;
}

std::pair<std::string, Millis> follow_up_due(Millis closed_at, int months, const std::string& time_zone) {
  const auto* zone = date::locate_zone(time_zone);
  auto local = date::make_zoned(zone, date::sys_seconds(std::chrono::seconds(closed_at / 1000))).get_local_time();
  auto day = date::floor<date::days>(local);
  auto time_of_day = local - day;
  date::year_month_day ymd = date::year_month_day(day) + date::months(months);
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / date::last;
  auto due_local = date::local_days(ymd) + time_of_day;
  auto due_sys = zone->to_sys(due_local, date::choose::earliest);
  Millis due = std::chrono::duration_cast<std::chrono::milliseconds>(due_sys.time_since_epoch()).count() + closed_at % 1000;
  return {date::format("%F", ymd), due};
}

std::vector<std::int64_t> schedule_follow_ups(store::Connection& c, std::int64_t ticket_id, Millis closed_at,
                                              const std::vector<int>& offsets, const Actor& actor, Millis now) {
  auto t = c.query(kTicketInfo, {ticket_id});
  if (t.empty()) return {};
  const auto& ticket = t.rows[0];
  std::vector<std::int64_t> created;
  json rounds = json::array();
  int first = offsets.empty() ? 0 : *std::min_element(offsets.begin(), offsets.end());
  for (int months : offsets) {
    auto [due_date, due_at] = follow_up_due(closed_at, months, ticket.text("time_zone"));
    auto r = c.query("INSERT INTO follow_ups (ticket_id, offset_months, due_date, due_at, closed_at, state, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?) ON CONFLICT (ticket_id, offset_months) DO NOTHING RETURNING id",
                     {ticket_id, static_cast<std::int64_t>(months), due_date, due_at, closed_at, now, now});
    if (r.empty()) continue;
    std::int64_t id = r.rows[0].i64("id");
    created.push_back(id);
    rounds.push_back({{"follow_up_id", id}, {"offset_months", months}, {"due_date", due_date}});
    write_audit(c, actor, now, "create", "follow_up", id, nullptr,
                {{"ticket_id", ticket_id}, {"offset_months", months}, {"due_date", due_date}});
    // The first round's survey goes out at once: the customer rates the service while it is fresh.
    if (months == first) issue_survey(c, id, ticket, now, due_date);
  }
  if (!created.empty()) add_ticket_event(c, ticket_id, actor, now, "follow_ups_scheduled", {{"rounds", rounds}}, true);
  return created;
}

void schedule_follow_ups(store::Connection& tx, std::int64_t ticket_id, Millis closed_at) {
  schedule_follow_ups(tx, ticket_id, closed_at, kFollowUpOffsetsMonths, system_actor("follow_ups"), closed_at);
}

Outcome<json> FollowUpService::list(const Actor& actor, const ListQuery& query) {
  if (auto e = require(actor, Permission::kFollowUpRead)) return *e;
  static const std::set<std::string> known = {"state", "due_before", "ticket_id", "project_id", "assignee_user_id"};
  for (const auto& [k, v] : query.filters)
    if (!known.count(k)) return Error::BadRequest("'" + k + "' is not a filter of follow-up lists", k, "unknown");
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (auto it = query.filters.find("state"); it != query.filters.end()) {
    static const std::set<std::string> states = {"scheduled", "done", "missed", "cancelled"};
    std::string marks;
    size_t start = 0;
    const auto& v = it->second;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      std::string s = v.substr(start, end - start);
      if (!states.count(s)) return Error::BadRequest("state must be scheduled, done, missed or cancelled", "state", "enum");
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(s);
      start = end + 1;
    }
    where += " AND f.state IN (" + marks + ")";
  }
  for (auto [k, col] : std::vector<std::pair<std::string, std::string>>{
           {"ticket_id", "f.ticket_id"}, {"project_id", "t.project_id"}, {"assignee_user_id", "f.assignee_user_id"}}) {
    auto it = query.filters.find(k);
    if (it == query.filters.end()) continue;
    if (!all_digits(it->second)) return Error::BadRequest(k + " must be an id", k, "type");
    where += " AND " + col + " = ?";
    params.push_back(static_cast<std::int64_t>(std::stoll(it->second)));
  }
  if (auto it = query.filters.find("due_before"); it != query.filters.end()) {
    Millis t = 0;
    if (is_valid_date(it->second)) {
      where += " AND f.due_date < ?";
      params.push_back(it->second);
    } else if (parse_iso8601(it->second, &t)) {
      where += " AND f.due_at < ?";
      params.push_back(t);
    } else {
      return Error::BadRequest("due_before must be a date (YYYY-MM-DD) or an RFC 3339 time", "due_before", "format");
    }
  }
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n FROM follow_ups f JOIN tickets t ON t.id = f.ticket_id" + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query(std::string(kFollowUpSelect) + where + " ORDER BY f.due_at, f.id LIMIT ? OFFSET ?", page);
    json items = json::array();
    for (const auto& r : rows.rows) items.push_back(view(r, false));
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit}, {"offset", query.offset}};
  });
}

Outcome<json> FollowUpService::for_ticket(const Actor& actor, std::int64_t ticket_id) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto t = c.query("SELECT customer_id FROM tickets WHERE id = ?", {ticket_id});
    if (t.empty() || (actor.is_customer() && t.rows[0].i64("customer_id") != actor.customer_id.value_or(-1)))
      return Error::NotFound("service request " + std::to_string(ticket_id));
    json items = json::array();
    for (const auto& r : c.query(std::string(kFollowUpSelect) + " WHERE f.ticket_id = ? ORDER BY f.offset_months", {ticket_id}).rows)
      items.push_back(view(r, actor.is_customer()));
    return json{{"ticket_id", ticket_id}, {"items", items}};
  });
}

Outcome<json> FollowUpService::get(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kFollowUpRead)) return *e;
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    store::Result keep;
    auto f = load_follow_up(c, id, &keep);
    if (!f) return Error::NotFound("follow-up " + std::to_string(id));
    return view(*f, false);
  });
}

Outcome<json> FollowUpService::schedule(const Actor& actor, std::int64_t ticket_id) {
  if (auto e = require(actor, Permission::kFollowUpManage)) return *e;
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<json> {
    auto t = c.query(kTicketInfo, {ticket_id});
    if (t.empty()) return Error::NotFound("service request " + std::to_string(ticket_id));
    const auto state = t.rows[0].text("state");
    if (state != "resolved" && state != "closed" && state != "archived")
      return Error::Conflict("Service request " + t.rows[0].text("number") + " is '" + state +
                             "'; follow-ups are scheduled for resolved, closed or archived requests");
    Millis closed_at = t.rows[0].is_null("closed_at") ? now : t.rows[0].i64("closed_at");
    auto created = schedule_follow_ups(c, ticket_id, closed_at, kFollowUpOffsetsMonths, actor, now);
    return json{{"created", created.size()}};
  });
  if (!done) return done.error();
  auto out = for_ticket(actor, ticket_id);
  if (!out) return out.error();
  (*out)["created"] = (*done)["created"];
  return out;
}

Outcome<json> FollowUpService::complete(const Actor& actor, std::int64_t id, const json& body) {
  if (auto e = require(actor, Permission::kFollowUpWrite)) return *e;
  FieldSpec notes = field("notes", FieldType::kString, true, 4000);
  FieldSpec repair = field("repair_status", FieldType::kEnum, true, 200, {"holding", "minor_issue", "failed"});
  json copy = body;
  json survey_in = copy.contains("survey") ? copy["survey"] : json(nullptr);
  copy.erase("survey");
  json in;
  auto errors = validate_object({notes, repair}, copy, "", &in);
  json survey_out;
  if (!survey_in.is_null()) {
    auto se = validate_object(survey_fields(), survey_in, "survey.", &survey_out);
    errors.insert(errors.end(), se.begin(), se.end());
  }
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<Unit> {
    store::Result keep;
    auto f = load_follow_up(c, id, &keep);
    if (!f) return Error::NotFound("follow-up " + std::to_string(id));
    if (f->text("state") != "scheduled") return state_conflict(*f, "complete");
    if (!survey_in.is_null() && !f->is_null("surveyed_at"))
      return Error::Conflict("The customer has already answered the survey of follow-up " + std::to_string(id),
                             {{"survey", "already_answered", "the survey was answered already"}});
    c.query("UPDATE follow_ups SET state = 'done', notes = ?, repair_status = ?, completed_at = ?, completed_by = ?, "
            "updated_at = ?, version = version + 1 WHERE id = ?",
            {in["notes"].get<std::string>(), in["repair_status"].get<std::string>(), now,
             actor.user_id > 0 ? Value(actor.user_id) : Value(), now, id});
    add_ticket_event(c, f->i64("ticket_id"), actor, now, "follow_up_done",
                     {{"follow_up_id", id}, {"offset_months", f->i64("offset_months")}, {"notes", in["notes"]},
                      {"repair_status", in["repair_status"]}},
                     true);
    if (!survey_in.is_null()) record_survey(c, *f, survey_out, "staff", actor, now);
    write_audit(c, actor, now, "complete", "follow_up", id, {{"state", f->text("state")}},
                {{"state", "done"}, {"notes", in["notes"]}, {"repair_status", in["repair_status"]}, {"survey", survey_out}});
    return Unit{};
  });
  if (!done) return done.error();
  return get(actor, id);
}

Outcome<json> FollowUpService::close_round(const Actor& actor, std::int64_t id, const std::string& state, const json& body) {
  if (auto e = require(actor, state == "cancelled" ? Permission::kFollowUpManage : Permission::kFollowUpWrite)) return *e;
  FieldSpec reason = field("reason", FieldType::kString, true, 2000);
  json in;
  auto errors = validate_object({reason}, body, "", &in);
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<Unit> {
    store::Result keep;
    auto f = load_follow_up(c, id, &keep);
    if (!f) return Error::NotFound("follow-up " + std::to_string(id));
    if (f->text("state") != "scheduled") return state_conflict(*f, state == "cancelled" ? "cancel" : "miss");
    c.query("UPDATE follow_ups SET state = ?, notes = ?, completed_at = ?, completed_by = ?, updated_at = ?, "
            "version = version + 1 WHERE id = ?",
            {state, in["reason"].get<std::string>(), now, actor.user_id > 0 ? Value(actor.user_id) : Value(), now, id});
    add_ticket_event(c, f->i64("ticket_id"), actor, now, "follow_up_" + state,
                     {{"follow_up_id", id}, {"offset_months", f->i64("offset_months")}, {"reason", in["reason"]}}, true);
    write_audit(c, actor, now, state == "cancelled" ? "cancel" : "miss", "follow_up", id, {{"state", "scheduled"}},
                {{"state", state}, {"reason", in["reason"]}});
    return Unit{};
  });
  if (!done) return done.error();
  return get(actor, id);
}

Outcome<json> FollowUpService::assign(const Actor& actor, std::int64_t id, const json& body) {
  if (auto e = require(actor, Permission::kFollowUpManage)) return *e;
  FieldSpec user = field("assignee_user_id", FieldType::kRef, false);
  if (!body.contains("assignee_user_id"))
    return Error::Validation({{"assignee_user_id", "required", "is required (null to unassign)"}});
  json in;
  auto errors = validate_object({user}, body, "", &in);
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<Unit> {
    store::Result keep;
    auto f = load_follow_up(c, id, &keep);
    if (!f) return Error::NotFound("follow-up " + std::to_string(id));
    Value who;
    if (!in["assignee_user_id"].is_null()) {
      auto u = c.query("SELECT role, disabled FROM users WHERE id = ?", {in["assignee_user_id"].get<std::int64_t>()});
      if (u.empty()) return Error::Validation({{"assignee_user_id", "not_found", "no such user"}});
      auto role = u.rows[0].text("role");
      if (role != "service_manager" && role != "agent")
        return Error::Validation({{"assignee_user_id", "role", "must be a service_manager or agent user, not " + role}});
      who = in["assignee_user_id"].get<std::int64_t>();
    }
    c.query("UPDATE follow_ups SET assignee_user_id = ?, updated_at = ?, version = version + 1 WHERE id = ?", {who, now, id});
    write_audit(c, actor, now, "assign", "follow_up", id, {{"assignee_user_id", opt_int(*f, "assignee_user_id")}},
                {{"assignee_user_id", in["assignee_user_id"]}});
    return Unit{};
  });
  if (!done) return done.error();
  return get(actor, id);
}

Outcome<json> FollowUpService::send_survey(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kFollowUpWrite)) return *e;
  const Millis now = clock_.now_ms();
  auto url = db_.write([&](store::Connection& c) -> Outcome<std::string> {
    store::Result keep;
    auto f = load_follow_up(c, id, &keep);
    if (!f) return Error::NotFound("follow-up " + std::to_string(id));
    if (f->text("state") == "cancelled") return state_conflict(*f, "a survey link");
    if (!f->is_null("surveyed_at"))
      return Error::Conflict("The survey of follow-up " + std::to_string(id) + " has been answered already");
    auto t = c.query(kTicketInfo, {f->i64("ticket_id")});
    std::string u = issue_survey(c, id, t.rows[0], now, f->text("due_date"));
    add_ticket_event(c, f->i64("ticket_id"), actor, now, "survey_sent", {{"follow_up_id", id}}, true);
    write_audit(c, actor, now, "send_survey", "follow_up", id, nullptr, {{"survey_sent_at", format_iso8601(now)}});
    return u;
  });
  if (!url) return url.error();
  auto out = get(actor, id);
  if (!out) return out.error();
  (*out)["survey_url"] = *url;
  return out;
}

Outcome<json> FollowUpService::survey(const std::string& token) {
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto r = c.query("SELECT f.id, f.state, f.due_at, f.surveyed_at, f.closed_at, t.number, t.title, p.name AS project_name "
                     "FROM follow_ups f JOIN tickets t ON t.id = f.ticket_id JOIN projects p ON p.id = t.project_id "
                     "WHERE f.survey_token_sha256 = ?",
                     {crypto::sha256_hex(token)});
    if (r.empty()) return Error::NotFound("survey");
    const auto& f = r.rows[0];
    const Millis now = clock_.now_ms();
    bool expired = f.text("state") == "cancelled" || now > f.i64("due_at") + kSurveyValidDaysAfterDue * kDayMs;
    return json{{"number", f.text("number")},
                {"title", f.text("title")},
                {"project", f.text("project_name")},
                {"closed_at", format_iso8601(f.i64("closed_at"))},
                {"answered", !f.is_null("surveyed_at")},
                {"expired", expired},
                {"dimensions", survey_dimensions()}};
  });
}

Outcome<json> FollowUpService::answer_survey(const std::string& token, const json& body, const std::string& request_id) {
  json in;
  auto errors = validate_object(survey_fields(), body, "", &in);
  const Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& c) -> Outcome<json> {
    store::Result keep;
    auto id = c.query("SELECT id FROM follow_ups WHERE survey_token_sha256 = ?", {crypto::sha256_hex(token)});
    if (id.empty()) return Error::NotFound("survey");
    auto f = load_follow_up(c, id.rows[0].i64("id"), &keep);
    if (f->text("state") == "cancelled") return Error(Error::Kind::kConflict, "Gone", "This survey has been withdrawn");
    if (now > f->i64("due_at") + kSurveyValidDaysAfterDue * kDayMs)
      return Error(Error::Kind::kConflict, "Gone", "This survey link expired on " +
                                                       format_iso8601(f->i64("due_at") + kSurveyValidDaysAfterDue * kDayMs));
    if (!f->is_null("surveyed_at")) return Error::Conflict("This survey has been answered already; thank you");
    if (!errors.empty()) return Error::Validation(errors);
    Actor customer;
    customer.username = "survey:" + std::to_string(f->i64("id"));
    customer.display_name = "customer (survey link)";
    customer.role = "customer";
    customer.customer_id = f->i64("customer_id");
    customer.token_kind = "survey";
    customer.request_id = request_id;
    record_survey(c, *f, in, "link", customer, now);
    write_audit(c, customer, now, "answer_survey", "follow_up", f->i64("id"), nullptr, in);
    return json{{"answered", true}, {"low_score", is_low_satisfaction([&] {
                                       std::vector<int> s;
                                       for (const auto& d : survey_dimensions()) s.push_back(in[d].get<int>());
                                       return s;
                                     }())}};
  });
}

Outcome<json> FollowUpService::tasks(const Actor& actor, const ListQuery& query) {
  if (auto e = require(actor, Permission::kFollowUpManage)) return *e;
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  for (const auto& [k, v] : query.filters) {
    if (k == "state") {
      if (v != "open" && v != "resolved") return Error::BadRequest("state must be open or resolved", "state", "enum");
      where += " AND k.state = ?";
      params.push_back(v);
    } else if (k == "ticket_id") {
      if (!all_digits(v)) return Error::BadRequest("ticket_id must be an id", k, "type");
      where += " AND k.ticket_id = ?";
      params.push_back(static_cast<std::int64_t>(std::stoll(v)));
    } else {
      return Error::BadRequest("'" + k + "' is not a filter of follow-up task lists", k, "unknown");
    }
  }
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    auto total = c.query("SELECT count(*) AS n FROM follow_up_tasks k" + where, params);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    auto rows = c.query("SELECT k.*, t.number, t.title, f.offset_months FROM follow_up_tasks k JOIN tickets t ON t.id = k.ticket_id "
                        "JOIN follow_ups f ON f.id = k.follow_up_id" + where + " ORDER BY k.id DESC LIMIT ? OFFSET ?",
                        page);
    json items = json::array();
    for (const auto& r : rows.rows)
      items.push_back({{"id", r.i64("id")}, {"follow_up_id", r.i64("follow_up_id")}, {"offset_months", r.i64("offset_months")},
                       {"ticket", {{"id", r.i64("ticket_id")}, {"number", r.text("number")}, {"title", r.text("title")}}},
                       {"reason", r.text("reason")}, {"state", r.text("state")}, {"resolution", opt_text(r, "resolution")},
                       {"note", r.text("note")}, {"complaint_id", opt_int(r, "complaint_id")},
                       {"created_at", format_iso8601(r.i64("created_at"))}, {"resolved_at", opt_time(r, "resolved_at")}});
    return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", query.limit}, {"offset", query.offset}};
  });
}

Outcome<json> FollowUpService::resolve_task(const Actor& actor, std::int64_t id, const json& body) {
  if (auto e = require(actor, Permission::kFollowUpManage)) return *e;
  FieldSpec resolution = field("resolution", FieldType::kEnum, true, 200, {"reopened", "complaint", "explained", "other"});
  FieldSpec note = field("note", FieldType::kString, false, 2000);
  FieldSpec complaint = field("complaint_id", FieldType::kRef, false);
  json in;
  auto errors = validate_object({resolution, note, complaint}, body, "", &in);
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& c) -> Outcome<json> {
    auto k = c.query("SELECT id, state, ticket_id FROM follow_up_tasks WHERE id = ?", {id});
    if (k.empty()) return Error::NotFound("follow-up task " + std::to_string(id));
    if (k.rows[0].text("state") != "open") return Error::Conflict("Follow-up task " + std::to_string(id) + " is resolved already");
    if (!in["complaint_id"].is_null() &&
        c.query("SELECT id FROM complaints WHERE id = ?", {in["complaint_id"].get<std::int64_t>()}).empty())
      return Error::Validation({{"complaint_id", "not_found", "no such complaint"}});
    c.query("UPDATE follow_up_tasks SET state = 'resolved', resolution = ?, note = ?, complaint_id = ?, resolved_at = ?, "
            "resolved_by = ? WHERE id = ?",
            {in["resolution"].get<std::string>(), in["note"].is_string() ? in["note"].get<std::string>() : "",
             in["complaint_id"].is_null() ? Value() : Value(in["complaint_id"].get<std::int64_t>()), now,
             actor.user_id > 0 ? Value(actor.user_id) : Value(), id});
    add_ticket_event(c, k.rows[0].i64("ticket_id"), actor, now, "follow_up_task_resolved",
                     {{"task_id", id}, {"resolution", in["resolution"]}, {"note", in["note"]}}, true);
    write_audit(c, actor, now, "resolve", "follow_up_task", id, {{"state", "open"}}, {{"state", "resolved"}, {"resolution", in["resolution"]}});
    return json{{"id", id}, {"state", "resolved"}, {"resolution", in["resolution"]}};
  });
}

}  // namespace aftersales::app
