#include "domain/ticket/state_machine.h"

#include <set>

#include <gtest/gtest.h>

namespace domain::ticket {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

const sys_seconds kT0{std::chrono::seconds{1'790'000'000}};

// Applies a sequence of (action, role) and fails the test on the first error.
class Flow {
 public:
  explicit Flow(TicketFacts f = {}) : facts_(f) {}
  Flow& Do(Action a, Role r, std::string reason = "") {
    auto out = Apply(facts_, {a, r, kT0 + 1min * (++step_), std::move(reason)});
    EXPECT_TRUE(out.ok()) << ToString(a) << " as " << ToString(r) << ": "
                          << (out.ok() ? "" : out.error().message);
    if (out.ok()) {
      facts_ = out->facts;
      for (const auto& e : out->events) events_.push_back(e.type);
      for (auto m : out->milestones) milestones_.push_back(m);
    }
    return *this;
  }
  TicketFacts& facts() { return facts_; }
  const std::vector<EventType>& events() const { return events_; }
  const std::vector<sla::Milestone>& milestones() const { return milestones_; }

 private:
  TicketFacts facts_;
  std::vector<EventType> events_;
  std::vector<sla::Milestone> milestones_;
  int step_ = 0;
};

TicketFacts Triaged() {
  TicketFacts f;
  f.grade_set = true;
  f.has_assignee = true;
  return f;
}

// Scenario 3's lifecycle: paid plan confirmed before repair, first customer
// acceptance fails, rework passes.
TEST(StateMachineTest, FullPathWithChargeablePlanAndRework) {
  auto start = Triaged();
  start.plan_chargeable = true;
  Flow f(start);
  f.Do(Action::triage, Role::agent)
      .Do(Action::contact_customer, Role::agent)
      .Do(Action::dispatch, Role::dispatcher)
      .Do(Action::depart, Role::technician)
      .Do(Action::arrive, Role::technician)
      .Do(Action::record_diagnosis, Role::technician)
      .Do(Action::submit_plan, Role::technician)
      .Do(Action::review_plan, Role::tech_lead)
      .Do(Action::approve_plan, Role::project_manager);
  EXPECT_EQ(f.facts().state, State::plan_approved);
  // Chargeable and not yet confirmed: no repair.
  auto early = Apply(f.facts(), {Action::start_repair, Role::technician, kT0});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, TransitionError::Kind::guard_failed);
  EXPECT_EQ(early.error().failed_guard, Guard::repair_allowed);
  f.Do(Action::confirm_plan, Role::customer)
      .Do(Action::start_repair, Role::technician)
      .Do(Action::complete_self_check, Role::technician)
      .Do(Action::internal_accept, Role::quality_inspector)
      .Do(Action::customer_reject, Role::customer, "sealant joint still leaks")
      .Do(Action::complete_self_check, Role::technician)
      .Do(Action::internal_accept, Role::quality_inspector)
      .Do(Action::customer_accept, Role::customer)
      .Do(Action::close, Role::service_manager)
      .Do(Action::archive, Role::service_manager);
  EXPECT_EQ(f.facts().state, State::archived);
  EXPECT_EQ(f.facts().rework_rounds, 1);
  EXPECT_EQ(f.facts().visits, 1);
  EXPECT_EQ(f.milestones(), (std::vector<sla::Milestone>{sla::Milestone::respond, sla::Milestone::depart,
                                                         sla::Milestone::arrive_on_site,
                                                         sla::Milestone::propose_solution,
                                                         sla::Milestone::resolve}));
  EXPECT_EQ(f.events().back(), EventType::request_archived);
  EXPECT_TRUE(AllowedActions(f.facts(), Role::admin, kT0).empty());
}

TEST(StateMachineTest, FreePlanMayStartWithoutCustomerConfirmation) {
  auto f = Triaged();
  f.state = State::plan_approved;
  auto out = Apply(f, {Action::start_repair, Role::technician, kT0});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->facts.state, State::in_repair);
}

TEST(StateMachineTest, MajorDefectNeedsTheChiefEngineer) {
  auto f = Triaged();
  f.state = State::plan_approval;
  f.major_defect = true;
  Flow flow(f);
  flow.Do(Action::approve_plan, Role::project_manager);
  EXPECT_EQ(flow.facts().state, State::plan_chief_approval);
  flow.Do(Action::chief_approve_plan, Role::tech_lead);
  EXPECT_EQ(flow.facts().state, State::plan_approved);
  EXPECT_EQ(flow.events(), (std::vector<EventType>{EventType::plan_sent_to_chief_engineer,
                                                   EventType::plan_approved}));
}

TEST(StateMachineTest, InvalidTransitionNamesStateAndAllowedActions) {
  auto f = Triaged();
  f.state = State::in_repair;
  auto out = Apply(f, {Action::customer_accept, Role::customer, kT0});
  ASSERT_FALSE(out.ok());
  const auto& e = out.error();
  EXPECT_EQ(e.kind, TransitionError::Kind::not_allowed_in_state);
  EXPECT_EQ(e.state, State::in_repair);
  EXPECT_NE(e.message.find("in state in_repair"), std::string::npos) << e.message;
  auto tech = AllowedActions(f, Role::technician, kT0);
  EXPECT_NE(std::find(tech.begin(), tech.end(), Action::complete_self_check), tech.end());
  // No customer acceptance before internal acceptance.
  f.state = State::self_checked;
  EXPECT_EQ(Apply(f, {Action::customer_accept, Role::customer, kT0}).error().kind,
            TransitionError::Kind::not_allowed_in_state);
}

TEST(StateMachineTest, RoleNotAllowed) {
  auto f = Triaged();
  f.state = State::plan_approval;
  auto out = Apply(f, {Action::approve_plan, Role::technician, kT0});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, TransitionError::Kind::role_not_allowed);
  EXPECT_NE(out.error().message.find("as technician"), std::string::npos);
  EXPECT_TRUE(out.error().allowed_actions.empty() ||
              std::find(out.error().allowed_actions.begin(), out.error().allowed_actions.end(),
                        Action::approve_plan) == out.error().allowed_actions.end());
}

