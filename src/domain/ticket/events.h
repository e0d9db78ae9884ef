// Domain events emitted by request transitions. The application stores each
// one (who, what, when, before/after) in the same transaction as the change.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/ticket/role.h"
#include "domain/ticket/state.h"

namespace domain::ticket {

enum class EventType {
  request_acknowledged,
  request_triaged,
  grade_changed,
  customer_contacted,
  consultation_answered,
  remote_fix_completed,
  technician_dispatched,
  technician_reassigned,
  visit_departed,
  visit_arrived,
  visit_ended,
  diagnosis_recorded,
  plan_submitted,
  plan_reviewed,
  plan_rejected,
  plan_approved,
  plan_sent_to_chief_engineer,
  plan_confirmed_by_customer,
  plan_rejected_by_customer,
  repair_started,
  plan_change_requested,
  self_check_completed,
  internal_acceptance_passed,
  internal_acceptance_failed,
  customer_acceptance_passed,
  customer_acceptance_failed,
  request_resolved,
  request_closed,
  request_archived,
  request_reopened,
  request_cancelled,
  clock_paused,
  clock_resumed,
};
inline constexpr int kEventTypeCount = 33;

std::string_view ToString(EventType e);
std::optional<EventType> ParseEventType(std::string_view name);

struct DomainEvent {
  EventType type;
  State from;
  State to;
  Role by;
  std::chrono::sys_seconds at;
  std::string reason;  // cancel, pause, reject, reopen: the reason given
};

}  // namespace domain::ticket
