// snake_case names of the ticket enums; the arrays are indexed by value and
// sized by the *Count constants, so a new enumerator without a name fails
// to compile.
#include <array>

#include "domain/enum_names.h"
#include "domain/ticket/events.h"
#include "domain/ticket/role.h"
#include "domain/ticket/state.h"

namespace domain::ticket {
namespace {
constexpr std::array<std::string_view, kRoleCount> kRoles = {
    "admin", "service_manager", "agent", "dispatcher", "technician",
    "tech_lead", "quality_inspector", "project_manager", "procurement", "customer"};
constexpr std::array<std::string_view, kStateCount> kStates = {
    "intake", "triaged", "responded", "dispatched", "en_route", "on_site", "diagnosed",
    "plan_review", "plan_approval", "plan_chief_approval", "plan_approved", "plan_confirmed",
    "in_repair", "self_checked", "internally_accepted", "rework", "resolved", "closed",
    "archived", "cancelled"};
constexpr std::array<std::string_view, kActionCount> kActions = {
    "acknowledge", "triage", "regrade", "contact_customer", "answer_consultation", "remote_fix",
    "dispatch", "reassign", "depart", "arrive", "leave_site", "record_diagnosis", "submit_plan",
    "review_plan", "reject_plan", "approve_plan", "chief_approve_plan", "confirm_plan",
    "customer_reject_plan", "start_repair", "change_plan", "complete_self_check",
    "internal_accept", "internal_reject", "customer_accept", "customer_reject", "close",
    "archive", "reopen", "cancel", "pause", "resume"};
constexpr std::array<std::string_view, kEventTypeCount> kEvents = {
    "request_acknowledged", "request_triaged", "grade_changed", "customer_contacted",
    "consultation_answered", "remote_fix_completed", "technician_dispatched",
    "technician_reassigned", "visit_departed", "visit_arrived", "visit_ended",
    "diagnosis_recorded", "plan_submitted", "plan_reviewed", "plan_rejected", "plan_approved",
    "plan_sent_to_chief_engineer", "plan_confirmed_by_customer", "plan_rejected_by_customer",
    "repair_started", "plan_change_requested", "self_check_completed",
    "internal_acceptance_passed", "internal_acceptance_failed", "customer_acceptance_passed",
    "customer_acceptance_failed", "request_resolved", "request_closed", "request_archived",
    "request_reopened", "request_cancelled", "clock_paused", "clock_resumed"};
}  // namespace

std::string_view ToString(Role r) { return detail::EnumName(std::span{kRoles}, r); }
std::optional<Role> ParseRole(std::string_view n) { return detail::EnumFromName<Role>(kRoles, n); }
std::string_view ToString(State s) { return detail::EnumName(std::span{kStates}, s); }
std::optional<State> ParseState(std::string_view n) { return detail::EnumFromName<State>(kStates, n); }
bool IsFinal(State s) { return s == State::archived || s == State::cancelled; }
std::string_view ToString(Action a) { return detail::EnumName(std::span{kActions}, a); }
std::optional<Action> ParseAction(std::string_view n) { return detail::EnumFromName<Action>(kActions, n); }
std::string_view ToString(EventType e) { return detail::EnumName(std::span{kEvents}, e); }
std::optional<EventType> ParseEventType(std::string_view n) {
  return detail::EnumFromName<EventType>(kEvents, n);
}

}  // namespace domain::ticket
