#include "app/tickets.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "app/access.h"
#include "app/attachments.h"
#include "app/audit.h"
#include "app/dispatch.h"
#include "app/follow_ups.h"
#include "app/ports/outbox.h"
#include "app/open_states.h"
#include "app/search_terms.h"
#include "app/similarity.h"
#include "app/ticket_search.h"
#include "app/ticket_payloads.h"
#include "app/ticket_sla.h"
#include "domain/grading/grading.h"
#include "domain/ticket/state_machine.h"
#include "domain/warranty/cost_bearing.h"
#include "domain/warranty/warranty.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
using store::Value;
namespace tk = domain::ticket;
namespace sla = domain::sla;
namespace wr = domain::warranty;
namespace gr = domain::grading;

const std::vector<std::string>& channels() {
  static const std::vector<std::string> v = {"hotline", "portal", "email", "wechat", "api", "monitoring",
                                             "maintenance_plan"};
  return v;
}

// A request's own columns, and those its views take from its project, customer, asset, team
// and assignee. Listed once: reads select them all; an intake answers from the same names
// (RETURNING the own ones, the others read with the project and asset it checks).
constexpr const char* kTicketColumns =
    "t.id, t.number, t.customer_id, t.project_id, t.asset_id, t.channel, t.state, t.grade, t.nature, "
    "t.title, t.description, t.demand, t.contact_name, t.contact_phone, t.reported_at, t.created_at, "
    "t.updated_at, t.version, t.paused, t.pause_reason, t.facts_json, t.team_id, t.assignee_staff_id, "
    "t.remote_site, t.duplicate_of_id, t.suggestion_json, t.cost_json, t.closed_at, t.next_due_at, "
    "t.next_milestone, t.sla_grade, t.next_alert_at, t.next_risk_at";
constexpr const char* kProjectColumns =
    "p.name AS project_name, p.type AS project_type, p.address AS project_address, p.time_zone, p.calendar, "
    "p.sla_policy, p.completion_date, p.warranty_months, p.latitude AS project_latitude, "
    "p.longitude AS project_longitude, c.name AS customer_name";
constexpr const char* kAssetColumns =
    "a.name AS asset_name, a.warranty_start AS asset_warranty_start, a.warranty_end AS asset_warranty_end, "
    "a.critical AS asset_critical";
constexpr const char* kStaffColumns = "tm.name AS team_name, s.name AS assignee_name";

const std::string kTicketSelect =
    std::string("SELECT ") + kTicketColumns + ", " + kProjectColumns + ", " + kAssetColumns + ", " + kStaffColumns +
    " FROM tickets t JOIN projects p ON p.id = t.project_id JOIN customers c ON c.id = t.customer_id "
    "LEFT JOIN assets a ON a.id = t.asset_id LEFT JOIN teams tm ON tm.id = t.team_id "
    "LEFT JOIN staff s ON s.id = t.assignee_staff_id";

// kTicketColumns as an INSERT's RETURNING list names them (no table alias there).
const std::string kTicketReturning = [] {
  std::string out = kTicketColumns;
  for (auto at = out.find("t."); at != std::string::npos; at = out.find("t.", at))
    if (at == 0 || out[at - 1] == ' ') out.erase(at, 2);
    else at += 2;
  return out;
}();

Value opt_value(const std::optional<Millis>& t) { return t ? Value(*t) : Value(); }

json opt_time(const store::Row& r, const char* col) {
  return r.is_null(col) ? json(nullptr) : json(format_iso8601(r.i64(col)));
}
json opt_text(const store::Row& r, const char* col) { return r.is_null(col) ? json(nullptr) : json(r.text(col)); }

// A column as a view shows it, under its own name: text, a time, a number (or null).
void put_text(JsonWriter& w, const store::Row& r, const char* col) {
  w.key(col);
  if (r.is_null(col)) w.null();
  else w.value(r.text(col));
}
void put_time(JsonWriter& w, const store::Row& r, const char* col) {
  w.key(col);
  if (r.is_null(col)) w.null();
  else w.value(format_iso8601(r.i64(col)));
}
void put_int(JsonWriter& w, const store::Row& r, const char* col) {
  w.key(col);
  if (r.is_null(col)) w.null();
  else w.value(r.i64(col));
}
// An object stored as JSON text, or null when it is empty or not an object.
void put_stored_object(JsonWriter& w, const store::Row& r, const char* col, const char* name) {
  json stored = json::parse(r.text(col), nullptr, false);
  w.key(name);
  if (stored.is_object() && !stored.empty()) w.value(stored);
  else w.null();
}

tk::TicketFacts facts_from(const store::Row& r) {
  tk::TicketFacts f;
  f.state = tk::ParseState(r.text("state")).value_or(tk::State::intake);
  f.paused = r.i64("paused") != 0;
  f.grade_set = !r.is_null("grade") && !r.is_null("nature");
  f.is_consultation = r.text("grade") == "consultation";
  f.has_assignee = !r.is_null("assignee_staff_id");
  json j = json::parse(r.text("facts_json"), nullptr, false);
  if (!j.is_object()) j = json::object();
  f.major_defect = j.value("major_defect", false);
  f.plan_chargeable = j.value("plan_chargeable", false);
  f.plan_customer_confirmed = j.value("plan_customer_confirmed", false);
  f.visits = j.value("visits", 0);
  f.internal_rework_rounds = j.value("internal_rework_rounds", 0);
  f.rework_rounds = j.value("rework_rounds", 0);
  f.reopen_count = j.value("reopen_count", 0);
  if (!r.is_null("closed_at")) f.closed_at = to_seconds(r.i64("closed_at"));
  return f;
}

// The facts the state machine keeps beyond the state, as stored (tickets.facts_json) and shown.
std::string facts_text(const tk::TicketFacts& f) {
  JsonWriter w;
  w.begin_object()
      .field("major_defect", f.major_defect)
      .field("plan_chargeable", f.plan_chargeable)
      .field("plan_customer_confirmed", f.plan_customer_confirmed)
      .field("visits", f.visits)
      .field("internal_rework_rounds", f.internal_rework_rounds)
      .field("rework_rounds", f.rework_rounds)
      .field("reopen_count", f.reopen_count)
      .end_object();
  return w.take();
}

std::optional<date::year_month_day> parse_day(const std::string& s) {
  if (!is_valid_date(s)) return std::nullopt;
  return date::year_month_day(date::year(std::stoi(s.substr(0, 4))), date::month(std::stoi(s.substr(5, 2))),
                              date::day(std::stoi(s.substr(8, 2))));
}

date::year_month_day local_day(Millis at, const std::string& zone) {
  auto zt = date::make_zoned(date::locate_zone(zone), date::sys_seconds(std::chrono::seconds(at / 1000)));
  return date::year_month_day(date::floor<date::days>(zt.get_local_time()));
}

std::string day_text(date::year_month_day d) { return date::format("%F", d); }

// The warranty on the day the problem was reported; none when the project has no
// completion-acceptance date.
std::optional<wr::WarrantyCoverage> warranty_of(const store::Row& r) {
  auto completion = parse_day(r.text("completion_date"));
  if (!completion) return std::nullopt;
  wr::WarrantySubject subject{wr::WarrantyTerm::FromMonths(*completion, static_cast<int>(r.i64("warranty_months")))};
  auto as = parse_day(r.text("asset_warranty_start")), ae = parse_day(r.text("asset_warranty_end"));
  if (as && ae) subject.asset = wr::WarrantyTerm{*as, date::year_month_day(date::sys_days(*ae) + date::days(1))};
  return wr::WarrantyOn(subject, local_day(r.i64("reported_at"), r.text("time_zone")));
}

void write_warranty(JsonWriter& w, const std::optional<wr::WarrantyCoverage>& cov) {
  if (!cov) {
    w.null();
    return;
  }
  w.begin_object()
      .field("status", wr::ToString(cov->status))
      .field("source", wr::ToString(cov->source))
      .field("start", day_text(cov->term.start))
      .field("end", day_text(date::year_month_day(date::sys_days(cov->term.end) - date::days(1))))
      .field("days_left", cov->days_left)
      .end_object();
}

json cost_json_of(const wr::CostDecision& d) {
  json params = json::object();
  for (const auto& [k, v] : d.params) params[k] = v;
  json j = {{"bearing", std::string(wr::ToString(d.bearing))}, {"reason_code", d.reason_code}, {"params", params},
            {"reason_zh", d.reason_zh}, {"reason_en", d.reason_en}};
  if (d.default_bearing) {
    j["default_bearing"] = std::string(wr::ToString(*d.default_bearing));
    j["override_reason"] = d.override_reason;
  }
  return j;
}

// The staff row of a user, if he has one (technicians act as themselves).
std::optional<std::int64_t> staff_of(store::Connection& c, std::int64_t user_id) {
  auto r = c.query("SELECT id FROM staff WHERE user_id = ?", {user_id});
  if (r.empty()) return std::nullopt;
  return r.rows[0].i64("id");
}

void add_event(store::Connection& c, std::int64_t ticket_id, const Actor& actor, Millis at, const std::string& type,
               const std::string& action, const std::string& from, const std::string& to, const std::string& reason,
               const json& data, bool internal) {
  c.query("INSERT INTO ticket_events (ticket_id, at, actor_user_id, actor_name, actor_role, type, action, from_state, "
          "to_state, reason, data_json, internal, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {ticket_id, at, actor.user_id > 0 ? Value(actor.user_id) : Value(), actor.display_name.empty() ? actor.username : actor.display_name,
           actor.role, type, action.empty() ? Value() : Value(action), from.empty() ? Value() : Value(from),
           to.empty() ? Value() : Value(to), reason, data.dump(), static_cast<std::int64_t>(internal ? 1 : 0),
           actor.request_id});
}

// The day part of an acceptance number issued at `now` (in the company's time zone).
std::string number_day(Millis now, const std::string& zone) { return date::format("%Y%m%d", local_day(now, zone)); }

// The next acceptance number of `day` (number_day).
std::string next_number(store::Connection& c, const std::string& day) {
  // One row per day; the increment happens inside the creating transaction, so two
  // processes can never hand out the same number and a rolled-back intake leaves no gap.
  auto r = c.query("INSERT INTO daily_counters (day, value) VALUES (?, 1) "
                   "ON CONFLICT (day) DO UPDATE SET value = daily_counters.value + 1 RETURNING value",
                   {day});
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04lld", static_cast<long long>(r.rows[0].i64("value")));
  return "FW" + day + "-" + seq;
}

