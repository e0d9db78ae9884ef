#include "app/ticket_sla.h"

#include <date/tz.h>

#include <map>
#include <mutex>

namespace aftersales::app {

namespace sla = domain::sla;

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

void put_time(JsonWriter& w, const std::optional<std::chrono::sys_seconds>& t) {
  if (t) w.value(format_iso8601(to_millis(*t)));
  else w.null();
}

}  // namespace

SlaSummary evaluate_sla(const sla::SlaInput& input, const std::string& time_zone, const std::string& calendar,
                        const std::string& policy_name, Millis now) {
  SlaSummary out;
  sla::SlaInput bounded = input;
  auto now_s = to_seconds(now);
  // Clock events stamped a moment after `now` (same request, rounding) must still count.
  for (auto& e : bounded.history)
    if (e.at > now_s) e.at = now_s;
  auto report = sla::EvaluateSla(policy_for(policy_name), calendars_for(time_zone, calendar), bounded, now_s);
  if (!report.ok()) {
    out.error = report.error().message;
    return out;
  }
  const auto& r = report.value();
  for (const auto& m : r.milestones)
    if (!m.reached_at && m.due) {
      Millis due = to_millis(*m.due);
      if (!out.next_due_at || due < *out.next_due_at) {
        out.next_due_at = due;
        out.next_milestone = std::string(sla::ToString(m.milestone));
      }
    }
  if (r.next_alert_at) out.next_alert_at = to_millis(*r.next_alert_at);
  out.report = r;
  return out;
}

void write_sla(JsonWriter& w, const SlaSummary& summary) {
  w.begin_object();
  if (!summary.report) {
    w.field("error", summary.error).end_object();
    return;
  }
  const auto& r = *summary.report;
  w.field("grade", sla::ToString(r.grade)).field("paused", r.paused).key("pause_reason");
  if (r.pause_reason) w.value(sla::ToString(*r.pause_reason));
  else w.null();
  w.key("milestones").begin_array();
  for (const auto& m : r.milestones) {
    w.begin_object()
        .field("milestone", sla::ToString(m.milestone))
        .field("grade", sla::ToString(m.judged_grade))
        .field("calendar", m.calendar)
        .field("target_seconds", m.target.count())
        .key("due_at");
    put_time(w, m.due);
    w.field("status", sla::ToString(m.status)).key("reached_at");
    put_time(w, m.reached_at);
    w.field("used_seconds", m.used.count())
        .field("remaining_seconds", m.remaining.count())
        .field("paused_seconds", m.paused.count())
        .field("is_paused", m.is_paused)
        .key("alerts")
        .begin_array();
    for (const auto& a : m.alerts) {
      w.begin_object().field("percent", a.step.percent).field("level", a.step.level).field("notify_role", a.step.notify_role);
      w.key("at");
      put_time(w, a.at);
      w.field("state", sla::ToString(a.state)).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("next_alert_at");
  put_time(w, r.next_alert_at);
  w.end_object();
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
