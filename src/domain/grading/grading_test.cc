#include "domain/grading/grading.h"

#include <gtest/gtest.h>

namespace domain::grading {
namespace {

using sla::Grade;

GradingSuggestion Suggest(std::string_view text, std::optional<ProjectType> type = std::nullopt,
                          AssetCriticality c = AssetCriticality::normal) {
  return SuggestGrade({text, type, c});
}

TEST(GradingTest, EmergencyKeywords) {
  auto s = Suggest("三号楼外墙出现裂缝，有坍塌危险");
  EXPECT_EQ(s.nature, Nature::structural_safety);
  EXPECT_EQ(s.grade, Grade::emergency);
  EXPECT_EQ(s.reasons.size(), 2u);
  EXPECT_EQ(Suggest("配电间发生火灾").nature, Nature::fire_safety);
  EXPECT_EQ(Suggest("配电间发生火灾").grade, Grade::emergency);
  EXPECT_EQ(Suggest("卫生间插座漏电").grade, Grade::emergency);
  EXPECT_EQ(Suggest("卫生间插座漏电").nature, Nature::electrical);
  EXPECT_EQ(Suggest("核心交换机宕机").grade, Grade::emergency);
}

TEST(GradingTest, OrdinaryFaults) {
  auto leak = Suggest("屋面渗漏，雨天漏水");
  EXPECT_EQ(leak.nature, Nature::leakage);
  EXPECT_EQ(leak.grade, Grade::medium);
  auto door = Suggest("办公室门窗轻微变形，关不严");
  EXPECT_EQ(door.nature, Nature::deformation);
  EXPECT_EQ(door.grade, Grade::simple);
  auto hvac = Suggest("会议室空调不制冷");
  EXPECT_EQ(hvac.nature, Nature::hvac);
  EXPECT_EQ(hvac.grade, Grade::complex);
  auto rust = Suggest("钢结构仓库涂层破损、生锈");
  EXPECT_EQ(rust.nature, Nature::coating_damage);
  EXPECT_EQ(rust.grade, Grade::general_defect);
}

TEST(GradingTest, ConsultationOnlyWhenNothingElseMatches) {
  auto q = Suggest("请问玻璃幕墙如何清洗？");
  EXPECT_EQ(q.nature, Nature::consultation);
  EXPECT_EQ(q.grade, Grade::consultation);
  auto fault = Suggest("请问空调停机了怎么办");
  EXPECT_EQ(fault.nature, Nature::hvac);
  EXPECT_NE(fault.grade, Grade::consultation);
}

// Scenario 1: a precision air-conditioner failure in a data-centre machine room.
TEST(GradingTest, ContextRaisesTheGrade) {
  auto dc = Suggest("机房精密空调故障停机", ProjectType::data_centre);
  EXPECT_EQ(dc.nature, Nature::hvac);
  EXPECT_EQ(dc.grade, Grade::emergency);
  EXPECT_NE(dc.reasons.back().find("data centre"), std::string::npos);
  EXPECT_EQ(Suggest("冷却泵停机", std::nullopt, AssetCriticality::critical).grade, Grade::emergency);
  auto high = Suggest("门锁损坏", std::nullopt, AssetCriticality::high);
  EXPECT_EQ(high.nature, Nature::hardware_damage);
  EXPECT_EQ(high.grade, Grade::medium);
}

TEST(GradingTest, EnglishIsCaseInsensitiveAndUnknownIsOther) {
  auto s = Suggest("Water LEAK under the window");
  EXPECT_EQ(s.nature, Nature::leakage);
  auto none = Suggest("something odd");
  EXPECT_EQ(none.nature, Nature::other);
  EXPECT_EQ(none.grade, Grade::simple);
  EXPECT_EQ(none.reasons.size(), 1u);
}

TEST(GradingTest, CustomKeywordTable) {
  const Keyword table[] = {{"电梯", Nature::equipment_failure, Grade::complex, 5}};
  EXPECT_EQ(SuggestGrade({"电梯困人", std::nullopt}, table).nature, Nature::equipment_failure);
}

TEST(GradingTest, NamesRoundTrip) {
  for (int i = 0; i < kNatureCount; ++i)
    EXPECT_EQ(ParseNature(ToString(static_cast<Nature>(i))), static_cast<Nature>(i));
  for (int i = 0; i < kProjectTypeCount; ++i)
    EXPECT_EQ(ParseProjectType(ToString(static_cast<ProjectType>(i))), static_cast<ProjectType>(i));
  EXPECT_EQ(ParseAssetCriticality("critical"), AssetCriticality::critical);
}

}  // namespace
}  // namespace domain::grading
