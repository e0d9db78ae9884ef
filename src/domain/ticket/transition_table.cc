#include "domain/ticket/transition_table.h"

#include <array>

#include "domain/enum_names.h"

namespace domain::ticket {

namespace {
constexpr std::array<std::string_view, kGuardCount> kGuards = {
    "not_paused", "is_paused", "grade_set", "is_consultation", "has_assignee", "reason_given",
    "major_defect", "not_major_defect", "repair_allowed", "within_reopen_window"};
}  // namespace

std::string_view ToString(Guard g) { return detail::EnumName(std::span{kGuards}, g); }

std::span<const Transition> TransitionTable() {
  using S = State;
  using A = Action;
  using R = Role;
  using G = Guard;
  using E = EventType;
  using M = sla::Milestone;
  const std::vector<R> front_desk = {R::agent, R::service_manager};
  const std::vector<R> dispatching = {R::dispatcher, R::service_manager};
  const std::vector<R> field = {R::technician, R::tech_lead};
  const std::vector<S> open = {S::intake, S::triaged, S::responded, S::dispatched, S::en_route,
                               S::on_site, S::diagnosed, S::plan_review, S::plan_approval,
                               S::plan_chief_approval, S::plan_approved, S::plan_confirmed,
                               S::in_repair, S::self_checked, S::internally_accepted, S::rework};
  const std::vector<S> before_repair = {S::intake, S::triaged, S::responded, S::dispatched,
                                        S::en_route, S::on_site, S::diagnosed, S::plan_review,
                                        S::plan_approval, S::plan_chief_approval,
                                        S::plan_approved, S::plan_confirmed};
  // Work in these states may need another trip to the site.
  const std::vector<S> revisit = {S::diagnosed, S::plan_review, S::plan_approval,
                                  S::plan_chief_approval, S::plan_approved, S::plan_confirmed,
                                  S::in_repair, S::rework};
  const std::vector<S> open_after_triage(open.begin() + 1, open.end());

  static const std::vector<Transition> table = {
      // Intake and triage.
      {A::acknowledge, {S::intake, S::triaged}, std::nullopt, {R::agent, R::service_manager, R::dispatcher},
       {}, {E::request_acknowledged}, {M::acknowledge}, Effect::none, true},
      {A::triage, {S::intake}, S::triaged, front_desk, {G::grade_set}, {E::request_triaged}, {}},
      {A::regrade, open_after_triage, std::nullopt, {R::agent, R::service_manager, R::tech_lead},
       {G::grade_set}, {E::grade_changed}, {}, Effect::none, true},
      // Response and the short paths.
      {A::contact_customer, {S::triaged}, S::responded,
       {R::agent, R::service_manager, R::technician, R::tech_lead}, {},
       {E::customer_contacted}, {M::respond}},
      {A::answer_consultation, {S::triaged, S::responded}, S::resolved,
       {R::agent, R::tech_lead, R::service_manager}, {G::is_consultation},
       {E::consultation_answered, E::request_resolved},
       {M::respond, M::propose_solution, M::resolve}},
      {A::remote_fix, {S::responded, S::dispatched, S::diagnosed}, S::resolved,
       {R::technician, R::tech_lead, R::service_manager}, {},
       {E::remote_fix_completed, E::request_resolved}, {M::propose_solution, M::resolve}},
      // Dispatch and visits.
      {A::dispatch, {S::responded}, S::dispatched, dispatching, {G::has_assignee},
       {E::technician_dispatched}, {}},
      {A::reassign, {S::dispatched, S::en_route, S::on_site, S::diagnosed, S::in_repair, S::rework},
       std::nullopt, dispatching, {G::has_assignee}, {E::technician_reassigned}, {}},
      {A::depart, {S::dispatched}, S::en_route, field, {}, {E::visit_departed}, {M::depart}},
      {A::depart, revisit, std::nullopt, field, {}, {E::visit_departed}, {M::depart}},
      {A::arrive, {S::en_route}, S::on_site, field, {}, {E::visit_arrived}, {M::arrive_on_site},
       Effect::count_visit},
      {A::arrive, revisit, std::nullopt, field, {}, {E::visit_arrived}, {M::arrive_on_site},
       Effect::count_visit},
      {A::leave_site, {S::on_site}, S::dispatched, field, {}, {E::visit_ended}, {}},
      // Survey, diagnosis and the solution plan.
      {A::record_diagnosis, {S::on_site}, S::diagnosed, field, {}, {E::diagnosis_recorded}, {}},
      {A::submit_plan, {S::diagnosed}, S::plan_review, {R::technician, R::tech_lead, R::service_manager},
       {}, {E::plan_submitted}, {M::propose_solution}, Effect::clear_plan_confirmed},
      {A::review_plan, {S::plan_review}, S::plan_approval, {R::tech_lead}, {}, {E::plan_reviewed}, {}},
      {A::reject_plan, {S::plan_review, S::plan_approval, S::plan_chief_approval}, S::diagnosed,
       {R::tech_lead, R::project_manager, R::service_manager}, {G::reason_given}, {E::plan_rejected}, {}},
      {A::approve_plan, {S::plan_approval}, S::plan_chief_approval,
       {R::project_manager, R::service_manager}, {G::major_defect}, {E::plan_sent_to_chief_engineer}, {}},
      {A::approve_plan, {S::plan_approval}, S::plan_approved, {R::project_manager, R::service_manager},
       {G::not_major_defect}, {E::plan_approved}, {}},
      {A::chief_approve_plan, {S::plan_chief_approval}, S::plan_approved, {R::tech_lead}, {},
       {E::plan_approved}, {}},
      {A::confirm_plan, {S::plan_approved}, S::plan_confirmed, {R::customer, R::agent, R::service_manager},
       {}, {E::plan_confirmed_by_customer}, {}, Effect::set_plan_confirmed},
      {A::customer_reject_plan, {S::plan_approved}, S::diagnosed, {R::customer, R::agent, R::service_manager},
       {G::reason_given}, {E::plan_rejected_by_customer}, {}},
      // Repair and acceptance.
      {A::start_repair, {S::plan_approved, S::plan_confirmed}, S::in_repair, field, {G::repair_allowed},
       {E::repair_started}, {}},
      {A::change_plan, {S::in_repair, S::rework}, S::plan_review, {R::technician, R::tech_lead, R::service_manager},
       {G::reason_given}, {E::plan_change_requested}, {}, Effect::clear_plan_confirmed},
      {A::complete_self_check, {S::in_repair, S::rework}, S::self_checked, field, {},
       {E::self_check_completed}, {}},
      {A::internal_accept, {S::self_checked}, S::internally_accepted, {R::quality_inspector}, {},
       {E::internal_acceptance_passed}, {}},
      {A::internal_reject, {S::self_checked}, S::rework, {R::quality_inspector}, {G::reason_given},
       {E::internal_acceptance_failed}, {}, Effect::count_internal_rework},
      {A::customer_accept, {S::internally_accepted}, S::resolved, {R::customer, R::technician, R::agent},
       {}, {E::customer_acceptance_passed, E::request_resolved}, {M::resolve}},
      {A::customer_reject, {S::internally_accepted}, S::rework, {R::customer, R::technician, R::agent},
       {G::reason_given}, {E::customer_acceptance_failed}, {}, Effect::count_customer_rework},
      // Closing, archiving, reopening, cancelling.
      {A::close, {S::resolved}, S::closed, front_desk, {}, {E::request_closed}, {}, Effect::record_closed},
      {A::archive, {S::closed}, S::archived, {R::service_manager, R::admin}, {}, {E::request_archived}, {}},
      {A::reopen, {S::closed}, S::triaged, {R::customer, R::agent, R::service_manager},
       {G::reason_given, G::within_reopen_window}, {E::request_reopened}, {}, Effect::count_reopen},
      {A::cancel, before_repair, S::cancelled, {R::agent, R::service_manager, R::customer},
       {G::reason_given}, {E::request_cancelled}, {}, Effect::clear_paused, true},
      // Pause and resume: a flag, the state stays.
      {A::pause, open, std::nullopt, {R::agent, R::service_manager, R::dispatcher, R::technician},
       {G::reason_given}, {E::clock_paused}, {}, Effect::set_paused},
      {A::resume, open, std::nullopt, {R::agent, R::service_manager, R::dispatcher, R::technician},
       {G::is_paused}, {E::clock_resumed}, {}, Effect::clear_paused, true},
  };
  return table;
}

}  // namespace domain::ticket