TEST(StateMachineTest, ConsultationShortPath) {
  auto f = Triaged();
  f.state = State::triaged;
  auto no = Apply(f, {Action::answer_consultation, Role::tech_lead, kT0});
  EXPECT_EQ(no.error().failed_guard, Guard::is_consultation);
  f.is_consultation = true;
  auto yes = Apply(f, {Action::answer_consultation, Role::tech_lead, kT0});
  ASSERT_TRUE(yes.ok());
  EXPECT_EQ(yes->facts.state, State::resolved);
  EXPECT_EQ(yes->milestones.size(), 3u);
}

TEST(StateMachineTest, RemoteFixShortPath) {
  auto f = Triaged();
  f.state = State::responded;
  auto out = Apply(f, {Action::remote_fix, Role::technician, kT0});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->facts.state, State::resolved);
  EXPECT_EQ(out->events.front().type, EventType::remote_fix_completed);
}

TEST(StateMachineTest, TriageNeedsAGrade) {
  TicketFacts f;
  auto out = Apply(f, {Action::triage, Role::agent, kT0});
  EXPECT_EQ(out.error().failed_guard, Guard::grade_set);
}

TEST(StateMachineTest, PauseFreezesWorkButNotCancelOrRegrade) {
  auto f = Triaged();
  f.state = State::dispatched;
  EXPECT_EQ(Apply(f, {Action::pause, Role::technician, kT0}).error().failed_guard, Guard::reason_given);
  Flow flow(f);
  flow.Do(Action::pause, Role::technician, "waiting for customer access");
  EXPECT_TRUE(flow.facts().paused);
  EXPECT_EQ(flow.facts().state, State::dispatched);
  auto blocked = Apply(flow.facts(), {Action::depart, Role::technician, kT0});
  EXPECT_EQ(blocked.error().failed_guard, Guard::not_paused);
  EXPECT_EQ(Apply(flow.facts(), {Action::pause, Role::agent, kT0, "again"}).error().failed_guard,
            Guard::not_paused);
  auto allowed = AllowedActions(flow.facts(), Role::service_manager, kT0);
  EXPECT_EQ(allowed, (std::vector<Action>{Action::regrade, Action::cancel, Action::resume}));
  flow.Do(Action::regrade, Role::service_manager).Do(Action::resume, Role::agent).Do(Action::depart, Role::technician);
  EXPECT_FALSE(flow.facts().paused);
  EXPECT_EQ(flow.facts().state, State::en_route);
  EXPECT_EQ(Apply(flow.facts(), {Action::resume, Role::agent, kT0}).error().failed_guard, Guard::is_paused);
}

TEST(StateMachineTest, CancelNeedsReasonAndStopsAtRepair) {
  auto f = Triaged();
  f.state = State::responded;
  EXPECT_EQ(Apply(f, {Action::cancel, Role::customer, kT0}).error().failed_guard, Guard::reason_given);
  auto ok = Apply(f, {Action::cancel, Role::customer, kT0, "duplicate of R-2026-0042"});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->facts.state, State::cancelled);
  EXPECT_EQ(ok->events.front().reason, "duplicate of R-2026-0042");
  f.state = State::in_repair;
  EXPECT_EQ(Apply(f, {Action::cancel, Role::service_manager, kT0, "x"}).error().kind,
            TransitionError::Kind::not_allowed_in_state);
  EXPECT_TRUE(AllowedActions(ok->facts, Role::service_manager, kT0).empty());
}