// The texts of `ids`, in their order — from `texts`, or read in one query and kept there.
std::vector<std::shared_ptr<const RequestText>> texts_of(store::Connection& c, RequestTextCache& texts,
                                                         const std::vector<std::int64_t>& ids) {
  auto out = texts.find_many(ids);
  std::vector<Value> missing;
  std::unordered_map<std::int64_t, size_t> slot;  // id → its place in `out`
  std::string marks;
  for (size_t i = 0; i < ids.size(); ++i)
    if (!out[i]) {
      missing.emplace_back(ids[i]);
      slot.emplace(ids[i], i);
      marks += marks.empty() ? "?" : ", ?";
    }
  if (missing.empty()) return out;
  auto rows = c.query("SELECT id, number, title, description FROM tickets WHERE id IN (" + marks + ")", missing);
  for (const auto& r : rows.rows) {
    auto t = std::make_shared<RequestText>();
    t->number = r.text("number");
    t->title = r.text("title");
    t->pairs = bigrams_of(t->title + " " + r.text("description"));
    texts.put(r.i64("id"), t);
    out[slot.at(r.i64("id"))] = std::move(t);
  }
  return out;
}

// What the duplicate check compares a new report with: the newest 50 open requests of its
// project reported in the last 90 days.
constexpr Millis kDuplicateWindowMs = 90LL * 86400 * 1000;
constexpr std::size_t kDuplicateCandidates = 50;

// At most `limit` of `rows` (newest first) reported at or after `since`, without `exclude`.
std::vector<OpenRequest> candidates_among(const std::vector<OpenRequest>& rows, Millis since, std::int64_t exclude,
                                          std::size_t limit) {
  std::vector<OpenRequest> out;
  for (const auto& r : rows) {
    if (out.size() == limit || r.reported_at < since) break;
    if (r.id != exclude) out.push_back(r);
  }
  return out;
}

// The ids of those of `rows` whose text is not known yet, and the texts found for them (in
// that order) attached.
std::vector<std::int64_t> missing_texts(const std::vector<OpenRequest>& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& r : rows)
    if (!r.text) ids.push_back(r.id);
  return ids;
}

void attach_texts(std::vector<OpenRequest>& rows, const std::vector<std::shared_ptr<const RequestText>>& found) {
  size_t k = 0;
  for (auto& r : rows)
    if (!r.text) r.text = found[k++];
}

// The likely duplicates of a text (its pairs `mine`) among `recent` (newest first, with their
// texts): the five most similar, from a similarity of 0.3 (0.1 on the same asset), as a JSON array.
std::string duplicates_among(const std::vector<OpenRequest>& recent, std::optional<std::int64_t> asset_id,
                             const Bigrams& mine) {
  std::vector<std::pair<double, size_t>> found;  // score, row; written only for the best five
  for (size_t i = 0; i < recent.size(); ++i) {
    if (!recent[i].text) continue;  // cannot happen: read with the candidates
    double score = bigram_similarity(mine, recent[i].text->pairs);
    const bool same_asset = asset_id && recent[i].asset_id == asset_id;
    if (same_asset) score = std::min(1.0, score + 0.2);
    if (score >= 0.3) found.push_back({score, i});
  }
  // Stable: among equal scores the most recent report (rows come newest first) wins.
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  JsonWriter w;
  w.begin_array();
  for (size_t k = 0; k < found.size() && k < 5; ++k) {
    const auto& r = recent[found[k].second];
    w.begin_object()
        .field("id", r.id)
        .field("number", r.text->number)
        .field("title", r.text->title)
        .field("state", r.state)
        .field("reported_at", format_iso8601(r.reported_at))
        .field("same_asset", asset_id && r.asset_id == asset_id)
        .field("similarity", std::round(found[k].first * 100) / 100)
        .end_object();
  }
  w.end_array();
  return w.take();
}

// `exclude`: the request being compared, when it is already stored. Read from the index
// tickets_project_recent alone; the texts come from memory.
std::string duplicates_for(store::Connection& c, RequestTextCache& texts, std::int64_t project_id,
                           std::optional<std::int64_t> asset_id, const Bigrams& mine, Millis now,
                           std::int64_t exclude = 0) {
  const Millis since = now - kDuplicateWindowMs;
  auto recent = candidates_among(load_open_requests(c, project_id, since, kDuplicateCandidates + 1), since, exclude,
                                 kDuplicateCandidates);
  attach_texts(recent, texts_of(c, texts, missing_texts(recent)));
  return duplicates_among(recent, asset_id, mine);
}

gr::GradingSuggestion grade_suggestion(const std::string& text, const std::string& project_type, bool critical) {
  gr::GradingInput in;
  in.description = text;
  in.project_type = gr::ParseProjectType(project_type);
  in.criticality = critical ? gr::AssetCriticality::critical : gr::AssetCriticality::normal;
  return gr::SuggestGrade(in);
}

json suggestion_json(const gr::GradingSuggestion& s) {
  return {{"nature", std::string(gr::ToString(s.nature))}, {"grade", std::string(sla::ToString(s.grade))},
          {"reasons", s.reasons}};
}

}  // namespace

namespace {

// The role the state machine sees. An administrator acts with the service manager's powers,
// so that whoever runs the system can always move a stuck request on.
std::optional<tk::Role> acting_role(const Actor& actor) {
  if (actor.role == "admin") return tk::Role::service_manager;
  return tk::ParseRole(actor.role);
}

// Loads one ticket row, or nothing when absent or outside the actor's customer scope.
std::optional<store::Row> load_row(store::Connection& c, std::int64_t id, const Actor& actor, store::Result* keep) {
  std::string sql = kTicketSelect + " WHERE t.id = ?";
  std::vector<Value> params = {id};
  if (actor.is_customer()) {
    sql += " AND t.customer_id = ?";
    params.push_back(actor.customer_id.value_or(-1));
  }
  *keep = c.query(sql, params);
  if (keep->empty()) return std::nullopt;
  return keep->rows[0];
}

sla::SlaInput sla_input_of(store::Connection& c, const store::Row& r) {
  auto grade = sla::ParseGrade(r.text("sla_grade")).value_or(sla::ParseGrade(r.text("grade")).value_or(sla::Grade::simple));
  return load_sla_input(c, r.i64("id"), r.i64("reported_at"), grade, r.i64("remote_site") != 0);
}

// A request as a list shows it, into an open object. `detail` adds the project's address, zone
// and calendar, which only the detail view shows.
void write_summary_fields(JsonWriter& w, const store::Row& r, Millis now, bool detail) {
  // {"id", "name"} of a related row, or null.
  const auto named = [&](const char* name, const char* id_col, const char* name_col) {
    w.key(name);
    if (r.is_null(id_col)) w.null();
    else w.begin_object().field("id", r.i64(id_col)).field("name", r.text(name_col)).end_object();
  };
  w.field("id", r.i64("id")).field("number", r.text("number")).field("state", r.text("state"));
  w.field("paused", r.i64("paused") != 0);
  put_text(w, r, "grade");
  put_text(w, r, "nature");
  put_text(w, r, "sla_grade");
  w.field("channel", r.text("channel")).field("title", r.text("title"));
  named("customer", "customer_id", "customer_name");
  w.key("project").begin_object();
  w.field("id", r.i64("project_id")).field("name", r.text("project_name")).field("type", r.text("project_type"));
  if (detail)
    w.field("address", r.text("project_address")).field("time_zone", r.text("time_zone")).field("calendar", r.text("calendar"));
  w.end_object();
  named("asset", "asset_id", "asset_name");
  named("team", "team_id", "team_name");
  named("assignee", "assignee_staff_id", "assignee_name");
  w.field("reported_at", format_iso8601(r.i64("reported_at")))
      .field("created_at", format_iso8601(r.i64("created_at")))
      .field("updated_at", format_iso8601(r.i64("updated_at")));
  put_time(w, r, "closed_at");
  put_text(w, r, "next_milestone");
  put_time(w, r, "next_due_at");
  w.field("version", r.i64("version"));
  // Risk as of now: breached when the next due has passed; at risk within the last quarter.
  const char* risk = "none";
  if (!r.is_null("next_due_at")) {
    Millis due = r.i64("next_due_at");
    risk = due <= now ? "breached" : (!r.is_null("next_risk_at") && r.i64("next_risk_at") <= now ? "at_risk" : "on_track");
  }
  w.field("sla_risk", risk);
}

// What a detail view shows beyond the request's row. Read for a stored request; known
// without reading for one an intake has just written.
struct TicketParts {
  sla::SlaInput clock;
  json assignees = json::array();
  json visits = json::array();
  json records = json::object();
  json attachments = json::array();
};

TicketParts load_parts(store::Connection& c, const store::Row& r, const Actor& actor) {
  TicketParts parts;
  parts.clock = sla_input_of(c, r);
  for (const auto& a : c.query("SELECT ta.staff_id, s.name, ta.lead, ta.assigned_at FROM ticket_assignments ta "
                               "JOIN staff s ON s.id = ta.staff_id WHERE ta.ticket_id = ? AND ta.released_at IS NULL "
                               "ORDER BY ta.lead DESC, ta.id",
                               {r.i64("id")}).rows)
    parts.assignees.push_back({{"staff_id", a.i64("staff_id")}, {"name", a.text("name")},
                               {"lead", a.i64("lead") != 0}, {"assigned_at", format_iso8601(a.i64("assigned_at"))}});

  for (const auto& v : c.query("SELECT seq, departed_at, arrived_at, left_at, latitude, longitude, staff_ids FROM visits "
                               "WHERE ticket_id = ? ORDER BY seq",
                               {r.i64("id")}).rows)
    parts.visits.push_back({{"seq", v.i64("seq")}, {"departed_at", opt_time(v, "departed_at")},
                            {"arrived_at", opt_time(v, "arrived_at")}, {"left_at", opt_time(v, "left_at")},
                            {"latitude", v.is_null("latitude") ? json(nullptr) : json(v.f64("latitude"))},
                            {"longitude", v.is_null("longitude") ? json(nullptr) : json(v.f64("longitude"))},
                            {"staff_ids", json::parse(v.text("staff_ids"), nullptr, false)}});

  std::string sql = "SELECT kind, seq, data_json, created_at, internal FROM ticket_records WHERE ticket_id = ?";
  if (actor.is_customer()) sql += " AND internal = 0";
  for (const auto& rec : c.query(sql + " ORDER BY kind, seq", {r.i64("id")}).rows) {
    json item = {{"seq", rec.i64("seq")}, {"created_at", format_iso8601(rec.i64("created_at"))},
                 {"data", json::parse(rec.text("data_json"), nullptr, false)}};
    parts.records[rec.text("kind")].push_back(item);
  }
  parts.attachments = ticket_attachments_json(c, r.i64("id"));
  return parts;
}

// The fields an intake's answer adds to the view (its likely duplicates, its next step), written
// into the view's object with the clocks the view shows.
using MoreFields = std::function<void(JsonWriter&, const SlaSummary&)>;

// A request's detail view, written out (JsonText: see common/json_writer.h for why).
JsonText render_detail(const store::Row& r, const TicketParts& parts, const Actor& actor, Millis now,
                       const TicketSettings& settings, const MoreFields& more = {}) {
  JsonWriter w;
  w.begin_object();
  write_summary_fields(w, r, now, true);
  w.field("description", r.text("description"))
      .field("demand", r.text("demand"))
      .field("contact_name", r.text("contact_name"))
      .field("contact_phone", r.text("contact_phone"));
  put_text(w, r, "pause_reason");
  put_int(w, r, "duplicate_of_id");
  w.field("remote_site", r.i64("remote_site") != 0);
  const auto facts = facts_from(r);
  w.key("facts").raw(facts_text(facts));
  put_stored_object(w, r, "suggestion_json", "suggestion");
  w.key("warranty");
  write_warranty(w, warranty_of(r));
  put_stored_object(w, r, "cost_json", "cost");
  const SlaSummary clocks = evaluate_sla(parts.clock, r.text("time_zone"), r.text("calendar"), r.text("sla_policy"), now);
  w.key("sla");
  write_sla(w, clocks);

  w.key("allowed_actions").begin_array();
  if (auto role = acting_role(actor)) {
    auto window = std::chrono::days(settings.reopen_window_days);
    auto allowed = tk::AllowedActions(facts, *role, to_seconds(now), window);
    // Triage and dispatch are guarded on what their own data supplies (a grade, a technician):
    // offer them when they would pass once that data is given.
    tk::TicketFacts supplied = facts;
    supplied.grade_set = true;
    supplied.has_assignee = true;
    for (auto a : tk::AllowedActions(supplied, *role, to_seconds(now), window))
      if ((a == tk::Action::triage || a == tk::Action::dispatch) && std::find(allowed.begin(), allowed.end(), a) == allowed.end())
        allowed.push_back(a);
    for (auto a : allowed) w.value(tk::ToString(a));
  }
  w.end_array();

  w.field("assignees", parts.assignees)
      .field("visits", parts.visits)
      .field("records", parts.records)
      .field("attachments", parts.attachments);
  if (more) more(w, clocks);
  w.end_object();
  return JsonText{w.take(), r.i64("version"), r.i64("id")};
}

JsonText render_detail(store::Connection& c, const store::Row& r, const Actor& actor, Millis now,
                       const TicketSettings& settings, const MoreFields& more = {}) {
  return render_detail(r, load_parts(c, r, actor), actor, now, settings, more);
}

// What to tell the caller of an intake: the milestone due next that is not met yet, and by when.
void write_next_step(JsonWriter& w, const SlaSummary& clocks) {
  std::optional<Millis> due;
  std::string_view milestone;
  if (clocks.report)
    for (const auto& m : clocks.report->milestones)
      if (m.status != sla::MilestoneStatus::met && m.due && (!due || to_millis(*m.due) < *due)) {
        due = to_millis(*m.due);
        milestone = sla::ToString(m.milestone);
      }
  w.key("next_step");
  if (due) w.begin_object().field("milestone", milestone).field("due_at", format_iso8601(*due)).end_object();
  else w.null();
}

// The names a column list gives its columns: the alias after AS, else the name after the dot.
std::vector<std::string> names_of(std::string_view list) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < list.size()) {
    size_t end = list.find(", ", from);
    std::string_view item = list.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
    size_t as = item.find(" AS ");
    if (as != std::string_view::npos) item.remove_prefix(as + 4);
    else if (size_t dot = item.find('.'); dot != std::string_view::npos) item.remove_prefix(dot + 1);
    out.emplace_back(item);
    if (end == std::string_view::npos) break;
    from = end + 2;
  }
  return out;
}

