#include "app/dispatch.h"

#include <date/date.h>
#include <date/tz.h>

#include <map>
#include <set>

#include "domain/dispatch/dispatch.h"

namespace aftersales::app {
namespace {

namespace dd = domain::dispatch;
using json = nlohmann::json;

// Tickets in these states no longer load anybody.
constexpr const char* kClosedStates = "('resolved', 'closed', 'archived', 'cancelled')";
// A visit arrived and never left counts as "on site now" only this long.
constexpr Millis kOpenVisitWindowMs = 24LL * 3600 * 1000;

std::vector<std::string> string_list(const std::string& text) {
  std::vector<std::string> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<std::int64_t> id_list(const std::string& text) {
  std::vector<std::int64_t> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_number_integer()) out.push_back(v.get<std::int64_t>());
    else if (v.is_object() && v.contains("staff_id") && v["staff_id"].is_number_integer())
      out.push_back(v["staff_id"].get<std::int64_t>());
  }
  return out;
}

std::optional<dd::GeoPoint> point(const store::Row& r, const char* lat, const char* lng) {
  if (r.is_null(lat) || r.is_null(lng)) return std::nullopt;
  return dd::GeoPoint{r.f64(lat), r.f64(lng)};
}

json reasons_json(const std::vector<dd::Reason>& reasons) {
  json out = json::array();
  for (const auto& r : reasons) {
    json params = json::object();
    for (const auto& [k, v] : r.params) params[k] = v;
    out.push_back({{"code", r.code}, {"params", params}, {"zh", r.zh}, {"en", r.en}, {"points", r.points}});
  }
  return out;
}

std::chrono::sys_seconds to_sys(Millis ms) { return std::chrono::sys_seconds(std::chrono::seconds(ms / 1000)); }
Millis to_ms(std::chrono::sys_seconds s) { return static_cast<Millis>(s.time_since_epoch().count()) * 1000; }

// Start of the local day containing `now` in `time_zone`, and that day as YYYY-MM-DD.
std::pair<std::chrono::sys_seconds, std::string> local_day(const std::string& time_zone, Millis now) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(time_zone.empty() ? "Asia/Shanghai" : time_zone);
  } catch (const std::exception&) {
    zone = date::locate_zone("Asia/Shanghai");
  }
  const auto now_s = to_sys(now);
  const auto local = zone->to_local(now_s);
  const auto day = date::floor<date::days>(local);
  const auto start = date::make_zoned(zone, day, date::choose::earliest).get_sys_time();
  return {std::chrono::time_point_cast<std::chrono::seconds>(start), date::format("%F", day)};
}

json weights_json(const dd::TechnicianWeights& w) {
  return {{"skill", w.skill},           {"availability", w.availability}, {"load", w.load},
          {"distance", w.distance},     {"prior_work", w.prior_work},     {"original_team", w.original_team},
          {"certificate", w.certificate}, {"selected_team", w.selected_team}};
}

}  // namespace

json DispatchSuggestion::to_json() const {
  json techs = json::array();
  for (const auto& t : technicians)
    techs.push_back({{"staff_id", t.staff_id},
                     {"name", t.name},
                     {"team_id", t.team_id ? json(*t.team_id) : json(nullptr)},
                     {"team_name", t.team_name},
                     {"score", t.score},
                     {"reasons", t.reasons.is_null() ? json::array() : t.reasons}});
  return {{"team_id", team_id ? json(*team_id) : json(nullptr)},
          {"team_name", team_name},
          {"team_reasons", team_reasons.is_null() ? json::array() : team_reasons},
          {"technicians", techs},
          {"required_skills", required_skills},
          {"related_skills", related_skills},
          {"teams", teams.is_null() ? json::array() : teams},
          {"weights", weights.is_null() ? json::object() : weights}};
}

bool may_view_dispatch(const Actor& actor) {
  return actor.role == "admin" || actor.role == "service_manager" || actor.role == "dispatcher";
}

