#include "domain/sla/grade.h"

#include <array>

#include "domain/enum_names.h"

namespace domain::sla {
namespace {
constexpr std::array<std::string_view, kGradeCount> kGrades = {
    "emergency", "consultation", "simple", "medium", "complex", "general_defect", "feedback", "complaint"};
constexpr std::array<std::string_view, kGradeCount> kGradesZh = {
    "紧急", "技术咨询", "简单故障", "中等故障", "复杂故障", "一般质量瑕疵", "意见反馈", "投诉"};
constexpr std::array<std::string_view, kMilestoneCount> kMilestones = {
    "acknowledge", "respond", "propose_solution", "depart", "arrive_on_site", "resolve", "first_opinion"};
constexpr std::array<std::string_view, kPauseReasonCount> kPauseReasons = {
    "waiting_customer", "waiting_parts", "customer_requested", "other"};
}  // namespace

std::string_view ToString(Grade g) { return detail::EnumName(std::span{kGrades}, g); }
std::optional<Grade> ParseGrade(std::string_view n) { return detail::EnumFromName<Grade>(kGrades, n); }
std::string_view ChineseName(Grade g) { return detail::EnumName(std::span{kGradesZh}, g); }
std::string_view ToString(Milestone m) { return detail::EnumName(std::span{kMilestones}, m); }
std::optional<Milestone> ParseMilestone(std::string_view n) {
  return detail::EnumFromName<Milestone>(kMilestones, n);
}
std::string_view ToString(PauseReason r) { return detail::EnumName(std::span{kPauseReasons}, r); }
std::optional<PauseReason> ParsePauseReason(std::string_view n) {
  return detail::EnumFromName<PauseReason>(kPauseReasons, n);
}

}  // namespace domain::sla
