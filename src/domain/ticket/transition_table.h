// The request lifecycle as one declarative table: each row says from which
// states an action applies, where it leads, who may do it, which guards must
// hold, and which events and SLA milestones it produces. The state machine
// only interprets this table.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/sla/grade.h"
#include "domain/ticket/events.h"
#include "domain/ticket/role.h"
#include "domain/ticket/state.h"

namespace domain::ticket {

// Preconditions evaluated over the request's facts and the command.
enum class Guard {
  not_paused,            // implicit on every row unless allowed_while_paused
  is_paused,
  grade_set,             // nature and grade were chosen at triage
  is_consultation,       // short path only for consultations
  has_assignee,          // a technician is named
  reason_given,          // cancel, pause, rejections, reopen
  major_defect,          // needs the chief engineer
  not_major_defect,
  repair_allowed,        // plan is free, or chargeable and customer-confirmed
  within_reopen_window,  // closed no longer ago than the reopen window
};
inline constexpr int kGuardCount = 10;
std::string_view ToString(Guard g);

// State changes beyond the state itself, applied after a transition.
enum class Effect {
  none,
  set_paused,
  clear_paused,
  count_visit,
  set_plan_confirmed,
  clear_plan_confirmed,
  count_internal_rework,
  count_customer_rework,
  record_closed,
  count_reopen,
};

struct Transition {
  Action action;
  std::vector<State> from;
  std::optional<State> to;  // nullopt: stays in the current state
  std::vector<Role> roles;
  std::vector<Guard> guards;
  std::vector<EventType> events;
  std::vector<sla::Milestone> milestones;  // SLA milestones this reaches
  Effect effect = Effect::none;
  bool allowed_while_paused = false;
};

// The table. Rows are tried in order; for one (action, state) the first row
// whose guards hold wins (approve_plan has one row per branch).
std::span<const Transition> TransitionTable();

}  // namespace domain::ticket
