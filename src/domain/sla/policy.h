// SLA policies: per grade, a target per milestone, each counted on a named
// calendar; overrides per customer tier and per project (区别化服务).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/calendar/calendar.h"
#include "domain/result.h"
#include "domain/sla/grade.h"

namespace domain::sla {

using std::chrono::seconds;

// Calendar names used by the default policy.
inline constexpr std::string_view kHotlineCalendar = "hotline";  // 7×24
inline constexpr std::string_view kOnSiteCalendar = "on_site";   // 5×8, statutory

// Calendars by name, as referenced from milestone rules.
using CalendarSet = std::map<std::string, calendar::Calendar, std::less<>>;

// A promised time. Either a working duration ("2 h", "1 working day" = one
// standard day of working time) or "by the end of the n-th working day".
struct Target {
  enum class Kind { working_duration, working_days, end_of_working_day };
  Kind kind = Kind::working_duration;
  seconds duration{0};  // working_duration
  int days = 0;         // working_days, end_of_working_day

  static Target Duration(seconds d) { return {Kind::working_duration, d, 0}; }
  static Target WorkingDays(int n) { return {Kind::working_days, seconds{0}, n}; }
  static Target EndOfWorkingDay(int n) { return {Kind::end_of_working_day, seconds{0}, n}; }

  // The target as working time on `cal` for a clock started at `start`:
  // working days become n × the standard day; "end of the n-th working day"
  // becomes the working time from start to that end.
  seconds ToWorkingTime(const calendar::Calendar& cal, std::chrono::sys_seconds start) const;

  friend bool operator==(const Target&, const Target&) = default;
};

struct MilestoneRule {
  Target target;
  std::optional<Target> remote_target = std::nullopt;  // used for remote sites when set
  std::string calendar{kHotlineCalendar};
  std::vector<PauseReason> paused_by = {};  // pause reasons that stop this clock

  bool PausedBy(PauseReason r) const;
};

using GradePolicy = std::map<Milestone, MilestoneRule>;

// A warning or escalation step at a percentage of the target.
struct AlertStep {
  int percent;              // of the milestone's target, e.g. 75, 100, 150
  int level;                // 0 = warning; 1, 2 … escalation levels
  std::string notify_role;  // who is told: "assignee", "service_manager", …

  friend bool operator==(const AlertStep&, const AlertStep&) = default;
};

struct SlaPolicy {
  std::string name;
  std::map<Grade, GradePolicy> grades;
  std::vector<AlertStep> alerts;  // sorted by percent

  // The rule for a grade and milestone, or nullptr when none applies.
  const MilestoneRule* Find(Grade g, Milestone m) const;
};

// An override layer: per grade per milestone, a replacement rule, or nullopt
// to remove the target. Alert steps replace the base steps when set.
struct PolicyOverride {
  std::string name;
  std::map<Grade, std::map<Milestone, std::optional<MilestoneRule>>> rules;
  std::optional<std::vector<AlertStep>> alerts;
};

// The default policy of PRODUCT.md ("Grades and promised times"). Every clock
// is on the hotline calendar except the general defect's "1 working day",
// which is on the on-site calendar.
SlaPolicy DefaultPolicy();

// The calendars the default policy names: "hotline" (7×24) and "on_site"
// (Mon–Fri 09:00–17:00 with the built-in Chinese statutory calendar), in `zone`.
CalendarSet DefaultCalendars(const date::time_zone* zone);

// base ← tier ← project, per grade per milestone: the most specific layer that
// mentions a (grade, milestone) wins; nullptr layers are skipped.
SlaPolicy ResolvePolicy(const SlaPolicy& base, const PolicyOverride* tier,
                        const PolicyOverride* project);

// Checks that every rule names a calendar of `calendars`, that targets are
// positive, and that alert percentages are positive. Error code
// "invalid_sla_policy" naming the grade and milestone.
Status ValidatePolicy(const SlaPolicy& policy, const CalendarSet& calendars);

}  // namespace domain::sla