DispatchSuggestion suggest_dispatch(store::Connection& c, std::int64_t ticket_id, Millis now) {
  DispatchSuggestion out;
  out.team_reasons = json::array();
  auto tr = c.query(
      "SELECT t.id, t.number, t.nature, t.grade, t.project_id, t.remote_site, p.type AS project_type, p.address, "
      "p.latitude, p.longitude, p.remote, p.time_zone FROM tickets t JOIN projects p ON p.id = t.project_id "
      "WHERE t.id = ?",
      {ticket_id});
  if (tr.empty()) return out;
  const auto& t = tr.rows[0];
  const std::int64_t project_id = t.i64("project_id");

  dd::Job job;
  if (auto n = t.opt_text("nature")) job.nature = domain::grading::ParseNature(*n);
  if (auto g = t.opt_text("grade")) job.grade = domain::sla::ParseGrade(*g);
  job.project_type = domain::grading::ParseProjectType(t.text("project_type"));
  job.project_address = t.text("address");
  job.project_location = point(t, "latitude", "longitude");
  job.remote = t.i64("remote") != 0 || t.i64("remote_site") != 0;
  job.now = to_sys(now);
  auto [day_start, today] = local_day(t.text("time_zone"), now);
  job.day_start = day_start;
  job.today = today;
  const auto need = dd::RequiredSkills(job.nature, job.project_type);
  out.weights = weights_json(dd::WeightsFor(job.grade));
  out.required_skills = need.primary;
  out.related_skills = need.secondary;

  // The original construction team of the project.
  std::set<std::int64_t> original;
  for (const auto& r : c.query("SELECT staff_id FROM project_staff WHERE project_id = ?", {project_id}).rows)
    original.insert(r.i64("staff_id"));

  // Teams.
  std::vector<dd::TeamCandidate> teams;
  {
    auto rows = c.query(
        "SELECT tm.id, tm.name, tm.skills, tm.areas, "
        "(SELECT count(*) FROM staff s WHERE s.team_id = tm.id AND s.active = 1) AS active_members, "
        "(SELECT count(*) FROM project_staff ps JOIN staff s ON s.id = ps.staff_id "
        " WHERE ps.project_id = ? AND s.team_id = tm.id) AS original_members "
        "FROM teams tm ORDER BY tm.id",
        {project_id});
    for (const auto& r : rows.rows)
      teams.push_back({r.i64("id"), r.text("name"), string_list(r.text("skills")), string_list(r.text("areas")),
                       static_cast<int>(r.i64("active_members")), static_cast<int>(r.i64("original_members"))});
  }
  auto ranked_teams = dd::RankTeams(job, need, teams, static_cast<int>(original.size()));
  for (const auto& ts : ranked_teams)
    out.teams.push_back({{"id", ts.id}, {"name", ts.name}, {"score", ts.score}, {"eligible", ts.eligible},
                         {"reasons", reasons_json(ts.reasons)}});
  std::optional<std::int64_t> selected;
  if (!ranked_teams.empty() && ranked_teams.front().eligible) {
    const auto& best = ranked_teams.front();
    selected = best.id;
    out.team_id = best.id;
    out.team_name = best.name;
    out.team_reasons = reasons_json(best.reasons);
    out.team_reasons.insert(out.team_reasons.begin(),
                            json{{"code", "team_score"},
                                 {"params", {{"score", std::to_string(static_cast<int>(best.score + 0.5))}}},
                                 {"zh", "班组匹配得分 " + std::to_string(static_cast<int>(best.score + 0.5))},
                                 {"en", "team match score " + std::to_string(static_cast<int>(best.score + 0.5))},
                                 {"points", best.score}});
  } else {
    std::vector<dd::Reason> none = {{"no_matching_team", {{"skills", dd::JoinSkillsEn(need.primary)}},
                                     "没有技能与服务区域都匹配的班组，请人工指定",
                                     "no team matches both the skill and the area: choose one by hand", 0}};
    if (job.remote)
      none.push_back({"remote_project", {}, "偏远项目，可考虑由合作资源（当地合作单位）服务",
                      "remote project: a local partner (合作资源) may serve it", 0});
    out.team_reasons = reasons_json(none);
  }

  // Technicians: every active staff member.
  std::vector<dd::TechnicianCandidate> techs;
  std::map<std::int64_t, std::size_t> index;
  {
    auto rows = c.query(
        "SELECT s.id, s.name, s.team_id, tm.name AS team_name, s.skills, "
        "hc.name AS home_name, hc.latitude AS home_lat, hc.longitude AS home_lng, "
        "tc.name AS team_centre_name, tc.latitude AS tc_lat, tc.longitude AS tc_lng "
        "FROM staff s LEFT JOIN teams tm ON tm.id = s.team_id "
        "LEFT JOIN service_centres hc ON hc.id = s.home_centre_id "
        "LEFT JOIN service_centres tc ON tc.id = tm.service_centre_id "
        "WHERE s.active = 1 ORDER BY s.id");
    for (const auto& r : rows.rows) {
      dd::TechnicianCandidate tc;
      tc.staff_id = r.i64("id");
      tc.name = r.text("name");
      tc.team_id = r.opt_i64("team_id");
      tc.team_name = r.text("team_name");
      tc.skills = string_list(r.text("skills"));
      tc.active = true;
      if (auto home = point(r, "home_lat", "home_lng")) {
        tc.home = home;
        tc.home_name = r.text("home_name");
      } else if (auto centre = point(r, "tc_lat", "tc_lng")) {
        tc.home = centre;
        tc.home_name = r.text("team_centre_name");
      }
      tc.original_team = original.count(tc.staff_id) > 0;
      index[tc.staff_id] = techs.size();
      techs.push_back(std::move(tc));
    }
  }
  auto find = [&](std::int64_t id) -> dd::TechnicianCandidate* {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &techs[it->second];
  };

  // Certificates.
  for (const auto& r : c.query("SELECT staff_id, name, expires_on FROM staff_certificates ORDER BY id").rows)
    if (auto* tc = find(r.i64("staff_id"))) tc->certificates.push_back({r.text("name"), r.opt_text("expires_on")});

  // Current load: open requests other than this one, assigned or held.
  {
    auto rows = c.query(std::string("SELECT a.staff_id AS staff_id, a.ticket_id AS ticket_id FROM ticket_assignments a "
                                    "JOIN tickets t ON t.id = a.ticket_id WHERE a.released_at IS NULL AND t.id <> ? "
                                    "AND t.state NOT IN ") + kClosedStates +
                            " UNION SELECT t.assignee_staff_id AS staff_id, t.id AS ticket_id FROM tickets t "
                            "WHERE t.assignee_staff_id IS NOT NULL AND t.id <> ? AND t.state NOT IN " + kClosedStates,
                        {ticket_id, ticket_id});
    std::map<std::int64_t, std::set<std::int64_t>> open;
    for (const auto& r : rows.rows) open[r.i64("staff_id")].insert(r.i64("ticket_id"));
    for (const auto& [sid, ids] : open)
      if (auto* tc = find(sid)) tc->open_requests = static_cast<int>(ids.size());
  }

  // Prior work on the project: other requests of it he was assigned to.
  {
    auto rows = c.query("SELECT a.staff_id AS staff_id, a.ticket_id AS ticket_id FROM ticket_assignments a "
                        "JOIN tickets t ON t.id = a.ticket_id WHERE t.project_id = ? AND t.id <> ? "
                        "UNION SELECT t.assignee_staff_id AS staff_id, t.id AS ticket_id FROM tickets t "
                        "WHERE t.project_id = ? AND t.id <> ? AND t.assignee_staff_id IS NOT NULL",
                        {project_id, ticket_id, project_id, ticket_id});
    std::map<std::int64_t, std::set<std::int64_t>> prior;
    for (const auto& r : rows.rows) prior[r.i64("staff_id")].insert(r.i64("ticket_id"));
    for (const auto& [sid, ids] : prior)
      if (auto* tc = find(sid)) tc->prior_requests = static_cast<int>(ids.size());
  }

  // Whereabouts: visits that arrived today or are still open. The position is the visit's own,
  // else its project's; the people are the visit's staff, else the request's assignee.
  {
    const Millis lower = std::min(to_ms(job.day_start), now - kOpenVisitWindowMs);
    auto rows = c.query(
        "SELECT v.id, v.ticket_id, v.staff_ids, v.arrived_at, v.left_at, t.number, t.assignee_staff_id, "
        "COALESCE(v.latitude, p.latitude) AS lat, COALESCE(v.longitude, p.longitude) AS lng "
        "FROM visits v JOIN tickets t ON t.id = v.ticket_id JOIN projects p ON p.id = t.project_id "
        "WHERE v.arrived_at IS NOT NULL AND v.arrived_at <= ? AND v.arrived_at >= ? ORDER BY v.arrived_at, v.id",
        {now, lower});
    for (const auto& r : rows.rows) {
      auto people = id_list(r.text("staff_ids"));
      if (people.empty())
        if (auto a = r.opt_i64("assignee_staff_id")) people.push_back(*a);
      const Millis arrived = r.i64("arrived_at");
      const bool still_there = (r.is_null("left_at") || r.i64("left_at") > now) && arrived >= now - kOpenVisitWindowMs;
      const auto pos = point(r, "lat", "lng");
      for (auto sid : people) {
        auto* tc = find(sid);
        if (!tc) continue;
        if (still_there && r.i64("ticket_id") != ticket_id) tc->on_site_at = r.text("number");
        if (pos && arrived >= to_ms(job.day_start)) {  // ordered by arrival: the last one wins
          tc->last_job = pos;
          tc->last_job_at = to_sys(arrived);
        }
      }
    }
  }

  for (auto& s : dd::RankTechnicians(job, need, selected, techs, kMaxDispatchTechnicians))
    out.technicians.push_back({s.staff_id, s.name, s.team_id, s.team_name, s.score, reasons_json(s.reasons)});
  return out;
}

}  // namespace aftersales::app
