// SLA clocks of a service request: which policy and calendars apply to its project, the
// clock history as stored, and the report as the API shows it. Computing stays in the domain
// (domain/sla/sla_clock.h); this file only gathers its inputs and maps its output.
#pragma once
#include <optional>
#include <set>
#include <string>

#include "common/clock.h"
#include "common/json_writer.h"
#include "domain/sla/policy.h"
#include "domain/sla/sla_clock.h"
#include "store/sql.h"

namespace aftersales::app {

// The calendars for a project: "hotline" is always 7×24; "on_site" follows the project's
// calendar setting ("cn-5x8": working days 09:00–17:00 on the statutory calendar; "cn-7x24").
// Built once per (zone, calendar) and cached; throws std::runtime_error for an unknown zone.
const domain::sla::CalendarSet& calendars_for(const std::string& time_zone, const std::string& calendar);

// The policy in force for a project (the default policy of PRODUCT.md until policies are
// configurable per tier and project).
const domain::sla::SlaPolicy& policy_for(const std::string& policy_name);

// The stored clock history of a ticket, oldest first. A ticket without history (imported
// data) gets a synthetic creation at `reported_at` on `grade`.
domain::sla::SlaInput load_sla_input(store::Connection& c, std::int64_t ticket_id, Millis reported_at,
                                     domain::sla::Grade grade, bool remote_site);

// Appends one clock event.
void append_sla_event(store::Connection& c, std::int64_t ticket_id, const domain::sla::SlaEvent& e);

struct SlaSummary {
  std::optional<domain::sla::SlaReport> report;  // absent when the evaluation failed
  std::string error;                    // why it failed
  std::optional<Millis> next_alert_at;  // for the watch job
  std::optional<Millis> next_due_at;    // the earliest open milestone's due
  std::string next_milestone;
};

// Evaluates the clocks at `now`. Never fails: an evaluation error is kept in the summary (and
// shown as the report's "error") so a bad history cannot make a request unreadable.
SlaSummary evaluate_sla(const domain::sla::SlaInput& input, const std::string& time_zone,
                        const std::string& calendar, const std::string& policy_name, Millis now);

// The report as the API shows it: every milestone's due time, status, used and remaining
// working time and alerts, or {"error": …}.
void write_sla(JsonWriter& w, const SlaSummary& summary);

// What lists and the watch job read of a request's clocks, stored on its row.
struct ClockColumns {
  std::optional<Millis> next_alert_at;  // the earliest alert not yet raised
  std::optional<Millis> next_due_at;    // the due of the open milestone due next
  std::string next_milestone;           // empty with no next_due_at
  std::optional<Millis> next_risk_at;   // at risk from the first warning of that milestone
};

// The columns for `summary`. `raised` holds the alerts already raised, as "milestone/percent";
// a request that is done (final or closed) has none.
ClockColumns clock_columns(const SlaSummary& summary, const std::set<std::string>& raised, bool done);

Millis to_millis(std::chrono::sys_seconds t);
std::chrono::sys_seconds to_seconds(Millis ms);

}  // namespace aftersales::app