// A new request's row as kTicketSelect reads it: its own columns as the INSERT returned them,
// those of its project and customer and asset (none when `asset` is null) as the intake read
// them, and no team or assignee yet.
store::Result with_joined(store::Result own, const store::Result& project, const store::Result* asset) {
  store::Result out;
  out.columns = std::move(own.columns);
  std::vector<Value> cells;
  for (size_t i = 0; i < out.columns.size(); ++i) cells.push_back(own.rows[0].at(i));
  auto add = [&](const std::string& name, Value v) {
    out.columns.push_back(name);
    cells.push_back(std::move(v));
  };
  static const auto project_names = names_of(kProjectColumns), asset_names = names_of(kAssetColumns),
                    staff_names = names_of(kStaffColumns);
  for (const auto& name : project_names) add(name, project.rows[0].at(name));
  for (const auto& name : asset_names) add(name, asset ? asset->rows[0].at(name) : Value());
  for (const auto& name : staff_names) add(name, Value());
  out.rows.emplace_back(&out.columns, std::move(cells));
  return out;
}

}  // namespace

Outcome<JsonText> TicketService::suggest(const Actor& actor, const json& body) {
  if (auto e = require(actor, Permission::kTicketCreate)) return *e;
  FieldSpec project;
  project.name = "project_id";
  project.type = FieldType::kRef;
  project.required = true;
  FieldSpec asset = project;
  asset.name = "asset_id";
  asset.required = false;
  FieldSpec title;
  title.name = "title";
  title.max_length = 200;
  title.default_value = "";
  FieldSpec desc = title;
  desc.name = "description";
  desc.max_length = 4000;
  json in;
  auto errors = validate_object({project, asset, title, desc}, body, "", &in);
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  return db_.read([&](store::Connection& c) -> Outcome<JsonText> {
    std::string sql = "SELECT p.type, p.customer_id FROM projects p WHERE p.id = ?";
    auto p = c.query(sql, {in["project_id"].get<std::int64_t>()});
    if (p.empty() || (actor.is_customer() && p.rows[0].i64("customer_id") != actor.customer_id.value_or(-1)))
      return Error::Validation({{"project_id", "exists", "no such project"}});
    bool critical = false;
    std::optional<std::int64_t> asset_id;
    if (!in["asset_id"].is_null()) {
      asset_id = in["asset_id"].get<std::int64_t>();
      auto a = c.query("SELECT critical FROM assets WHERE id = ? AND project_id = ?", {*asset_id, in["project_id"].get<std::int64_t>()});
      if (a.empty()) return Error::Validation({{"asset_id", "exists", "no such asset in this project"}});
      critical = a.rows[0].i64("critical") != 0;
    }
    std::string text = in["title"].get<std::string>() + " " + in["description"].get<std::string>();
    auto s = grade_suggestion(text, p.rows[0].text("type"), critical);
    JsonWriter w;
    w.begin_object().field("suggestion", suggestion_json(s)).key("duplicates");
    w.raw(duplicates_for(c, *texts_, in["project_id"].get<std::int64_t>(), asset_id, bigrams_of(text), now));
    return JsonText{w.end_object().take()};
  });
}

