#include "domain/sla/policy.h"

#include <algorithm>

#include "domain/calendar/builtin_calendars.h"

namespace domain::sla {

using namespace std::chrono_literals;

seconds Target::ToWorkingTime(const calendar::Calendar& cal, std::chrono::sys_seconds start) const {
  switch (kind) {
    case Kind::working_duration: return duration;
    case Kind::working_days: return cal.WorkingDayLength() * days;
    case Kind::end_of_working_day: return cal.Between(start, cal.EndOfNthWorkingDay(start, days));
  }
  return duration;
}

bool MilestoneRule::PausedBy(PauseReason r) const {
  return std::find(paused_by.begin(), paused_by.end(), r) != paused_by.end();
}

const MilestoneRule* SlaPolicy::Find(Grade g, Milestone m) const {
  auto gi = grades.find(g);
  if (gi == grades.end()) return nullptr;
  auto mi = gi->second.find(m);
  return mi == gi->second.end() ? nullptr : &mi->second;
}

namespace {

// Contact and acknowledgement do not depend on the customer, so nothing
// pauses them; on-site work waits for access, resolution also for parts.
MilestoneRule Rule(Milestone m, Target t, std::string_view cal = kHotlineCalendar) {
  MilestoneRule r{t, std::nullopt, std::string(cal), {}};
  switch (m) {
    case Milestone::propose_solution:
    case Milestone::depart:
    case Milestone::arrive_on_site:
      r.paused_by = {PauseReason::waiting_customer, PauseReason::customer_requested};
      break;
    case Milestone::resolve:
      r.paused_by = {PauseReason::waiting_customer, PauseReason::customer_requested,
                     PauseReason::waiting_parts};
      break;
    default: break;
  }
  return r;
}

}  // namespace

SlaPolicy DefaultPolicy() {
  using M = Milestone;
  using T = Target;
  SlaPolicy p;
  p.name = "default";
  auto& e = p.grades[Grade::emergency];
  e[M::acknowledge] = Rule(M::acknowledge, T::Duration(5min));
  e[M::respond] = Rule(M::respond, T::Duration(30min));
  e[M::propose_solution] = Rule(M::propose_solution, T::Duration(2h));
  e[M::depart] = Rule(M::depart, T::Duration(1h));
  e[M::arrive_on_site] = Rule(M::arrive_on_site, T::Duration(6h));
  e[M::arrive_on_site].remote_target = T::Duration(24h);
  e[M::resolve] = Rule(M::resolve, T::Duration(48h));

  auto& c = p.grades[Grade::consultation];
  c[M::respond] = Rule(M::respond, T::Duration(10min));  // hand-off to the expert
  c[M::propose_solution] = Rule(M::propose_solution, T::Duration(2h));  // the answer

  p.grades[Grade::simple][M::respond] = Rule(M::respond, T::Duration(2h));
  p.grades[Grade::simple][M::arrive_on_site] = Rule(M::arrive_on_site, T::Duration(8h));
  p.grades[Grade::medium][M::respond] = Rule(M::respond, T::Duration(2h));
  p.grades[Grade::medium][M::arrive_on_site] = Rule(M::arrive_on_site, T::Duration(24h));
  p.grades[Grade::complex][M::respond] = Rule(M::respond, T::Duration(2h));
  p.grades[Grade::complex][M::arrive_on_site] = Rule(M::arrive_on_site, T::Duration(48h));
  p.grades[Grade::general_defect][M::respond] =
      Rule(M::respond, T::WorkingDays(1), kOnSiteCalendar);  // with a first opinion

  for (Grade g : {Grade::feedback, Grade::complaint}) {
    p.grades[g][M::acknowledge] = Rule(M::acknowledge, T::Duration(1h));
    p.grades[g][M::first_opinion] = Rule(M::first_opinion, T::Duration(24h));
  }
  p.alerts = {{75, 0, "assignee"}, {100, 1, "service_manager"}, {150, 2, "project_manager"}};
  return p;
}

CalendarSet DefaultCalendars(const date::time_zone* zone) {
  CalendarSet set;
  calendar::CalendarSpec hotline;
  hotline.name = std::string(kHotlineCalendar);
  hotline.zone = zone;
  hotline.hours = calendar::WeeklyHours::AllDay();
  set.emplace(hotline.name, calendar::Calendar::Create(hotline).value());
  calendar::CalendarSpec on_site;
  on_site.name = std::string(kOnSiteCalendar);
  on_site.zone = zone;
  on_site.hours = calendar::WeeklyHours::MondayToFriday({{calendar::Hm(9), calendar::Hm(17)}});
  on_site.special_days = calendar::CnStatutorySpecialDays();
  set.emplace(on_site.name, calendar::Calendar::Create(on_site).value());
  return set;
}

SlaPolicy ResolvePolicy(const SlaPolicy& base, const PolicyOverride* tier,
                        const PolicyOverride* project) {
  SlaPolicy out = base;
  for (const PolicyOverride* layer : {tier, project}) {
    if (layer == nullptr) continue;
    out.name += "+" + layer->name;
    for (const auto& [grade, rules] : layer->rules) {
      for (const auto& [milestone, rule] : rules) {
        if (rule)
          out.grades[grade][milestone] = *rule;
        else
          out.grades[grade].erase(milestone);
      }
    }
    if (layer->alerts) out.alerts = *layer->alerts;
  }
  std::sort(out.alerts.begin(), out.alerts.end(),
            [](const AlertStep& a, const AlertStep& b) { return a.percent < b.percent; });
  return out;
}

Status ValidatePolicy(const SlaPolicy& policy, const CalendarSet& calendars) {
  for (const auto& [grade, rules] : policy.grades) {
    for (const auto& [milestone, rule] : rules) {
      std::string where = std::string(ToString(grade)) + "/" + std::string(ToString(milestone));
      if (!calendars.contains(rule.calendar))
        return Fail("invalid_sla_policy", where + ": unknown calendar '" + rule.calendar + "'");
      for (const Target* t : {&rule.target, rule.remote_target ? &*rule.remote_target : nullptr}) {
        if (t == nullptr) continue;
        bool positive = t->kind == Target::Kind::working_duration ? t->duration > 0s : t->days > 0;
        if (!positive) return Fail("invalid_sla_policy", where + ": target must be positive");
      }
    }
  }
  for (const auto& a : policy.alerts)
    if (a.percent <= 0) return Fail("invalid_sla_policy", "alert percentages must be positive");
  return {};
}

}  // namespace domain::sla
