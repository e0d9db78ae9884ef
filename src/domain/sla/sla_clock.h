// Evaluates a request's SLA clocks from its history: for every milestone of
// its grade, the due instant, met/breached/pending, working time used and
// remaining, and when warnings and escalations fire.
//
// The grade-change rule: every clock starts at creation. After a change of
// grade the new grade's target applies from that original start, the working
// time already consumed and all pauses are kept, so due = start + new target
// + paused working time. A milestone that was reached is judged by the grade
// in force when it was reached, so a milestone already met stays met.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "domain/result.h"
#include "domain/sla/policy.h"

namespace domain::sla {

using std::chrono::sys_seconds;

struct SlaEvent {
  enum class Kind { created, grade_changed, paused, resumed, milestone_reached };
  Kind kind;
  sys_seconds at;
  Grade grade = Grade::simple;                      // created, grade_changed
  PauseReason reason = PauseReason::other;          // paused
  Milestone milestone = Milestone::acknowledge;     // milestone_reached

  static SlaEvent Created(sys_seconds at, Grade g) { return {Kind::created, at, g}; }
  static SlaEvent GradeChanged(sys_seconds at, Grade g) { return {Kind::grade_changed, at, g}; }
  static SlaEvent Paused(sys_seconds at, PauseReason r) { return {Kind::paused, at, Grade::simple, r}; }
  static SlaEvent Resumed(sys_seconds at) { return {Kind::resumed, at}; }
  static SlaEvent Reached(sys_seconds at, Milestone m) {
    return {Kind::milestone_reached, at, Grade::simple, PauseReason::other, m};
  }
};

struct SlaInput {
  // In time order; the first event is `created`. A milestone reached twice
  // (e.g. a second arrival) counts at its first occurrence.
  std::vector<SlaEvent> history;
  bool remote_site = false;  // use the remote targets (e.g. 24 h instead of 6 h on site)
};

enum class MilestoneStatus { pending, met, breached };
std::string_view ToString(MilestoneStatus s);

enum class AlertState {
  scheduled,  // will fire at `at`
  fired,      // `at` <= now and the milestone was still open then
  cancelled,  // the milestone was reached first
  on_hold,    // the clock is paused; the instant is not known yet
};
std::string_view ToString(AlertState s);

struct Alert {
  AlertStep step;
  std::optional<sys_seconds> at;  // nullopt while on hold
  AlertState state;
};

struct MilestoneClock {
  Milestone milestone;
  Grade judged_grade;       // grade whose target applies (see the rule above)
  std::string calendar;
  seconds target;           // as working time on `calendar`
  std::optional<sys_seconds> due;  // nullopt while paused before the due
  MilestoneStatus status;
  std::optional<sys_seconds> reached_at;
  seconds used;             // working time consumed, pauses excluded
  seconds remaining;        // target − used; negative when overrun
  seconds paused;           // working time spent in pauses that stop this clock
  bool is_paused;           // an open pause currently stops this clock
  std::vector<Alert> alerts;
};

struct SlaReport {
  Grade grade;              // current grade
  bool paused;              // an open pause exists
  std::optional<PauseReason> pause_reason;
  std::vector<MilestoneClock> milestones;  // in Milestone order
  std::optional<sys_seconds> next_alert_at;  // earliest scheduled alert (for the watch job)
};

// Evaluates `input` against `policy` at `now`. Errors: "invalid_sla_history"
// (no creation event first, events out of order, pause while paused, resume
// while running) and "unknown_calendar" (a rule names a calendar missing from
// `calendars`). Events after `now` are ignored.
Result<SlaReport> EvaluateSla(const SlaPolicy& policy, const CalendarSet& calendars,
                              const SlaInput& input, sys_seconds now);

}  // namespace domain::sla