namespace {

const std::set<std::string>& customer_facing_events() {
  static const std::set<std::string> s = {"technician_dispatched", "visit_arrived", "plan_approved",
                                          "internal_acceptance_passed", "request_resolved", "request_closed",
                                          "consultation_answered"};
  return s;
}

// Applies one action to the loaded ticket `r` inside transaction `c`: state machine, side
// records, clocks, events, outbox. Returns an error without having written anything when the
// action is refused.
Outcome<Unit> apply_action(store::Connection& c, const store::Row& r, const Actor& actor, tk::Action action,
                           const json& payload, Millis now, const TicketSettings& settings) {
  const std::int64_t id = r.i64("id");
  auto role = acting_role(actor);
  if (!role) return Error::Forbidden("Role '" + actor.role + "' takes no part in service requests");
  tk::TicketFacts facts = facts_from(r);
  std::string reason = payload.value("reason", "");

  // A technician acts on the requests he is assigned to (managers and dispatchers on any).
  if (*role == tk::Role::technician && facts.has_assignee) {
    auto me = staff_of(c, actor.user_id);
    bool assigned = me && !c.query("SELECT 1 FROM ticket_assignments WHERE ticket_id = ? AND staff_id = ? AND released_at IS NULL",
                                   {id, *me}).empty();
    if (!assigned) return Error::Forbidden("You are not assigned to request " + r.text("number"));
  }

  // Triage is guarded on the grade being chosen: the payload chooses it.
  if (action == tk::Action::triage || action == tk::Action::regrade) {
    facts.grade_set = payload["nature"].is_string() || !r.is_null("nature");
    facts.is_consultation = payload["grade"] == "consultation";
  }
  // Automatic dispatch: the best-ranked technician (and team) of the dispatch ranking, with
  // the score and reasons kept on the assignment and in the timeline.
  json dispatch_score = nullptr;
  json effective = payload;
  if ((action == tk::Action::dispatch || action == tk::Action::reassign) && payload.value("auto", false)) {
    if (!payload["staff_ids"].empty())
      return Error::Validation({{"auto", "exclusive", "send either staff_ids or auto, not both"}});
    auto suggestion = suggest_dispatch(c, id, now);
    if (suggestion.technicians.empty())
      return Error::Conflict("No technician matches this request; choose one by hand",
                             {{"staff_ids", "no_candidate", suggestion.team_reasons.dump()}});
    const auto& best = suggestion.technicians.front();
    effective["staff_ids"] = json::array({best.staff_id});
    dispatch_score = {{"staff_id", best.staff_id}, {"name", best.name}, {"score", best.score}, {"reasons", best.reasons},
                      {"team_id", suggestion.team_id ? json(*suggestion.team_id) : json(nullptr)},
                      {"team_name", suggestion.team_name}};
  }
  // Dispatch is guarded on a technician being named: the payload names him.
  if (action == tk::Action::dispatch || action == tk::Action::reassign)
    facts.has_assignee = facts.has_assignee || !effective["staff_ids"].empty();
  tk::Command cmd{action, *role, to_seconds(now), reason, std::chrono::days(settings.reopen_window_days)};
  auto outcome = tk::Apply(facts, cmd);
  if (!outcome.ok()) {
    const auto& e = outcome.error();
    std::vector<FieldError> details;
    json allowed = json::array();
    for (auto a : e.allowed_actions) allowed.push_back(std::string(tk::ToString(a)));
    if (e.kind == tk::TransitionError::Kind::role_not_allowed)
      return Error::Forbidden(e.message);
    if (e.failed_guard && *e.failed_guard == tk::Guard::reason_given)
      return Error::Validation({{"reason", "required", "a reason is required for " + std::string(tk::ToString(action))}});
    std::string detail = e.message;
    return Error::Conflict(detail, {{"action", e.failed_guard ? std::string(tk::ToString(*e.failed_guard)) : "state",
                                     "allowed: " + allowed.dump()}});
  }
  tk::TicketFacts next = outcome.value().facts;

  // Action-specific data: checks that need the database, then the side records.
  std::string grade = r.text("grade"), nature = r.text("nature");
  std::string sla_grade = r.text("sla_grade");
  std::optional<std::int64_t> assignee = r.opt_i64("assignee_staff_id");
  std::optional<std::int64_t> team = r.opt_i64("team_id");
  json cost = json::parse(r.text("cost_json"), nullptr, false);
  if (!cost.is_object()) cost = json::object();
  json event_data = payload;

  switch (action) {
    case tk::Action::triage:
    case tk::Action::regrade:
      grade = payload["grade"].get<std::string>();
      if (payload.contains("nature") && payload["nature"].is_string()) nature = payload["nature"].get<std::string>();
      next.grade_set = !nature.empty();
      next.is_consultation = grade == "consultation";
      break;
    case tk::Action::dispatch:
    case tk::Action::reassign: {
      std::vector<std::int64_t> ids;
      for (const auto& v : effective["staff_ids"]) ids.push_back(v.get<std::int64_t>());
      if (ids.empty()) return Error::Validation({{"staff_ids", "required", "name at least one technician"}});
      std::vector<FieldError> errors;
      std::optional<std::int64_t> lead_team;
      for (size_t i = 0; i < ids.size(); ++i) {
        auto s = c.query("SELECT active, team_id FROM staff WHERE id = ?", {ids[i]});
        if (s.empty()) errors.push_back({"staff_ids[" + std::to_string(i) + "]", "exists", "no such staff member"});
        else if (s.rows[0].i64("active") == 0)
          errors.push_back({"staff_ids[" + std::to_string(i) + "]", "active", "is not active"});
        else if (i == 0) lead_team = s.rows[0].opt_i64("team_id");
      }
      std::int64_t lead = payload["lead_staff_id"].is_null() ? ids[0] : payload["lead_staff_id"].get<std::int64_t>();
      if (std::find(ids.begin(), ids.end(), lead) == ids.end())
        errors.push_back({"lead_staff_id", "member", "must be one of staff_ids"});
      if (!errors.empty()) return Error::Validation(errors);
      c.query("UPDATE ticket_assignments SET released_at = ? WHERE ticket_id = ? AND released_at IS NULL", {now, id});
      for (auto sid : ids)
        c.query("INSERT INTO ticket_assignments (ticket_id, staff_id, lead, assigned_at, assigned_by, score_json) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {id, sid, static_cast<std::int64_t>(sid == lead ? 1 : 0), now, actor.user_id,
                 (sid == lead && !dispatch_score.is_null() ? dispatch_score : json::object()).dump()});
      if (lead != ids[0]) {
        auto s = c.query("SELECT team_id FROM staff WHERE id = ?", {lead});
        lead_team = s.rows[0].opt_i64("team_id");
      }
      assignee = lead;
      team = lead_team;
      next.has_assignee = true;
      auto names = c.query("SELECT name FROM staff WHERE id = ?", {lead});
      event_data["technician"] = names.rows[0].text("name");
      event_data["staff_ids"] = effective["staff_ids"];
      if (!dispatch_score.is_null()) {
        event_data["automatic"] = dispatch_score;
        if (dispatch_score["team_id"].is_number_integer()) team = dispatch_score["team_id"].get<std::int64_t>();
      }
      break;
    }
    case tk::Action::depart: {
      auto seq = c.query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM visits WHERE ticket_id = ?", {id}).rows[0].i64("n");
      json staff = payload["staff_ids"].empty() && assignee ? json::array({*assignee}) : payload["staff_ids"];
      c.query("INSERT INTO visits (ticket_id, seq, departed_at, staff_ids) VALUES (?, ?, ?, ?)", {id, seq, now, staff.dump()});
      event_data["visit"] = seq;
      break;
    }
    case tk::Action::arrive: {
      auto open = c.query("SELECT id, seq FROM visits WHERE ticket_id = ? AND arrived_at IS NULL ORDER BY seq DESC LIMIT 1", {id});
      Value lat = payload["latitude"].is_null() ? Value() : Value(payload["latitude"].get<double>());
      Value lng = payload["longitude"].is_null() ? Value() : Value(payload["longitude"].get<double>());
      if (open.empty()) {
        auto seq = c.query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM visits WHERE ticket_id = ?", {id}).rows[0].i64("n");
        c.query("INSERT INTO visits (ticket_id, seq, arrived_at, latitude, longitude, staff_ids) VALUES (?, ?, ?, ?, ?, ?)",
                {id, seq, now, lat, lng, assignee ? json::array({*assignee}).dump() : std::string("[]")});
        event_data["visit"] = seq;
      } else {
        c.query("UPDATE visits SET arrived_at = ?, latitude = ?, longitude = ? WHERE id = ?", {now, lat, lng, open.rows[0].i64("id")});
        event_data["visit"] = open.rows[0].i64("seq");
      }
      event_data["arrived_at"] = format_iso8601(now);
      break;
    }
    case tk::Action::leave_site:
      c.query("UPDATE visits SET left_at = ? WHERE ticket_id = ? AND left_at IS NULL AND arrived_at IS NOT NULL", {now, id});
      break;
    case tk::Action::record_diagnosis: {
      next.major_defect = payload.value("major_defect", false);
      if (payload.contains("nature") && payload["nature"].is_string()) nature = payload["nature"].get<std::string>();
      // The default cost bearing follows from the cause and the warranty on the report day.
      const std::optional<wr::WarrantyCoverage> cov = warranty_of(r);
      auto cause = wr::ParseCause(payload["cause"].get<std::string>()).value_or(wr::Cause::unknown);
      auto decision = wr::DecideCostBearing(cause, cov ? cov->status : wr::WarrantyStatus::expired);
      cost = cost_json_of(decision);
      if (!cov) cost["note"] = "the project has no completion-acceptance date; treated as out of warranty";
      next.plan_chargeable = decision.bearing != wr::CostBearing::free;
      event_data["cost"] = cost;
      break;
    }
    case tk::Action::submit_plan: {
      if (payload["cost_bearing"].is_string()) {
        auto wanted = wr::ParseCostBearing(payload["cost_bearing"].get<std::string>());
        if (cost.empty()) return Error::Conflict("record a diagnosis (with its cause) before overriding the cost bearing");
        if (cost.value("bearing", "") != payload["cost_bearing"]) {
          wr::CostDecision d{*wr::ParseCostBearing(cost.value("bearing", "disputed")), cost.value("reason_code", ""), {},
                             cost.value("reason_zh", ""), cost.value("reason_en", "")};
          auto over = wr::OverrideCostBearing(d, *wanted, payload.value("cost_override_reason", ""));
          if (!over.ok()) return Error::Validation({{"cost_override_reason", "required", "explain why the cost bearing differs from the default"}});
          cost = cost_json_of(over.value());
        }
      }
      next.plan_chargeable = !cost.empty() && cost.value("bearing", "free") != "free";
      next.plan_customer_confirmed = false;
      event_data["cost"] = cost;
      break;
    }
    default:
      break;
  }

