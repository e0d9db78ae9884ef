// States of a service request and the actions that move it (PRODUCT.md, "The
// service request lifecycle"). Pausing is not a state but a flag on the
// request, so that resuming returns to exactly where the work stood.
#pragma once

#include <optional>
#include <string_view>

namespace domain::ticket {

enum class State {
  intake,               // 受理: logged, acceptance number given
  triaged,              // 初步评估: nature and grade set
  responded,            // 响应: the customer has been contacted
  dispatched,           // 派工: a technician is assigned
  en_route,             // 出发
  on_site,              // 到场
  diagnosed,            // 勘查诊断报告 recorded
  plan_review,          // 方案: awaiting the tech lead's review
  plan_approval,        // awaiting the project manager's approval
  plan_chief_approval,  // major defect: awaiting the chief engineer
  plan_approved,        // approved internally, to be explained to the customer
  plan_confirmed,       // the customer confirmed (handling agreement)
  in_repair,            // 维修施工
  self_checked,         // 自检 done, awaiting internal acceptance
  internally_accepted,  // 内部验收 passed, awaiting customer acceptance
  rework,               // 整改 after a failed acceptance
  resolved,             // customer accepted, or answered / fixed remotely
  closed,               // 关闭 (may be reopened within the window)
  archived,             // 归档 (final)
  cancelled,            // 取消 (final)
};
inline constexpr int kStateCount = 20;

std::string_view ToString(State s);
std::optional<State> ParseState(std::string_view name);
// True for archived and cancelled: no action applies any more.
bool IsFinal(State s);

enum class Action {
  acknowledge,           // duty log entry (emergency acknowledge clock)
  triage,                // set nature and grade
  regrade,               // change the grade later
  contact_customer,      // response: the customer was contacted
  answer_consultation,   // short path: consultation answered directly
  remote_fix,            // short path: fixed by remote support
  dispatch,              // assign a technician
  reassign,              // dispatcher override
  depart,                // a visit starts
  arrive,                // arrived on site
  leave_site,            // visit over without a diagnosis; another visit follows
  record_diagnosis,      // survey and diagnosis report
  submit_plan,           // solution plan drafted
  review_plan,           // tech lead's review passed
  reject_plan,           // reviewer or approver sends it back
  approve_plan,          // project manager (or service manager) approves
  chief_approve_plan,    // chief engineer approves a major-defect plan
  confirm_plan,          // customer confirms the plan (handling agreement)
  customer_reject_plan,  // customer declines the plan
  start_repair,
  change_plan,           // a change during repair goes back through approval
  complete_self_check,
  internal_accept,
  internal_reject,
  customer_accept,       // signed acceptance (售后服务验收单)
  customer_reject,       // failed acceptance: rework round
  close,
  archive,
  reopen,
  cancel,
  pause,
  resume,
};
inline constexpr int kActionCount = 32;

std::string_view ToString(Action a);
std::optional<Action> ParseAction(std::string_view name);

}  // namespace domain::ticket
