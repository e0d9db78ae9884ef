#include "app/open_states.h"
#include "app/dashboard.h"

#include <set>

namespace aftersales::app {

using json = nlohmann::json;

namespace {

// (built on first use: it reads the domain's state names, which are other statics)
const std::string& open_condition() {
  static const std::string sql = open_states_condition("t.state");
  return sql;
}

json ratio(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? json(static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

}  // namespace

Outcome<json> dashboard(store::Database& db, const Actor& actor, Millis from, Millis to, Millis now) {
  static const std::set<std::string> allowed = {"admin", "service_manager", "dispatcher", "tech_lead",
                                                "quality_inspector", "project_manager", "agent"};
  if (!allowed.count(actor.role)) return Error::Forbidden("Role '" + actor.role + "' has no dashboard");
  if (to <= from) return Error::BadRequest("to must be after from", "to", "order");
  return db.read([&](store::Connection& c) -> Outcome<json> {
    json out = {{"from", format_iso8601(from)}, {"to", format_iso8601(to)}};

    json by_grade = json::array();
    for (const auto& r : c.query(std::string("SELECT COALESCE(t.grade, 'ungraded') AS g, count(*) AS n FROM tickets t WHERE ") +
                                     open_condition() + " GROUP BY COALESCE(t.grade, 'ungraded') ORDER BY n DESC").rows)
      by_grade.push_back({{"grade", r.text("g")}, {"count", r.i64("n")}});
    out["open_by_grade"] = by_grade;

    json by_state = json::array();
    for (const auto& r : c.query(std::string("SELECT t.state, count(*) AS n FROM tickets t WHERE ") + open_condition() +
                                     " GROUP BY t.state ORDER BY n DESC").rows)
      by_state.push_back({{"state", r.text("state")}, {"count", r.i64("n")}});
    out["open_by_state"] = by_state;

    // A request kept its promise when no milestone reached 100 % of its target (no escalation
    // at step 100 was raised for it).
    const std::string breached = "EXISTS (SELECT 1 FROM ticket_alerts a WHERE a.ticket_id = t.id AND a.step = '100')";
    json sla_grade = json::array();
    for (const auto& r : c.query("SELECT COALESCE(t.grade, t.sla_grade, 'ungraded') AS g, count(*) AS n, "
                                 "SUM(CASE WHEN " + breached + " THEN 1 ELSE 0 END) AS b FROM tickets t "
                                 "WHERE t.reported_at >= ? AND t.reported_at < ? AND t.state <> 'cancelled' "
                                 "GROUP BY COALESCE(t.grade, t.sla_grade, 'ungraded') ORDER BY n DESC",
                                 {from, to}).rows)
      sla_grade.push_back({{"grade", r.text("g")}, {"total", r.i64("n")}, {"breached", r.i64("b")},
                           {"compliance", ratio(r.i64("n") - r.i64("b"), r.i64("n"))}});
    out["sla_by_grade"] = sla_grade;

    json sla_team = json::array();
    for (const auto& r : c.query("SELECT x.team_id, tm.name AS team, x.n, x.b FROM "
                                 "(SELECT t.team_id, count(*) AS n, SUM(CASE WHEN " + breached + " THEN 1 ELSE 0 END) AS b "
                                 "FROM tickets t WHERE t.reported_at >= ? AND t.reported_at < ? AND t.state <> 'cancelled' "
                                 "AND t.team_id IS NOT NULL GROUP BY t.team_id) x "
                                 "JOIN teams tm ON tm.id = x.team_id ORDER BY x.n DESC, x.team_id",
                                 {from, to}).rows)
      sla_team.push_back({{"team_id", r.i64("team_id")}, {"team", r.text("team")}, {"total", r.i64("n")},
                          {"breached", r.i64("b")}, {"compliance", ratio(r.i64("n") - r.i64("b"), r.i64("n"))}});
    out["sla_by_team"] = sla_team;

    const Millis day = 86400LL * 1000;
    json ageing = json::array();
    auto age = c.query(std::string("SELECT ") +
                           "SUM(CASE WHEN t.reported_at > ? THEN 1 ELSE 0 END) AS a, "
                           "SUM(CASE WHEN t.reported_at <= ? AND t.reported_at > ? THEN 1 ELSE 0 END) AS b, "
                           "SUM(CASE WHEN t.reported_at <= ? AND t.reported_at > ? THEN 1 ELSE 0 END) AS c, "
                           "SUM(CASE WHEN t.reported_at <= ? AND t.reported_at > ? THEN 1 ELSE 0 END) AS d, "
                           "SUM(CASE WHEN t.reported_at <= ? THEN 1 ELSE 0 END) AS e FROM tickets t WHERE " + open_condition(),
                       {now - day, now - day, now - 3 * day, now - 3 * day, now - 7 * day, now - 7 * day, now - 30 * day,
                        now - 30 * day});
    const auto& ar = age.rows[0];
    const char* buckets[] = {"lt_1d", "1_3d", "3_7d", "7_30d", "gt_30d"};
    const char* cols[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; ++i) ageing.push_back({{"bucket", buckets[i]}, {"count", ar.is_null(cols[i]) ? 0 : ar.i64(cols[i])}});
    out["backlog_ageing"] = ageing;

    json natures = json::array();
    for (const auto& r : c.query("SELECT t.nature, count(*) AS n FROM tickets t WHERE t.reported_at >= ? AND t.reported_at < ? "
                                 "AND t.nature IS NOT NULL GROUP BY t.nature ORDER BY n DESC, t.nature LIMIT 8",
                                 {from, to}).rows)
      natures.push_back({{"nature", r.text("nature")}, {"count", r.i64("n")}});
    out["top_natures"] = natures;

    json locations = json::array();
    // Counted on the covering index first; only the top eight are joined to their names.
    for (const auto& r : c.query("SELECT x.asset_id, a.name AS asset, p.name AS project, x.n FROM "
                                 "(SELECT t.asset_id, count(*) AS n FROM tickets t "
                                 "WHERE t.reported_at >= ? AND t.reported_at < ? AND t.asset_id IS NOT NULL "
                                 "GROUP BY t.asset_id ORDER BY n DESC, t.asset_id LIMIT 8) x "
                                 "JOIN assets a ON a.id = x.asset_id JOIN projects p ON p.id = a.project_id "
                                 "ORDER BY x.n DESC, x.asset_id",
                                 {from, to}).rows)
      locations.push_back({{"asset_id", r.i64("asset_id")}, {"asset", r.text("asset")}, {"project", r.text("project")},
                           {"count", r.i64("n")}});
    out["top_locations"] = locations;

    auto sat = c.query("SELECT count(*) AS n, AVG(score_response_speed) AS rs, AVG(score_attitude) AS at, "
                       "AVG(score_competence) AS co, AVG(score_effectiveness) AS ef, AVG(score_communication) AS cm "
                       "FROM follow_ups WHERE surveyed_at >= ? AND surveyed_at < ? AND score_attitude IS NOT NULL",
                       {from, to});
    const auto& sr = sat.rows[0];
    auto avg = [&](const char* col) { return sr.is_null(col) ? json(nullptr) : json(sr.f64(col)); };
    out["satisfaction"] = {{"answers", sr.i64("n")}, {"response_speed", avg("rs")}, {"attitude", avg("at")},
                           {"competence", avg("co")}, {"effectiveness", avg("ef")}, {"communication", avg("cm")}};

    auto res = c.query("SELECT count(*) AS n, SUM(CASE WHEN t.state IN ('resolved', 'closed', 'archived') THEN 1 ELSE 0 END) AS r "
                       "FROM tickets t WHERE t.reported_at >= ? AND t.reported_at < ? AND t.state <> 'cancelled'",
                       {from, to});
    std::int64_t reported = res.rows[0].i64("n"), resolved = res.rows[0].is_null("r") ? 0 : res.rows[0].i64("r");
    out["reported"] = reported;
    out["resolved"] = resolved;
    out["resolution_rate"] = ratio(resolved, reported);
    return out;
  });
}

}  // namespace aftersales::app