  // Step records (diagnosis, plan, acceptance …), numbered per kind: revisions and rework
  // rounds stay side by side, nothing is overwritten.
  const PayloadSpec& spec = payload_spec(action);
  if (!spec.record_kind.empty()) {
    auto seq = c.query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM ticket_records WHERE ticket_id = ? AND kind = ?",
                       {id, spec.record_kind}).rows[0].i64("n");
    json data = payload;
    data["action"] = std::string(tk::ToString(action));
    data["by"] = actor.display_name.empty() ? actor.username : actor.display_name;
    if (action == tk::Action::record_diagnosis || action == tk::Action::submit_plan) data["cost"] = cost;
    c.query("INSERT INTO ticket_records (ticket_id, kind, seq, data_json, created_at, created_by, internal) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {id, spec.record_kind, seq, data.dump(), now, actor.user_id > 0 ? Value(actor.user_id) : Value(),
             static_cast<std::int64_t>(spec.internal ? 1 : 0)});
  }

  // Photos and signatures named by the payload belong to this request from now on.
  {
    static const std::map<tk::Action, std::string> purposes = {
        {tk::Action::answer_consultation, "other"}, {tk::Action::remote_fix, "repair"},
        {tk::Action::record_diagnosis, "diagnosis"}, {tk::Action::submit_plan, "plan"},
        {tk::Action::complete_self_check, "self_check"}, {tk::Action::internal_accept, "acceptance"},
        {tk::Action::internal_reject, "acceptance"}, {tk::Action::customer_accept, "acceptance"},
        {tk::Action::customer_reject, "acceptance"}};
    std::vector<FieldError> errors;
    auto link = [&](const std::vector<std::int64_t>& ids, const std::string& field, const std::string& purpose) {
      if (ids.empty()) return;
      auto e = check_attachment_ids(c, actor, ids, id, field);
      errors.insert(errors.end(), e.begin(), e.end());
      if (e.empty()) link_attachments(c, actor, ids, id, purpose, now);
    };
    if (payload.contains("attachment_ids") && !payload["attachment_ids"].empty()) {
      std::vector<std::int64_t> ids;
      for (const auto& v : payload["attachment_ids"]) ids.push_back(v.get<std::int64_t>());
      auto it = purposes.find(action);
      link(ids, "attachment_ids", it == purposes.end() ? "other" : it->second);
    }
    for (const char* key : {"signature_attachment_id", "customer_signature_attachment_id"})
      if (payload.contains(key) && payload[key].is_number_integer()) link({payload[key].get<std::int64_t>()}, key, "signature");
    if (!errors.empty()) return Error::Validation(errors);
  }

  // Clocks: grade changes, pauses and the milestones this action reached.
  if ((action == tk::Action::triage || action == tk::Action::regrade) && grade != sla_grade) {
    append_sla_event(c, id, sla::SlaEvent::GradeChanged(to_seconds(now), *sla::ParseGrade(grade)));
    sla_grade = grade;
  }
  if (action == tk::Action::pause)
    append_sla_event(c, id, sla::SlaEvent::Paused(to_seconds(now), *sla::ParsePauseReason(payload["pause_reason"].get<std::string>())));
  if (action == tk::Action::resume) append_sla_event(c, id, sla::SlaEvent::Resumed(to_seconds(now)));
  for (auto m : outcome.value().milestones) append_sla_event(c, id, sla::SlaEvent::Reached(to_seconds(now), m));

  // Events: one per domain event, with the payload as data.
  for (const auto& e : outcome.value().events) {
    std::string type = std::string(tk::ToString(e.type));
    add_event(c, id, actor, now, type, std::string(tk::ToString(action)), std::string(tk::ToString(e.from)),
              std::string(tk::ToString(e.to)), e.reason, event_data, spec.internal);
    OutboundMessage msg;
    msg.event = "ticket." + type;
    msg.ticket_id = id;
    msg.customer_id = r.i64("customer_id");
    msg.params = {{"number", r.text("number")}, {"title", r.text("title")}, {"project_name", r.text("project_name")},
                  {"customer_name", r.text("customer_name")}, {"state", std::string(tk::ToString(e.to))},
                  {"by", actor.display_name}, {"reason", e.reason}};
    if (event_data.contains("technician")) msg.params["technician"] = event_data["technician"];
    if (event_data.contains("arrived_at")) msg.params["arrived_at"] = event_data["arrived_at"];
    if (!customer_facing_events().count(type)) msg.params["internal"] = true;
    enqueue_notification(c, msg, now);
  }

  // Closing schedules the follow-up calls (1, 3 and 6 months) in the same transaction.
  if (action == tk::Action::close) schedule_follow_ups(c, id, to_millis(*next.closed_at));

  // The request row itself, then its clocks as of now.
  std::string state = std::string(tk::ToString(next.state));
  Value pause_reason = next.paused ? (action == tk::Action::pause ? Value(payload["pause_reason"].get<std::string>())
                                                                  : (r.is_null("pause_reason") ? Value() : Value(r.text("pause_reason"))))
                                   : Value();
  c.query("UPDATE tickets SET state = ?, paused = ?, pause_reason = ?, facts_json = ?, grade = ?, nature = ?, sla_grade = ?, "
          "assignee_staff_id = ?, team_id = ?, cost_json = ?, closed_at = ?, updated_at = ?, version = version + 1 "
          "WHERE id = ?",
          {state, static_cast<std::int64_t>(next.paused ? 1 : 0), pause_reason, facts_text(next),
           grade.empty() ? Value() : Value(grade), nature.empty() ? Value() : Value(nature),
           sla_grade.empty() ? Value() : Value(sla_grade), assignee ? Value(*assignee) : Value(),
           team ? Value(*team) : Value(), cost.dump(), next.closed_at ? Value(to_millis(*next.closed_at)) : Value(), now, id});
  return Unit{};
}

// Re-evaluates the clocks of a ticket and stores what lists and the watch job need.
void refresh_clocks(store::Connection& c, std::int64_t id, Millis now) {
  store::Result keep;
  Actor system = system_actor("sla");
  auto r = load_row(c, id, system, &keep);
  if (!r) return;
  auto summary = evaluate_sla(sla_input_of(c, *r), r->text("time_zone"), r->text("calendar"), r->text("sla_policy"), now);
  bool done = tk::IsFinal(*tk::ParseState(r->text("state"))) || r->text("state") == "closed";
  std::set<std::string> raised;
  for (const auto& a : c.query("SELECT milestone, step FROM ticket_alerts WHERE ticket_id = ?", {id}).rows)
    raised.insert(a.text("milestone") + "/" + a.text("step"));
  auto cols = clock_columns(summary, raised, done);
  c.query("UPDATE tickets SET next_alert_at = ?, next_due_at = ?, next_milestone = ?, next_risk_at = ? WHERE id = ?",
          {opt_value(cols.next_alert_at), opt_value(cols.next_due_at),
           cols.next_due_at ? Value(cols.next_milestone) : Value(), opt_value(cols.next_risk_at), id});
}

}  // namespace

void refresh_ticket_clocks(store::Connection& c, std::int64_t id, Millis now) { refresh_clocks(c, id, now); }

namespace {

// The fields a new request may carry: built once (rebuilding the list and its enum values for
// every intake was a measurable share of intake CPU).
const std::vector<FieldSpec>& intake_fields() {
  static const std::vector<FieldSpec> fields = [] {
    auto field = [](std::string name, FieldType type, size_t max, bool required) {
      FieldSpec f;
      f.name = std::move(name);
      f.type = type;
      f.max_length = max;
      f.required = required;
      f.nullable = !required;
      if (type == FieldType::kString || type == FieldType::kPhone || type == FieldType::kEmail) f.default_value = "";
      return f;
    };
    FieldSpec channel = field("channel", FieldType::kEnum, 50, false);
    channel.values = channels();
    FieldSpec grade = field("grade", FieldType::kEnum, 50, false);
    grade.values = {"emergency", "consultation", "simple", "medium", "complex", "general_defect", "feedback", "complaint"};
    FieldSpec nature = field("nature", FieldType::kEnum, 50, false);
    for (int i = 0; i < gr::kNatureCount; ++i) nature.values.emplace_back(gr::ToString(static_cast<gr::Nature>(i)));
    return std::vector<FieldSpec>{field("project_id", FieldType::kRef, 0, true),
                                  field("asset_id", FieldType::kRef, 0, false),
                                  channel,
                                  field("title", FieldType::kString, 200, true),
                                  field("description", FieldType::kString, 4000, true),
                                  field("demand", FieldType::kString, 2000, false),
                                  field("contact_name", FieldType::kString, 100, false),
                                  field("contact_phone", FieldType::kPhone, 30, false),
                                  field("contact_email", FieldType::kEmail, 200, false),
                                  field("reported_at", FieldType::kString, 40, false),
                                  grade,
                                  nature,
                                  field("duplicate_of_id", FieldType::kRef, 0, false)};
  }();
  return fields;
}

}  // namespace

TicketService::TicketService(store::Database& db, const Clock& clock, TicketSettings settings)
    : db_(db), clock_(clock), settings_(std::move(settings)), texts_(std::make_shared<RequestTextCache>()) {
  auto open = std::make_shared<OpenRequestIndex>();
  if (db_.watch_rows("tickets", open)) open_ = std::move(open);
}

// One intake on its way from the thread that checks it, through the writer, to the thread that
// answers: what the write needs, taken out of the body once and before the write (the single
// writer thread, which every write waits for, should do only what needs the database), and what
// the write leaves for the answer.
struct TicketService::IntakeRun {
  Actor actor;
  json in;  // the validated body
  std::string idempotency_key;
  Millis now = 0;
  Millis reported_at = 0;
  std::string chan;
  std::vector<std::int64_t> attachment_ids;  // photos uploaded before saving
  std::string title, description, day, text;
  std::vector<std::string> terms;  // the text's search terms
  Bigrams pairs;  // the new request's text as later checks compare with it (made here, not on the writer)
  // Left by the write:
  bool replayed = false;
  std::optional<Outcome<std::int64_t>> result;
  // A plain new request (no grade given, so no triage in the same write) is answered from what
  // the write stored and read, without reading it back.
  std::optional<store::Result> fresh;
  TicketParts fresh_parts;
  json suggestion_out;  // the grading suggestion, as stored and as told in the timeline
  std::shared_ptr<const RequestText> known_text;
};

Outcome<std::shared_ptr<TicketService::IntakeRun>> TicketService::start_intake(const Actor& actor, const json& body,
                                                                            const std::string& idempotency_key) {
  if (auto e = require(actor, Permission::kTicketCreate)) return *e;
  auto run = std::make_shared<IntakeRun>();
  run->actor = actor;
  run->idempotency_key = idempotency_key;
  const Millis now = run->now = clock_.now_ms();

  const std::vector<FieldSpec>& fields = intake_fields();
  std::vector<std::int64_t>& attachment_ids = run->attachment_ids;
  json plain;  // the body without them, when it names any (copied only then)
  std::vector<FieldError> list_errors;
  if (body.is_object() && body.contains("attachment_ids")) {
    plain = body;
    const json ids = plain["attachment_ids"];
    plain.erase("attachment_ids");
    if (!ids.is_array() || ids.size() > 50) list_errors.push_back({"attachment_ids", "type", "must be an array of at most 50 ids"});
    else
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!ids[i].is_number_integer() || ids[i].get<std::int64_t>() < 1)
          list_errors.push_back({"attachment_ids[" + std::to_string(i) + "]", "type", "must be an id"});
        else attachment_ids.push_back(ids[i].get<std::int64_t>());
      }
  }
  json& in = run->in;
  auto errors = validate_object(fields, plain.is_null() ? body : plain, "", &in);
  errors.insert(errors.end(), list_errors.begin(), list_errors.end());
  Millis& reported_at = run->reported_at;
  reported_at = now;
  if (in.contains("reported_at") && in["reported_at"].is_string() && !in["reported_at"].get<std::string>().empty()) {
    if (!parse_iso8601(in["reported_at"].get<std::string>(), &reported_at))
      errors.push_back({"reported_at", "format", "must be an RFC 3339 time such as 2026-11-23T09:30:00+08:00"});
    else if (reported_at > now + 60 * 1000)
      errors.push_back({"reported_at", "future", "cannot be in the future"});
    else if (reported_at < now - settings_.max_backdate_ms)
      errors.push_back({"reported_at", "range", "cannot be more than 30 days ago"});
  }
  if (in["grade"].is_null() != in["nature"].is_null())
    errors.push_back({in["grade"].is_null() ? "grade" : "nature", "required", "set grade and nature together, or neither"});
  if (actor.is_customer()) {
    if (!in["channel"].is_null() && in["channel"] != "portal")
      errors.push_back({"channel", "forbidden", "customers report through the portal"});
    if (!in["grade"].is_null()) errors.push_back({"grade", "forbidden", "the service department sets the grade"});
  }
  if (!idempotency_key.empty() &&
      (idempotency_key.size() > 200 || std::any_of(idempotency_key.begin(), idempotency_key.end(),
                                                    [](unsigned char ch) { return ch < 0x21 || ch > 0x7e; })))
    errors.push_back({"Idempotency-Key", "format", "must be 1–200 visible ASCII characters"});
  if (!errors.empty()) return Error::Validation(errors);
  run->chan = in["channel"].is_null() ? (actor.is_customer() ? "portal" : "hotline") : in["channel"].get<std::string>();
  run->title = in["title"].get<std::string>();
  run->description = in["description"].get<std::string>();
  run->day = number_day(now, settings_.company_time_zone);
  run->terms = text_terms(run->title, run->description);
  run->text = run->title + " " + run->description;
  run->pairs = bigrams_of(run->text);
  return run;
}

