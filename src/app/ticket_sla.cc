#include "app/ticket_sla.h"

#include <date/tz.h>

#include <map>
#include <mutex>

namespace aftersales::app {

namespace sla = domain::sla;
using json = nlohmann::json;

Millis to_millis(std::chrono::sys_seconds t) { return static_cast<Millis>(t.time_since_epoch().count()) * 1000; }
std::chrono::sys_seconds to_seconds(Millis ms) {
  return std::chrono::sys_seconds(std::chrono::seconds(ms / 1000));
}

const sla::CalendarSet& calendars_for(const std::string& time_zone, const std::string& calendar) {
  static std::mutex mu;
  static std::map<std::string, sla::CalendarSet> cache;
  std::lock_guard lock(mu);
  std::string key = time_zone + "|" + calendar;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const date::time_zone* zone = date::locate_zone(time_zone);
  sla::CalendarSet set = sla::DefaultCalendars(zone);
  if (calendar == "cn-7x24") {
    // Round-the-clock on-site service: the on-site clocks run like the hotline's.
    auto hotline = set.find(std::string(sla::kHotlineCalendar));
    set.erase(std::string(sla::kOnSiteCalendar));
    set.emplace(std::string(sla::kOnSiteCalendar), hotline->second);
  }
  return cache.emplace(key, std::move(set)).first->second;
}

const sla::SlaPolicy& policy_for(const std::string&) {
  static const sla::SlaPolicy policy = sla::DefaultPolicy();
  return policy;
}

sla::SlaInput load_sla_input(store::Connection& c, std::int64_t ticket_id, Millis reported_at, sla::Grade grade,
                             bool remote_site) {
  sla::SlaInput input;
  input.remote_site = remote_site;
  auto rows = c.query("SELECT kind, at, grade, reason, milestone FROM ticket_sla_events WHERE ticket_id = ? "
                      "ORDER BY at, id",
                      {ticket_id});
  for (const auto& r : rows.rows) {
    auto at = to_seconds(r.i64("at"));
    std::string kind = r.text("kind");
    if (kind == "created") {
      input.history.push_back(sla::SlaEvent::Created(at, sla::ParseGrade(r.text("grade")).value_or(grade)));
    } else if (kind == "grade_changed") {
      if (auto g = sla::ParseGrade(r.text("grade"))) input.history.push_back(sla::SlaEvent::GradeChanged(at, *g));
    } else if (kind == "paused") {
      input.history.push_back(
          sla::SlaEvent::Paused(at, sla::ParsePauseReason(r.text("reason")).value_or(sla::PauseReason::other)));
    } else if (kind == "resumed") {
      input.history.push_back(sla::SlaEvent::Resumed(at));
    } else if (kind == "milestone") {
      if (auto m = sla::ParseMilestone(r.text("milestone"))) input.history.push_back(sla::SlaEvent::Reached(at, *m));
    }
  }
  if (input.history.empty() || input.history.front().kind != sla::SlaEvent::Kind::created)
    input.history.insert(input.history.begin(), sla::SlaEvent::Created(to_seconds(reported_at), grade));
  return input;
}

void append_sla_event(store::Connection& c, std::int64_t ticket_id, const sla::SlaEvent& e) {
  using K = sla::SlaEvent::Kind;
  std::string kind;
  store::Value grade, reason, milestone;
  switch (e.kind) {
    case K::created: kind = "created"; grade = std::string(sla::ToString(e.grade)); break;
    case K::grade_changed: kind = "grade_changed"; grade = std::string(sla::ToString(e.grade)); break;
    case K::paused: kind = "paused"; reason = std::string(sla::ToString(e.reason)); break;
    case K::resumed: kind = "resumed"; break;
    case K::milestone_reached: kind = "milestone"; milestone = std::string(sla::ToString(e.milestone)); break;
  }
  c.query("INSERT INTO ticket_sla_events (ticket_id, kind, at, grade, reason, milestone) VALUES (?, ?, ?, ?, ?, ?)",
          {ticket_id, kind, to_millis(e.at), grade, reason, milestone});
}

namespace {

json time_or_null(const std::optional<std::chrono::sys_seconds>& t) {
  return t ? json(format_iso8601(to_millis(*t))) : json(nullptr);
}

}  // namespace

SlaSummary evaluate_sla(const sla::SlaInput& input, const std::string& time_zone, const std::string& calendar,
                        const std::string& policy_name, Millis now, bool render) {
  SlaSummary out;
  sla::SlaInput bounded = input;
  auto now_s = to_seconds(now);
  // Clock events stamped a moment after `now` (same request, rounding) must still count.
  for (auto& e : bounded.history)
    if (e.at > now_s) e.at = now_s;
  auto report = sla::EvaluateSla(policy_for(policy_name), calendars_for(time_zone, calendar), bounded, now_s);
  if (!report.ok()) {
    out.json = {{"error", report.error().message}};
    return out;
  }
  const auto& r = report.value();
  json milestones = json::array();
  for (const auto& m : r.milestones) {
    if (!m.reached_at && m.due) {
      Millis due = to_millis(*m.due);
      if (!out.next_due_at || due < *out.next_due_at) {
        out.next_due_at = due;
        out.next_milestone = std::string(sla::ToString(m.milestone));
      }
    }
    if (!render) continue;
    json alerts = json::array();
    for (const auto& a : m.alerts)
      alerts.push_back({{"percent", a.step.percent}, {"level", a.step.level}, {"notify_role", a.step.notify_role},
                        {"at", time_or_null(a.at)}, {"state", std::string(sla::ToString(a.state))}});
    milestones.push_back({{"milestone", std::string(sla::ToString(m.milestone))},
                          {"grade", std::string(sla::ToString(m.judged_grade))},
                          {"calendar", m.calendar},
                          {"target_seconds", m.target.count()},
                          {"due_at", time_or_null(m.due)},
                          {"status", std::string(sla::ToString(m.status))},
                          {"reached_at", time_or_null(m.reached_at)},
                          {"used_seconds", m.used.count()},
                          {"remaining_seconds", m.remaining.count()},
                          {"paused_seconds", m.paused.count()},
                          {"is_paused", m.is_paused},
                          {"alerts", alerts}});
  }
  if (r.next_alert_at) out.next_alert_at = to_millis(*r.next_alert_at);
  out.report = r;
  if (!render) return out;
  out.json = {{"grade", std::string(sla::ToString(r.grade))},
              {"paused", r.paused},
              {"pause_reason", r.pause_reason ? json(std::string(sla::ToString(*r.pause_reason))) : json(nullptr)},
              {"milestones", milestones},
              {"next_alert_at", time_or_null(r.next_alert_at)}};
  return out;
}

ClockColumns clock_columns(const SlaSummary& summary, const std::set<std::string>& raised, bool done) {
  ClockColumns out;
  if (done || !summary.report) return out;
  // An alert is still to be raised when scheduled, or when its instant has already passed (a
  // late report, a pause) but nobody has raised it yet.
  for (const auto& m : summary.report->milestones)
    for (const auto& a : m.alerts) {
      if ((a.state != sla::AlertState::scheduled && a.state != sla::AlertState::fired) || !a.at) continue;
      if (raised.count(std::string(sla::ToString(m.milestone)) + "/" + std::to_string(a.step.percent))) continue;
      Millis at = to_millis(*a.at);
      if (!out.next_alert_at || at < *out.next_alert_at) out.next_alert_at = at;
    }
  if (summary.next_due_at) {
    out.next_due_at = summary.next_due_at;
    out.next_milestone = summary.next_milestone;
    for (const auto& m : summary.report->milestones)
      if (sla::ToString(m.milestone) == summary.next_milestone && !m.alerts.empty() && m.alerts[0].at)
        out.next_risk_at = to_millis(*m.alerts[0].at);
  }
  return out;
}

}  // namespace aftersales::app
