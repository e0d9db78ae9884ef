// Grades of a service request (the table "Grades and promised times" in
// PRODUCT.md), plus feedback and complaint, which carry their own clocks.
#pragma once

#include <optional>
#include <string_view>

namespace domain::sla {

enum class Grade {
  emergency,       // 紧急
  consultation,    // 技术咨询
  simple,          // 简单故障
  medium,          // 中等故障
  complex,         // 复杂故障
  general_defect,  // 一般质量瑕疵
  feedback,        // 意见反馈
  complaint,       // 投诉
};
inline constexpr int kGradeCount = 8;

// snake_case name, e.g. "general_defect".
std::string_view ToString(Grade g);
// Inverse of ToString; nullopt for an unknown name.
std::optional<Grade> ParseGrade(std::string_view name);
// Chinese display name, e.g. "紧急".
std::string_view ChineseName(Grade g);

enum class Milestone {
  acknowledge,       // 值班登记确认
  respond,           // 联系客户 (consultation: hand-off to the expert)
  propose_solution,  // 提出方案 (consultation: the answer)
  depart,            // 出发
  arrive_on_site,    // 到场
  resolve,           // 解决
  first_opinion,     // 首次处理意见 (feedback and complaints)
};
inline constexpr int kMilestoneCount = 7;

std::string_view ToString(Milestone m);
std::optional<Milestone> ParseMilestone(std::string_view name);

// Why the clocks were paused; each milestone rule says which reasons stop it.
enum class PauseReason {
  waiting_customer,    // 等待客户 (access, confirmation, information)
  waiting_parts,       // 等待备件/材料
  customer_requested,  // 客户要求延期
  other,
};
inline constexpr int kPauseReasonCount = 4;

std::string_view ToString(PauseReason r);
std::optional<PauseReason> ParsePauseReason(std::string_view name);

}  // namespace domain::sla