namespace {

std::optional<std::int64_t> find_replay(store::Connection& c, const Actor& actor, const std::string& idempotency_key) {
  if (idempotency_key.empty()) return std::nullopt;
  auto r = c.query("SELECT id FROM tickets WHERE COALESCE(created_by, 0) = ? AND idempotency_key = ?",
                   {actor.user_id, idempotency_key});
  if (r.empty()) return std::nullopt;
  return r.rows[0].i64("id");
}

}  // namespace

// The write: runs on SQLite's single writer thread, so everything it can do without the
// database was done by start_intake. What it leaves in `run` it sets afresh each time it runs.
Outcome<std::int64_t> TicketService::intake_write(IntakeRun& run, store::Connection& c) {
  const Actor& actor = run.actor;
  const json& in = run.in;
  const Millis now = run.now, reported_at = run.reported_at;
  const std::string &chan = run.chan, &title = run.title, &description = run.description, &text = run.text;
  run.replayed = false;
  run.fresh.reset();
  if (auto existing = find_replay(c, actor, run.idempotency_key)) {
    run.replayed = true;
    return *existing;
  }
  const std::int64_t project_id = in["project_id"].get<std::int64_t>();
  auto p = c.query(std::string("SELECT p.customer_id, p.type, p.remote, ") + kProjectColumns +
                       " FROM projects p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?",
                   {project_id});
  if (p.empty() || (actor.is_customer() && p.rows[0].i64("customer_id") != actor.customer_id.value_or(-1)))
    return Error::Validation({{"project_id", "exists", "no such project"}});
  bool critical = false;
  std::optional<std::int64_t> asset_id;
  store::Result a;
  if (!in["asset_id"].is_null()) {
    asset_id = in["asset_id"].get<std::int64_t>();
    a = c.query(std::string("SELECT ") + kAssetColumns + " FROM assets a WHERE a.id = ? AND a.project_id = ?",
                {*asset_id, project_id});
    if (a.empty()) return Error::Validation({{"asset_id", "exists", "no such asset in this project"}});
    critical = a.rows[0].i64("asset_critical") != 0;
  }
  std::optional<std::int64_t> duplicate_of;
  if (!in["duplicate_of_id"].is_null()) {
    duplicate_of = in["duplicate_of_id"].get<std::int64_t>();
    if (c.query("SELECT 1 FROM tickets WHERE id = ? AND project_id = ?", {*duplicate_of, project_id}).empty())
      return Error::Validation({{"duplicate_of_id", "exists", "no such request in this project"}});
  }
  auto suggestion = grade_suggestion(text, p.rows[0].text("type"), critical);
  run.suggestion_out = suggestion_json(suggestion);
  const json& suggestion_out = run.suggestion_out;
  // Until triage the clocks run on the suggested grade; triage re-grades from the start.
  std::string clock_grade = in["grade"].is_null() ? std::string(sla::ToString(suggestion.grade)) : in["grade"].get<std::string>();
  std::string number = next_number(c, run.day);
  // A new request's clocks follow from what is known now: its creation on the clock grade and
  // no alert raised yet. Stored with the row, they need no second pass (which re-read the row
  // with its joins and was a sixth of the writer's time per intake).
  const sla::SlaEvent created_event = sla::SlaEvent::Created(to_seconds(reported_at), *sla::ParseGrade(clock_grade));
  sla::SlaInput clock_input;
  clock_input.history.push_back(created_event);
  clock_input.remote_site = p.rows[0].i64("remote") != 0;
  SlaSummary clock_summary = evaluate_sla(clock_input, p.rows[0].text("time_zone"), p.rows[0].text("calendar"),
                                          p.rows[0].text("sla_policy"), now);
  auto clocks = clock_columns(clock_summary, {}, false);
  // PostgreSQL: the search terms go in with the row. Set by an UPDATE right after it, each new
  // request also left a dead version of itself, with an entry in every index of the table, for
  // vacuum to clean. SQLite indexes the text at the end of the group instead (index_ticket_text).
  const bool pg = c.dialect() == store::Dialect::kPostgres;
  std::vector<Value> values = {
       number, p.rows[0].i64("customer_id"), project_id, asset_id ? Value(*asset_id) : Value(), chan,
       title, description, in["demand"].get<std::string>(),
       in["contact_name"].get<std::string>(), in["contact_phone"].get<std::string>(), reported_at, now, now,
       p.rows[0].i64("remote"), duplicate_of ? Value(*duplicate_of) : Value(),
       actor.user_id > 0 ? Value(actor.user_id) : Value(),
       run.idempotency_key.empty() ? Value() : Value(run.idempotency_key), suggestion_out.dump(), clock_grade,
       opt_value(clocks.next_alert_at), opt_value(clocks.next_due_at),
       clocks.next_due_at ? Value(clocks.next_milestone) : Value(), opt_value(clocks.next_risk_at)};
  if (pg)
    values.push_back(pg_row_terms(number, title, description,
                                  reported_at));
  auto row = c.query(
      std::string("INSERT INTO tickets (number, customer_id, project_id, asset_id, channel, state, title, description, "
                  "demand, contact_name, contact_phone, reported_at, created_at, updated_at, remote_site, "
                  "duplicate_of_id, created_by, idempotency_key, suggestion_json, sla_grade, next_alert_at, "
                  "next_due_at, next_milestone, next_risk_at") +
          (pg ? ", search_terms" : "") +
          ") VALUES (?, ?, ?, ?, ?, 'intake', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" +
          (pg ? ", ?::text[]" : "") + ") RETURNING " + kTicketReturning,
      values);
  const std::int64_t id = row.rows[0].i64("id");
  if (!pg) index_ticket_terms(c, id, number, run.terms, reported_at);  // a copy: a body may run again
  auto known = std::make_shared<RequestText>();
  known->number = number;
  known->title = title;
  known->pairs = run.pairs;  // a copy: the answer compares with them too
  run.known_text = std::move(known);
  if (open_) open_->inserted_text(id, run.known_text);
  if (!run.attachment_ids.empty()) {
    auto bad = check_attachment_ids(c, actor, run.attachment_ids, std::nullopt);
    if (!bad.empty()) return Error::Validation(bad);
    link_attachments(c, actor, run.attachment_ids, id, "intake", now);
  }
  append_sla_event(c, id, created_event);
  add_event(c, id, actor, now, "request_created", "", "", "intake", "",
            {{"channel", chan}, {"reported_at", format_iso8601(reported_at)}, {"number", number},
             {"suggestion", suggestion_out}},
            false);
  if (duplicate_of)
    add_event(c, *duplicate_of, actor, now, "duplicate_linked", "", "", "", "", {{"duplicate_id", id}, {"number", number}}, false);
  if (!in["grade"].is_null()) {
    store::Result keep;
    auto loaded = load_row(c, id, actor, &keep);
    json triage = {{"grade", in["grade"]}, {"nature", in["nature"]}, {"note", ""}};
    auto applied = apply_action(c, *loaded, actor, tk::Action::triage, triage, now, settings_);
    if (!applied) return applied.error();
    refresh_clocks(c, id, now);  // graded at intake: the clocks restart on the agent's grade
  } else {
    run.fresh = with_joined(std::move(row), p, asset_id ? &a : nullptr);
    run.fresh_parts = TicketParts{};
    run.fresh_parts.clock = clock_input;  // the answer renders the clocks, off the writer
    if (!run.attachment_ids.empty()) run.fresh_parts.attachments = ticket_attachments_json(c, id);
  }
  OutboundMessage msg;
  msg.event = "ticket.created";
  msg.ticket_id = id;
  msg.customer_id = p.rows[0].i64("customer_id");
  msg.params = {{"number", number}, {"title", title}, {"channel", chan}};
  if (!in["contact_email"].get<std::string>().empty()) msg.to_emails.push_back(in["contact_email"].get<std::string>());
  enqueue_notification(c, msg, now);
  return id;
}

