#include "domain/sla/sla_clock.h"

#include <algorithm>
#include <map>

namespace domain::sla {

using namespace std::chrono_literals;

std::string_view ToString(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::pending: return "pending";
    case MilestoneStatus::met: return "met";
    case MilestoneStatus::breached: return "breached";
  }
  return "unknown";
}

std::string_view ToString(AlertState s) {
  switch (s) {
    case AlertState::scheduled: return "scheduled";
    case AlertState::fired: return "fired";
    case AlertState::cancelled: return "cancelled";
    case AlertState::on_hold: return "on_hold";
  }
  return "unknown";
}

namespace {

struct Pause {
  sys_seconds begin;
  std::optional<sys_seconds> end;  // nullopt = still open
  PauseReason reason;
};

struct History {
  sys_seconds created;
  std::vector<std::pair<sys_seconds, Grade>> grades;  // in time order, first at creation
  std::vector<Pause> pauses;                          // in time order, non-overlapping
  std::map<Milestone, sys_seconds> reached;           // first occurrence

  Grade GradeAt(sys_seconds t) const {
    Grade g = grades.front().second;
    for (const auto& [at, grade] : grades)
      if (at <= t) g = grade;
    return g;
  }
};

Result<History> Digest(const SlaInput& input, sys_seconds now) {
  const auto& ev = input.history;
  if (ev.empty() || ev.front().kind != SlaEvent::Kind::created)
    return Fail("invalid_sla_history", "the history must start with the creation event");
  History h;
  h.created = ev.front().at;
  h.grades.push_back({h.created, ev.front().grade});
  sys_seconds last = h.created;
  for (size_t i = 1; i < ev.size(); ++i) {
    const auto& e = ev[i];
    if (e.at < last) return Fail("invalid_sla_history", "events are not in time order");
    last = e.at;
    if (e.at > now) break;
    switch (e.kind) {
      case SlaEvent::Kind::created:
        return Fail("invalid_sla_history", "the request was created twice");
      case SlaEvent::Kind::grade_changed: h.grades.push_back({e.at, e.grade}); break;
      case SlaEvent::Kind::paused:
        if (!h.pauses.empty() && !h.pauses.back().end)
          return Fail("invalid_sla_history", "paused while already paused");
        h.pauses.push_back({e.at, std::nullopt, e.reason});
        break;
      case SlaEvent::Kind::resumed:
        if (h.pauses.empty() || h.pauses.back().end)
          return Fail("invalid_sla_history", "resumed while not paused");
        h.pauses.back().end = e.at;
        break;
      case SlaEvent::Kind::milestone_reached: h.reached.try_emplace(e.milestone, e.at); break;
    }
  }
  return h;
}

// One milestone's clock: working time on `cal` from `start`, minus the
// working time of the pauses that stop it, observed up to `horizon`.
class Clock {
 public:
  Clock(const calendar::Calendar& cal, sys_seconds start, std::vector<Pause> pauses)
      : cal_(cal), start_(start), pauses_(std::move(pauses)) {}

  // Working time consumed in [start, t).
  seconds UsedAt(sys_seconds t) const {
    if (t <= start_) return 0s;
    return cal_.Between(start_, t) - PausedBefore(t);
  }

  // Working time inside pauses in [start, t).
  seconds PausedBefore(sys_seconds t) const {
    seconds paused{0};
    for (const auto& p : pauses_) {
      if (p.begin >= t) break;
      sys_seconds e = p.end ? std::min(*p.end, t) : t;
      paused += cal_.Between(p.begin, e);
    }
    return paused;
  }

  // The earliest instant at which the clock has consumed `x`; nullopt when
  // that instant lies beyond an open pause (not known yet).
  std::optional<sys_seconds> When(seconds x) const {
    if (x <= 0s) return start_;
    seconds remaining = x;
    sys_seconds cursor = start_;
    for (const auto& p : pauses_) {
      if (p.begin > cursor) {
        seconds avail = cal_.Between(cursor, p.begin);
        if (avail >= remaining) return cal_.Add(cursor, remaining);
        remaining -= avail;
      }
      if (!p.end) return std::nullopt;
      cursor = std::max(cursor, *p.end);
    }
    return cal_.Add(cursor, remaining);
  }

 private:
  const calendar::Calendar& cal_;
  sys_seconds start_;
  std::vector<Pause> pauses_;
};

}  // namespace

Result<SlaReport> EvaluateSla(const SlaPolicy& policy, const CalendarSet& calendars,
                              const SlaInput& input, sys_seconds now) {
  auto digested = Digest(input, now);
  if (!digested) return Fail(digested.error());
  const History& h = *digested;

  SlaReport report;
  report.grade = h.grades.back().second;
  report.paused = !h.pauses.empty() && !h.pauses.back().end;
  if (report.paused) report.pause_reason = h.pauses.back().reason;

  for (int mi = 0; mi < kMilestoneCount; ++mi) {
    auto m = static_cast<Milestone>(mi);
    auto reached_it = h.reached.find(m);
    std::optional<sys_seconds> reached;
    if (reached_it != h.reached.end()) reached = reached_it->second;

    // A reached milestone is judged by the grade in force when it was reached.
    Grade judged = report.grade;
    if (reached && policy.Find(h.GradeAt(*reached), m)) judged = h.GradeAt(*reached);
    const MilestoneRule* rule = policy.Find(judged, m);
    if (rule == nullptr) continue;
    auto cal_it = calendars.find(rule->calendar);
    if (cal_it == calendars.end())
      return Fail("unknown_calendar", "the SLA policy names an unknown calendar '" + rule->calendar + "'");
    const calendar::Calendar& cal = cal_it->second;

    // The clock observes the history up to the reach (or now).
    sys_seconds horizon = reached ? *reached : now;
    std::vector<Pause> pauses;
    for (const auto& p : h.pauses) {
      if (!rule->PausedBy(p.reason) || p.begin >= horizon) continue;
      Pause q = p;
      if (reached && (!q.end || *q.end > *reached)) q.end = *reached;
      pauses.push_back(q);
    }
    const Target& target_rule =
        input.remote_site && rule->remote_target ? *rule->remote_target : rule->target;
    Clock clock(cal, h.created, pauses);

    MilestoneClock mc;
    mc.milestone = m;
    mc.judged_grade = judged;
    mc.calendar = rule->calendar;
    mc.target = target_rule.ToWorkingTime(cal, h.created);
    mc.due = clock.When(mc.target);
    mc.reached_at = reached;
    mc.used = clock.UsedAt(horizon);
    mc.remaining = mc.target - mc.used;
    mc.paused = clock.PausedBefore(horizon);
    mc.is_paused = !reached && !pauses.empty() && !pauses.back().end;
    if (reached)
      mc.status = (mc.due && *reached <= *mc.due) ? MilestoneStatus::met : MilestoneStatus::breached;
    else
      mc.status = (mc.due && now > *mc.due) ? MilestoneStatus::breached : MilestoneStatus::pending;

    for (const auto& step : policy.alerts) {
      Alert a{step, clock.When(mc.target * step.percent / 100), AlertState::scheduled};
      if (!a.at)
        a.state = AlertState::on_hold;
      else if (reached && *reached < *a.at)
        a.state = AlertState::cancelled;
      else if (*a.at <= now)
        a.state = AlertState::fired;
      if (a.state == AlertState::scheduled &&
          (!report.next_alert_at || *a.at < *report.next_alert_at))
        report.next_alert_at = a.at;
      mc.alerts.push_back(a);
    }
    report.milestones.push_back(std::move(mc));
  }
  return report;
}

}  // namespace domain::sla
