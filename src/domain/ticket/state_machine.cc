#include "domain/ticket/state_machine.h"

#include <algorithm>

namespace domain::ticket {

std::string_view ToString(TransitionError::Kind k) {
  switch (k) {
    case TransitionError::Kind::not_allowed_in_state: return "not_allowed_in_state";
    case TransitionError::Kind::role_not_allowed: return "role_not_allowed";
    case TransitionError::Kind::guard_failed: return "guard_failed";
  }
  return "unknown";
}

namespace {

template <class T>
bool Contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool Holds(Guard g, const TicketFacts& f, const Command& c) {
  switch (g) {
    case Guard::not_paused: return !f.paused;
    case Guard::is_paused: return f.paused;
    case Guard::grade_set: return f.grade_set;
    case Guard::is_consultation: return f.is_consultation;
    case Guard::has_assignee: return f.has_assignee;
    case Guard::reason_given: return !c.reason.empty();
    case Guard::major_defect: return f.major_defect;
    case Guard::not_major_defect: return !f.major_defect;
    case Guard::repair_allowed: return !f.plan_chargeable || f.plan_customer_confirmed;
    case Guard::within_reopen_window:
      return f.closed_at && c.at >= *f.closed_at && c.at - *f.closed_at <= c.reopen_window;
  }
  return false;
}

// The first guard of `t` that fails, including the implicit not_paused.
std::optional<Guard> FailedGuard(const Transition& t, const TicketFacts& f, const Command& c,
                                 bool ignore_reason) {
  if (!t.allowed_while_paused && f.paused) return Guard::not_paused;
  for (Guard g : t.guards) {
    if (ignore_reason && g == Guard::reason_given) continue;
    if (!Holds(g, f, c)) return g;
  }
  return std::nullopt;
}

void ApplyEffect(Effect e, TicketFacts& f, const Command& c) {
  switch (e) {
    case Effect::none: break;
    case Effect::set_paused: f.paused = true; break;
    case Effect::clear_paused: f.paused = false; break;
    case Effect::count_visit: ++f.visits; break;
    case Effect::set_plan_confirmed: f.plan_customer_confirmed = true; break;
    case Effect::clear_plan_confirmed: f.plan_customer_confirmed = false; break;
    case Effect::count_internal_rework: ++f.internal_rework_rounds; break;
    case Effect::count_customer_rework: ++f.rework_rounds; break;
    case Effect::record_closed: f.closed_at = c.at; break;
    case Effect::count_reopen:
      ++f.reopen_count;
      f.closed_at.reset();
      break;
  }
}

std::string JoinActions(const std::vector<Action>& actions) {
  std::string s;
  for (Action a : actions) {
    if (!s.empty()) s += ", ";
    s += ToString(a);
  }
  return s.empty() ? "none" : s;
}

}  // namespace

std::vector<Action> AllowedActions(const TicketFacts& facts, Role role, std::chrono::sys_seconds now,
                                   std::chrono::seconds reopen_window) {
  Command probe{Action::acknowledge, role, now, "", reopen_window};
  std::vector<Action> out;
  for (const auto& t : TransitionTable()) {
    if (!Contains(t.from, facts.state) || !Contains(t.roles, role)) continue;
    if (FailedGuard(t, facts, probe, /*ignore_reason=*/true)) continue;
    if (!Contains(out, t.action)) out.push_back(t.action);
  }
  return out;
}

Result<TransitionOutcome, TransitionError> Apply(const TicketFacts& facts, const Command& cmd) {
  bool state_matched = false, role_matched = false;
  std::optional<Guard> failed;
  for (const auto& t : TransitionTable()) {
    if (t.action != cmd.action || !Contains(t.from, facts.state)) continue;
    state_matched = true;
    if (!Contains(t.roles, cmd.role)) continue;
    role_matched = true;
    if (auto g = FailedGuard(t, facts, cmd, false)) {
      if (!failed) failed = g;
      continue;
    }
    TransitionOutcome out;
    out.facts = facts;
    out.facts.state = t.to.value_or(facts.state);
    ApplyEffect(t.effect, out.facts, cmd);
    for (EventType e : t.events)
      out.events.push_back({e, facts.state, out.facts.state, cmd.role, cmd.at, cmd.reason});
    out.milestones = t.milestones;
    return out;
  }
  TransitionError err;
  err.state = facts.state;
  err.action = cmd.action;
  err.allowed_actions = AllowedActions(facts, cmd.role, cmd.at, cmd.reopen_window);
  std::string head = "cannot " + std::string(ToString(cmd.action)) + " in state " +
                     std::string(ToString(facts.state));
  if (!state_matched) {
    err.kind = TransitionError::Kind::not_allowed_in_state;
    err.message = head;
  } else if (!role_matched) {
    err.kind = TransitionError::Kind::role_not_allowed;
    err.message = head + " as " + std::string(ToString(cmd.role));
  } else {
    err.kind = TransitionError::Kind::guard_failed;
    err.failed_guard = failed;
    err.message = head + ": guard " + std::string(ToString(*failed)) + " does not hold";
  }
  err.message += "; allowed: " + JoinActions(err.allowed_actions);
  return Fail(std::move(err));
}

}  // namespace domain::ticket