Outcome<JsonText> TicketService::finish_intake(IntakeRun& run, std::exception_ptr failed, bool* replayed) {
  const Actor& actor = run.actor;
  const json& in = run.in;
  const Millis now = run.now;
  std::optional<std::int64_t> created;
  if (failed) {
    try {
      std::rethrow_exception(failed);
    } catch (const store::DbError& e) {
      // Two retries with one key racing: the loser finds the winner's request.
      if (e.kind() != store::DbError::Kind::kUnique || run.idempotency_key.empty()) throw;
      auto existing = db_.read([&](store::Connection& c) { return find_replay(c, actor, run.idempotency_key); });
      if (!existing) throw;
      run.replayed = true;
      created = *existing;
    }
  } else {
    if (!run.result->ok()) return run.result->error();
    created = **run.result;
  }
  *replayed = run.replayed;
  std::optional<store::Result>& fresh = run.fresh;
  if (*replayed) fresh.reset();
  // The likely duplicates are read after the write, so that none of it holds up the single
  // writer; a replayed or triaged request is read back with them, in one read transaction.
  // Duplicates are advice to the agent on a new request, not repeated when a retry replays it.
  const std::int64_t id = *created;
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  const std::int64_t project_id = in["project_id"].get<std::int64_t>();
  const std::optional<std::int64_t> asset_id =
      in["asset_id"].is_number_integer() ? std::optional(in["asset_id"].get<std::int64_t>()) : std::nullopt;
  const Millis since = now - kDuplicateWindowMs;
  // Compared with the project's newest open requests: from memory when the index knows the
  // project (its list is as of this request's commit or later) and the texts are known, so that
  // nothing is read; otherwise read, keeping the list when nothing changed it meanwhile (the
  // stamp is taken before the read transaction's snapshot).
  const Bigrams& mine = run.pairs;
  std::optional<std::vector<OpenRequest>> recent;
  if (fresh && open_) recent = open_->newest(project_id, since, id, kDuplicateCandidates);
  if (recent) attach_texts(*recent, texts_->find_many(missing_texts(*recent)));
  const bool in_memory = recent && missing_texts(*recent).empty();
  const auto stamp = open_ && !recent ? open_->stamp(project_id) : OpenRequestIndex::Stamp{};
  const Millis keep_since = since - 86400 * 1000;  // a day's margin: a kept list serves a day of checks
  auto read_duplicates = [&](store::Connection& c) -> std::string {
    if (!open_) return duplicates_for(c, *texts_, project_id, asset_id, mine, now, id);
    if (!recent) {
      auto rows = load_open_requests(c, project_id, keep_since, OpenRequestIndex::kKept);
      recent = candidates_among(rows, since, id, kDuplicateCandidates);
      open_->keep(project_id, keep_since, stamp, std::move(rows));
    }
    attach_texts(*recent, texts_of(c, *texts_, missing_texts(*recent)));
    return duplicates_among(*recent, asset_id, mine);
  };
  // The answer is the request as a read shows it, with its likely duplicates and what happens
  // next and by when.
  std::string duplicates;  // written out
  const MoreFields more = [&](JsonWriter& w, const SlaSummary& clocks) {
    if (!*replayed) w.key("duplicates").raw(duplicates);
    write_next_step(w, clocks);
  };
  Outcome<JsonText> view = JsonText{};
  if (fresh && in_memory) {
    duplicates = duplicates_among(*recent, asset_id, mine);
    view = render_detail(fresh->rows[0], run.fresh_parts, actor, now, settings_, more);
  } else {
    view = db_.read_after_write([&](store::Connection& c) -> Outcome<JsonText> {
      if (!*replayed) duplicates = read_duplicates(c);
      if (fresh) return render_detail(fresh->rows[0], run.fresh_parts, actor, now, settings_, more);
      return view_of(c, actor, id, now, more);
    });
  }
  // The new request's text, for the checks of the requests that follow (read once otherwise).
  if (fresh && view && run.known_text) texts_->put(id, run.known_text);
  return view;
}

Outcome<JsonText> TicketService::intake(const Actor& actor, const json& body, const std::string& idempotency_key,
                                        bool* replayed) {
  *replayed = false;
  auto started = start_intake(actor, body, idempotency_key);
  if (!started) return started.error();
  IntakeRun& run = **started;
  std::exception_ptr failed;
  try {
    run.result = db_.write([&](store::Connection& c) { return intake_write(run, c); });
  } catch (const store::DbError&) {
    failed = std::current_exception();
  }
  return finish_intake(run, failed, replayed);
}

void TicketService::intake_async(const Actor& actor, const json& body, const std::string& idempotency_key,
                                 std::function<void(IntakeAnswer)> then) {
  if (!db_.can_write_async()) throw std::logic_error("intake_async: this database has no asynchronous writes");
  auto started = start_intake(actor, body, idempotency_key);
  if (!started) {
    Error refused = started.error();
    then([refused](bool* replayed) -> Outcome<JsonText> {
      *replayed = false;
      return refused;
    });
    return;
  }
  std::shared_ptr<IntakeRun> run = std::move(*started);
  db_.write_async(
      [this, run](store::Connection& c) {
        run->result.emplace(intake_write(*run, c));  // replaces what a previous run of the body left
        return run->result->ok();
      },
      [this, run, then = std::move(then)](std::exception_ptr failed) {
        // On the writer thread: the answer is read and written where `then` sends it.
        then([this, run, failed](bool* replayed) { return finish_intake(*run, failed, replayed); });
      });
}

Outcome<JsonText> TicketService::view_of(store::Connection& c, const Actor& actor, std::int64_t id, Millis now,
                                         const MoreFields& more) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  store::Result keep;
  auto r = load_row(c, id, actor, &keep);
  if (!r) return Error::NotFound("service request " + std::to_string(id));
  return render_detail(c, *r, actor, now, settings_, more);
}

Outcome<JsonText> TicketService::get(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  const Millis now = clock_.now_ms();
  return db_.read([&](store::Connection& c) { return view_of(c, actor, id, now); });
}

Outcome<json> TicketService::timeline(const Actor& actor, std::int64_t id) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  return db_.read([&](store::Connection& c) -> Outcome<json> {
    store::Result keep;
    if (!load_row(c, id, actor, &keep)) return Error::NotFound("service request " + std::to_string(id));
    std::string sql = "SELECT id, at, actor_name, actor_role, type, action, from_state, to_state, reason, data_json, internal "
                      "FROM ticket_events WHERE ticket_id = ?";
    if (actor.is_customer()) sql += " AND internal = 0";
    json items = json::array();
    for (const auto& e : c.query(sql + " ORDER BY id", {id}).rows) {
      json data = json::parse(e.text("data_json"), nullptr, false);
      if (actor.is_customer() && data.is_object()) data.erase("cost");  // internal reasoning stays internal
      items.push_back({{"id", e.i64("id")}, {"at", format_iso8601(e.i64("at"))}, {"actor", e.text("actor_name")},
                       {"actor_role", e.text("actor_role")}, {"type", e.text("type")}, {"action", opt_text(e, "action")},
                       {"from_state", opt_text(e, "from_state")}, {"to_state", opt_text(e, "to_state")},
                       {"reason", e.text("reason")}, {"data", data}, {"internal", e.i64("internal") != 0}});
    }
    return json{{"ticket_id", id}, {"items", items}};
  });
}

Outcome<JsonText> TicketService::act(const Actor& actor, std::int64_t id, const std::string& action_name, const json& body,
                                 std::optional<std::int64_t> if_version) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  auto action = tk::ParseAction(action_name);
  if (!action) return Error::NotFound("action '" + action_name + "'");
  if (!if_version && body.contains("version")) {
    if (!body["version"].is_number_integer()) return Error::Validation({{"version", "type", "must be an integer"}});
    if_version = body["version"].get<std::int64_t>();
  }
  json payload;
  auto errors = validate_payload(*action, body, &payload);
  if (!errors.empty()) return Error::Validation(errors);
  const Millis now = clock_.now_ms();
  auto done = db_.write([&](store::Connection& c) -> Outcome<Unit> {
    store::Result keep;
    auto r = load_row(c, id, actor, &keep);
    if (!r) return Error::NotFound("service request " + std::to_string(id));
    if (if_version && r->i64("version") != *if_version) return Error::Stale(r->i64("version"));
    auto applied = apply_action(c, *r, actor, *action, payload, now, settings_);
    if (!applied) return applied.error();
    refresh_clocks(c, id, now);
    return Unit{};
  });
  if (!done) return done.error();
  const Millis after = clock_.now_ms();
  return db_.read_after_write([&](store::Connection& c) { return view_of(c, actor, id, after); });
}