TEST(StateMachineTest, ReopenWithinTheWindowOnly) {
  auto f = Triaged();
  f.state = State::resolved;
  Flow flow(f);
  flow.Do(Action::close, Role::agent);
  ASSERT_TRUE(flow.facts().closed_at);
  auto closed = flow.facts();
  Command late{Action::reopen, Role::customer, *closed.closed_at + std::chrono::days{31}, "leaks again"};
  EXPECT_EQ(Apply(closed, late).error().failed_guard, Guard::within_reopen_window);
  late.reopen_window = std::chrono::days{90};  // configurable
  EXPECT_TRUE(Apply(closed, late).ok());
  auto in_time = Apply(closed, {Action::reopen, Role::customer, *closed.closed_at + std::chrono::days{10}, "leaks again"});
  ASSERT_TRUE(in_time.ok());
  EXPECT_EQ(in_time->facts.state, State::triaged);
  EXPECT_EQ(in_time->facts.reopen_count, 1);
  EXPECT_FALSE(in_time->facts.closed_at);
}

TEST(StateMachineTest, SeveralVisitsDuringRepair) {
  auto f = Triaged();
  f.state = State::in_repair;
  Flow flow(f);
  flow.Do(Action::depart, Role::technician).Do(Action::arrive, Role::technician)
      .Do(Action::depart, Role::technician).Do(Action::arrive, Role::technician);
  EXPECT_EQ(flow.facts().visits, 2);
  EXPECT_EQ(flow.facts().state, State::in_repair);
}

TEST(StateMachineTest, InternalRejectCountsSeparately) {
  auto f = Triaged();
  f.state = State::self_checked;
  Flow flow(f);
  flow.Do(Action::internal_reject, Role::quality_inspector, "gap > 2 mm");
  EXPECT_EQ(flow.facts().state, State::rework);
  EXPECT_EQ(flow.facts().internal_rework_rounds, 1);
  EXPECT_EQ(flow.facts().rework_rounds, 0);
}

TEST(StateMachineTest, PlanChangeDuringRepairGoesBackThroughApproval) {
  auto f = Triaged();
  f.state = State::in_repair;
  f.plan_chargeable = true;
  f.plan_customer_confirmed = true;
  Flow flow(f);
  flow.Do(Action::change_plan, Role::technician, "hidden corrosion found");
  EXPECT_EQ(flow.facts().state, State::plan_review);
  EXPECT_FALSE(flow.facts().plan_customer_confirmed);
}

// Structural checks over the declarative table.
TEST(TransitionTableTest, IsWellFormed) {
  std::set<Action> seen;
  std::set<State> exits;
  for (const auto& t : TransitionTable()) {
    seen.insert(t.action);
    EXPECT_FALSE(t.roles.empty()) << ToString(t.action);
    EXPECT_FALSE(t.events.empty()) << ToString(t.action);
    EXPECT_FALSE(t.from.empty()) << ToString(t.action);
    for (State s : t.from) {
      EXPECT_FALSE(IsFinal(s)) << ToString(t.action) << " from " << ToString(s);
      if (t.to && *t.to != s) exits.insert(s);
    }
  }
  EXPECT_EQ(seen.size(), size_t(kActionCount));
  for (int i = 0; i < kStateCount; ++i) {
    auto s = static_cast<State>(i);
    if (!IsFinal(s)) {
      EXPECT_TRUE(exits.contains(s)) << ToString(s) << " has no way out";
    }
  }
}

TEST(TicketNamesTest, RoundTrip) {
  for (int i = 0; i < kStateCount; ++i)
    EXPECT_EQ(ParseState(ToString(static_cast<State>(i))), static_cast<State>(i));
  for (int i = 0; i < kActionCount; ++i)
    EXPECT_EQ(ParseAction(ToString(static_cast<Action>(i))), static_cast<Action>(i));
  for (int i = 0; i < kRoleCount; ++i)
    EXPECT_EQ(ParseRole(ToString(static_cast<Role>(i))), static_cast<Role>(i));
  for (int i = 0; i < kEventTypeCount; ++i)
    EXPECT_EQ(ParseEventType(ToString(static_cast<EventType>(i))), static_cast<EventType>(i));
  EXPECT_EQ(ToString(Role::quality_inspector), "quality_inspector");
  EXPECT_EQ(ToString(State::plan_chief_approval), "plan_chief_approval");
  EXPECT_FALSE(ParseRole("root"));
}

}  // namespace
}  // namespace domain::ticket
