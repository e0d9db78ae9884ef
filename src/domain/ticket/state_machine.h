// Applies an action to a service request by interpreting TransitionTable():
// the result is the new facts plus the events and SLA milestones to record,
// or a typed error naming the current state and the allowed actions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/result.h"
#include "domain/sla/grade.h"
#include "domain/ticket/events.h"
#include "domain/ticket/transition_table.h"

namespace domain::ticket {

// What the guards need to know about a request. The application loads these
// from storage; the state machine returns the updated copy.
struct TicketFacts {
  State state = State::intake;
  bool paused = false;
  bool grade_set = false;         // nature and grade chosen
  bool is_consultation = false;   // grade is consultation
  bool has_assignee = false;
  bool major_defect = false;      // plan needs the chief engineer
  bool plan_chargeable = false;   // at cost or paid: customer must confirm first
  bool plan_customer_confirmed = false;
  int visits = 0;                 // arrivals on site
  int internal_rework_rounds = 0; // failed internal acceptances
  int rework_rounds = 0;          // failed customer acceptances (quality KPI)
  int reopen_count = 0;
  std::optional<std::chrono::sys_seconds> closed_at;
};

struct Command {
  Action action;
  Role role;
  std::chrono::sys_seconds at;
  std::string reason = {};  // required by cancel, pause, rejections and reopen
  // How long after closing a request may be reopened (configurable).
  std::chrono::seconds reopen_window = std::chrono::days{30};
};

struct TransitionOutcome {
  TicketFacts facts;
  std::vector<DomainEvent> events;
  std::vector<sla::Milestone> milestones;  // SLA milestones reached at `at`
};

struct TransitionError {
  enum class Kind {
    not_allowed_in_state,  // no row for this action from the current state
    role_not_allowed,      // a row exists but not for this role
    guard_failed,          // role fine, a guard does not hold
  };
  Kind kind;
  State state;
  Action action;
  std::vector<Action> allowed_actions;  // for this role in this state
  std::optional<Guard> failed_guard;
  std::string message;  // English, e.g. "cannot customer_accept in state in_repair; allowed: …"
};
std::string_view ToString(TransitionError::Kind k);

// Applies `cmd` to `facts`. Success: the new facts, the events (one per
// EventType of the row, stamped with role, time and reason) and the reached
// milestones. Failure: TransitionError; `facts` is never changed.
Result<TransitionOutcome, TransitionError> Apply(const TicketFacts& facts, const Command& cmd);

// The actions `role` may take now: rows from the current state whose role
// matches and whose guards hold, not counting reason_given (a reason is
// asked for when the action is taken). In table order, without duplicates.
std::vector<Action> AllowedActions(const TicketFacts& facts, Role role,
                                   std::chrono::sys_seconds now,
                                   std::chrono::seconds reopen_window = std::chrono::days{30});

}  // namespace domain::ticket