namespace {
// A list counts its matches only so far past the page's start: on PostgreSQL every row counted
// is checked against the table for visibility wherever its page changed since the last vacuum,
// and the pages of open requests change all the time (new requests fill the room their updates
// leave). Counting 10,000 open requests took 50-170 ms under load there, and every write ended
// the kept page, so each reader after a write waited for that count (the p99 of the open page was
// 27-31 ms in the benchmark and its replays); counting 1,000 takes a tenth. Paging deeper counts further, so the
// count never costs much more than the OFFSET the page itself skips.
constexpr std::int64_t kListCounted = 1000;
// A search confirms every candidate by substring, so counting all its matches over a million
// requests costs many times the page (on PostgreSQL it was 300–400 ms for a 0.4 ms page): it is
// counted only as far as the next few pages, and further as the caller pages on.
constexpr std::int64_t kSearchPagesCounted = 5;

// PostgreSQL confirms each candidate of the pair index on the request row itself: for a word in
// one request of ten, 80,000 rows read to sort them by time (1.5 s at a million requests). A
// search in the list's default order (newest first) is therefore answered, cheapest first, by:
//  1. the newest requests that pass the other filters (TicketSettings::search_window of them),
//     read in the list's order and searched: the window is the start of the list, so when it holds
//     the page (and the count as far as it is counted) its first matches are the list's first;
//  2. the pair index asked for the text within the last month, then three, then twelve (each
//     request's terms include the month it was reported in, month_term): every request outside
//     those months is older than every one inside, so again the first matches are the list's;
//  3. the pair index over all requests (a rare text: few candidates).
// 1 and 2 return nullopt when they find fewer matches than needed.

JsonText page_json(const store::Result& rows, Millis now, std::int64_t total, bool exact, const ListQuery& query) {
  JsonWriter w;
  w.begin_object().key("items").begin_array();
  for (const auto& r : rows.rows) {
    w.begin_object();
    write_summary_fields(w, r, now, false);
    w.end_object();
  }
  w.end_array();
  w.field("total", total).field("total_exact", exact).field("limit", query.limit).field("offset", query.offset).end_object();
  return JsonText{w.take()};
}

JsonText page_of_ids(store::Connection& c, const store::Result& ids, const std::string& order, const ListQuery& query,
                 std::int64_t cap, Millis now) {
  const auto found = static_cast<std::int64_t>(ids.rows.size());
  std::vector<Value> page;
  std::string marks;
  for (std::int64_t i = query.offset; i < query.offset + query.limit && i < found; ++i) {
    page.push_back(ids.rows[static_cast<size_t>(i)].i64("id"));
    marks += marks.empty() ? "?" : ", ?";
  }
  const auto rows = page.empty() ? store::Result{}
                                  : c.query(kTicketSelect + " WHERE t.id IN (" + marks + ") ORDER BY " +
                                                order + ", t.id DESC",
                                            page);
  // Only called with more matches than the count's cap: the total is that lower bound.
  return page_json(rows, now, cap, false, query);
}

std::int64_t matches_wanted(const ListQuery& query, std::int64_t cap) {
  return std::max<std::int64_t>(query.offset + query.limit, cap + 1);
}

std::optional<JsonText> search_newest_first(store::Connection& c, const std::string& filters,
                                        const std::vector<Value>& filter_params, const std::string& search,
                                        const std::vector<Value>& search_params, const std::string& order,
                                        const ListQuery& query, std::int64_t cap, std::int64_t window, Millis now) {
  const std::int64_t wanted = matches_wanted(query, cap);
  std::vector<Value> params = filter_params;
  params.push_back(window);
  params.insert(params.end(), search_params.begin(), search_params.end());
  params.push_back(wanted);
  const auto ids = c.query("SELECT t.id FROM (SELECT t.id, t.number, t.title, t.description, t.search_terms, "
                           "t.reported_at FROM tickets t" + filters + " ORDER BY " + order + ", t.id DESC LIMIT ?) AS t "
                           "WHERE " + search + " ORDER BY " + order + ", t.id DESC LIMIT ?",
                           params);
  if (static_cast<std::int64_t>(ids.rows.size()) < wanted) return std::nullopt;
  return page_of_ids(c, ids, order, query, cap, now);
}

std::optional<JsonText> search_recent_months(store::Connection& c, const std::string& filters,
                                         const std::vector<Value>& filter_params, const std::string& search,
                                         const std::vector<Value>& search_params, const ListQuery& query,
                                         std::int64_t cap, Millis now) {
  // The months count back from the newest report, not from the clock: no request is newer.
  const auto newest = c.query("SELECT max(reported_at) AS m FROM tickets");
  if (newest.rows.empty() || newest.rows[0].is_null("m")) return std::nullopt;
  const std::int64_t wanted = matches_wanted(query, cap);
  for (const int months : {1, 3, 12}) {
    std::vector<Value> params = filter_params;
    params.insert(params.end(), search_params.begin(), search_params.end());
    params.push_back(pg_array_literal(recent_month_terms(newest.rows[0].i64("m"), months)));
    params.push_back(wanted);
    // "+ 0" keeps PostgreSQL from walking the time index and testing every request it passes
    // (the window above did that already): the pair index answers, then its few rows are sorted.
    const auto ids = c.query("SELECT t.id FROM tickets t" + filters + " AND " + search +
                                 " AND t.search_terms && ?::text[] ORDER BY t.reported_at + 0 DESC, t.id + 0 DESC LIMIT ?",
                             params);
    if (static_cast<std::int64_t>(ids.rows.size()) >= wanted) return page_of_ids(c, ids, "t.reported_at DESC", query, cap, now);
  }
  return std::nullopt;
}

}  // namespace

Outcome<JsonText> TicketService::list(const Actor& actor, const ListQuery& query) {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  const Millis now = clock_.now_ms();
  std::string where = " WHERE 1=1";
  std::vector<Value> params;
  if (actor.is_customer()) {
    where += " AND t.customer_id = ?";
    params.push_back(actor.customer_id.value_or(-1));
  }
  auto id_filter = [&](const std::string& key, const std::string& column) -> std::optional<Error> {
    auto it = query.filters.find(key);
    if (it == query.filters.end()) return std::nullopt;
    const auto& v = it->second;
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
      return Error::BadRequest(key + " must be an id", key, "type");
    where += " AND " + column + " = ?";
    params.push_back(static_cast<std::int64_t>(std::stoll(v)));
    return std::nullopt;
  };
  auto set_filter = [&](const std::string& key, const std::string& column) {
    auto it = query.filters.find(key);
    if (it == query.filters.end()) return;
    std::string marks;
    size_t start = 0;
    const auto& v = it->second;
    while (start <= v.size()) {
      size_t end = v.find(',', start);
      if (end == std::string::npos) end = v.size();
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(v.substr(start, end - start));
      start = end + 1;
    }
    where += " AND " + column + " IN (" + marks + ")";
  };
  static const std::set<std::string> known = {"state", "grade", "nature", "channel", "project_id", "customer_id", "team_id",
                                              "assignee_staff_id", "asset_id", "reported_from", "reported_to", "sla_risk", "open"};
  for (const auto& [k, v] : query.filters)
    if (!known.count(k)) return Error::BadRequest("'" + k + "' is not a filter of request lists", k, "unknown");
  set_filter("state", "t.state");
  set_filter("grade", "t.grade");
  set_filter("nature", "t.nature");
  set_filter("channel", "t.channel");
  for (auto [k, col] : std::vector<std::pair<std::string, std::string>>{{"project_id", "t.project_id"}, {"customer_id", "t.customer_id"},
                                                                         {"team_id", "t.team_id"}, {"assignee_staff_id", "t.assignee_staff_id"},
                                                                         {"asset_id", "t.asset_id"}})
    if (auto e = id_filter(k, col)) return *e;
  for (auto [k, op] : std::vector<std::pair<std::string, std::string>>{{"reported_from", ">="}, {"reported_to", "<"}}) {
    auto it = query.filters.find(k);
    if (it == query.filters.end()) continue;
    Millis t;
    if (!parse_iso8601(it->second, &t)) return Error::BadRequest(k + " must be an RFC 3339 time", k, "format");
    where += " AND t.reported_at " + op + " ?";
    params.push_back(t);
  }
  if (query.filters.count("open")) {
    const auto& v = query.filters.at("open");
    if (v != "true" && v != "false") return Error::BadRequest("open must be true or false", "open", "type");
    where += " AND " + (v == "true" ? open_states_condition("t.state") : finished_states_condition("t.state"));
  }
  if (query.filters.count("sla_risk")) {
    const auto& v = query.filters.at("sla_risk");
    if (v == "breached") {
      where += " AND t.next_due_at <= ?";
      params.push_back(now);
    } else if (v == "at_risk") {
      where += " AND t.next_due_at > ? AND t.next_risk_at <= ?";
      params.push_back(now);
      params.push_back(now);
    } else if (v == "on_track") {
      where += " AND t.next_due_at > ? AND (t.next_risk_at IS NULL OR t.next_risk_at > ?)";
      params.push_back(now);
      params.push_back(now);
    } else {
      return Error::BadRequest("sla_risk must be breached, at_risk or on_track", "sla_risk", "enum");
    }
  }
  static const std::map<std::string, std::string> sorts = {{"reported_at", "t.reported_at"}, {"created_at", "t.created_at"},
                                                           {"updated_at", "t.updated_at"}, {"number", "t.number"},
                                                           {"next_due_at", "t.next_due_at"}, {"grade", "t.grade"}, {"state", "t.state"}};
  std::string order = "t.reported_at DESC";
  if (!query.sort.empty()) {
    bool desc = query.sort[0] == '-';
    auto it = sorts.find(desc ? query.sort.substr(1) : query.sort);
    if (it == sorts.end()) return Error::BadRequest("cannot sort requests by '" + query.sort + "'", "sort", "enum");
    // Requests without a due time sort after those with one, whichever the direction.
    // (the expression matches the index tickets_due_order, so an ascending sort reads it in order)
    order = (it->first == "next_due_at" ? std::string("(t.next_due_at IS NULL), ") : std::string()) +
            it->second + (desc ? " DESC" : " ASC");
  }
  const bool by_reported = query.sort.empty() || query.sort == "reported_at" || query.sort == "-reported_at";
  const bool newest_first = query.sort.empty() || query.sort == "-reported_at";
  return db_.read([&](store::Connection& c) -> Outcome<JsonText> {
    // Counting every match of a broad filter over a million requests would cost more than the
    // page itself: past the cap the total is reported as a lower bound (total_exact false).
    const std::int64_t cap = static_cast<std::int64_t>(query.offset) +
                             (query.q.empty() ? kListCounted : kSearchPagesCounted * query.limit);
    // `where` and `params` so far hold the filters; the search is added here, in the same snapshot
    // as the plan choice that depends on the number of candidates.
    if (!query.q.empty()) {
      std::vector<Value> search_params;
      const std::string search =
          search_condition(c.dialect(), query.q, &search_params, many_search_candidates(c, query.q));
      if (c.dialect() == store::Dialect::kPostgres && by_reported) {
        if (auto found = search_newest_first(c, where, params, search, search_params, order, query, cap,
                                             settings_.search_window, now))
          return *found;
        if (newest_first && uses_pair_index(query.q))
          if (auto found = search_recent_months(c, where, params, search, search_params, query, cap, now))
            return *found;
      }
      where += " AND " + search;
      params.insert(params.end(), search_params.begin(), search_params.end());
    }
    auto counted = params;
    counted.push_back(cap + 1);
    auto total = c.query("SELECT count(*) AS n FROM (SELECT 1 FROM tickets t" + where + " LIMIT ?) AS m", counted);
    const std::int64_t n = std::min(total.rows[0].i64("n"), cap);
    auto page = params;
    page.push_back(static_cast<std::int64_t>(query.limit));
    page.push_back(static_cast<std::int64_t>(query.offset));
    // PostgreSQL: the page's ids first, then the names joined to those alone. Its estimate of how
    // many requests contain a set of character pairs can be off ten-thousandfold (pairs are not
    // independent), and it then joined every candidate by nested loops before sorting (2 s for a
    // search at a million requests). SQLite plans these joins per row of the page as it is.
    const std::string sql =
        c.dialect() == store::Dialect::kPostgres
            ? kTicketSelect + " WHERE t.id IN (SELECT t.id FROM tickets t" + where + " ORDER BY " + order +
                  ", t.id DESC LIMIT ? OFFSET ?) ORDER BY " + order + ", t.id DESC"
            : kTicketSelect + where + " ORDER BY " + order + ", t.id DESC LIMIT ? OFFSET ?";
    auto rows = c.query(sql, page);
    return page_json(rows, now, n, total.rows[0].i64("n") <= cap, query);
  });
}

}  // namespace aftersales::app
