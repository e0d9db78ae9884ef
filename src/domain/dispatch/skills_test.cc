#include "domain/dispatch/skills.h"

#include <gtest/gtest.h>

namespace domain::dispatch {
namespace {

using grading::Nature;
using grading::ProjectType;
using V = std::vector<std::string>;

TEST(RequiredSkillsTest, TradeNaturesMapToTheirTrade) {
  EXPECT_EQ(RequiredSkills(Nature::hvac, ProjectType::building).primary, V{"hvac"});
  EXPECT_EQ(RequiredSkills(Nature::electrical, ProjectType::mep).primary, V{"electrical"});
  EXPECT_EQ(RequiredSkills(Nature::plumbing, std::nullopt).primary, V{"plumbing"});
  EXPECT_EQ(RequiredSkills(Nature::fire_safety, ProjectType::building).primary, V{"fire_safety"});
}

TEST(RequiredSkillsTest, LeakageDependsOnProjectType) {
  EXPECT_EQ(RequiredSkills(Nature::leakage, ProjectType::curtain_wall).primary, (V{"curtain_wall", "waterproofing"}));
  EXPECT_EQ(RequiredSkills(Nature::leakage, ProjectType::building).primary, V{"waterproofing"});
  EXPECT_EQ(RequiredSkills(Nature::leakage, ProjectType::mep).primary, (V{"plumbing", "waterproofing"}));
  EXPECT_EQ(RequiredSkills(Nature::leakage, ProjectType::curtain_wall).rule, "leakage/curtain_wall");
}

TEST(RequiredSkillsTest, SteelStructureDefectsNeedSteel) {
  for (auto n : {Nature::coating_damage, Nature::deformation, Nature::loose_connection}) {
    auto need = RequiredSkills(n, ProjectType::steel_structure);
    ASSERT_FALSE(need.primary.empty());
    EXPECT_EQ(need.primary.front(), "steel") << grading::ToString(n);
  }
}

TEST(RequiredSkillsTest, DataCentreEquipmentNeedsDcTrades) {
  EXPECT_EQ(RequiredSkills(Nature::equipment_failure, ProjectType::data_centre).primary, (V{"dc_power", "dc_cooling"}));
  EXPECT_EQ(RequiredSkills(Nature::hvac, ProjectType::data_centre).primary, (V{"dc_cooling", "hvac"}));
  EXPECT_EQ(RequiredSkills(Nature::electrical, ProjectType::data_centre).primary, (V{"dc_power", "electrical"}));
}

TEST(RequiredSkillsTest, ConsultationAndUnknownFollowTheProjectType) {
  EXPECT_EQ(RequiredSkills(Nature::consultation, ProjectType::curtain_wall).primary, V{"curtain_wall"});
  EXPECT_EQ(RequiredSkills(std::nullopt, ProjectType::steel_structure).primary, V{"steel"});
  EXPECT_TRUE(RequiredSkills(Nature::other, ProjectType::other).empty());
  EXPECT_TRUE(RequiredSkills(std::nullopt, std::nullopt).empty());
}

TEST(RequiredSkillsTest, EveryNatureAndTypeYieldsKnownSkillCodes) {
  const V known = {"structure", "electrical", "plumbing", "hvac", "curtain_wall", "steel",
                   "decoration", "waterproofing", "fire_safety", "dc_power", "dc_cooling", "low_voltage"};
  for (int n = 0; n < grading::kNatureCount; ++n)
    for (int t = 0; t < grading::kProjectTypeCount; ++t) {
      auto need = RequiredSkills(static_cast<Nature>(n), static_cast<ProjectType>(t));
      EXPECT_FALSE(need.rule.empty());
      for (const auto* list : {&need.primary, &need.secondary})
        for (const auto& s : *list) EXPECT_NE(std::find(known.begin(), known.end(), s), known.end()) << s;
    }
}

TEST(FitSkillsTest, PrimarySecondaryNoneAndNotRequired) {
  auto need = RequiredSkills(Nature::hvac, ProjectType::building);  // hvac; secondary dc_cooling
  EXPECT_DOUBLE_EQ(FitSkills(need, V{"electrical", "hvac"}).value, kPrimarySkillFit);
  EXPECT_EQ(FitSkills(need, V{"electrical", "hvac"}).matched, V{"hvac"});
  auto related = FitSkills(need, V{"dc_cooling"});
  EXPECT_DOUBLE_EQ(related.value, kSecondarySkillFit);
  EXPECT_FALSE(related.primary);
  EXPECT_DOUBLE_EQ(FitSkills(need, V{"plumbing"}).value, 0.0);
  auto none = FitSkills(SkillNeed{}, V{"plumbing"});
  EXPECT_TRUE(none.not_required);
  EXPECT_DOUBLE_EQ(none.value, kNeutralFit);
}

TEST(CertificateSkillsTest, RecognisesCommonChineseCertificates) {
  EXPECT_EQ(CertificateSkills("低压电工作业证"), (V{"electrical", "dc_power"}));
  EXPECT_EQ(CertificateSkills("制冷与空调作业证"), (V{"hvac", "dc_cooling"}));
  EXPECT_EQ(CertificateSkills("消防设施操作员证(中级)"), V{"fire_safety"});
  EXPECT_EQ(CertificateSkills("高处作业吊篮安装拆卸工证"), V{"curtain_wall"});
  EXPECT_EQ(CertificateSkills("熔化焊接与热切割作业证"), V{"steel"});
  EXPECT_TRUE(CertificateSkills("质量员岗位证书").empty());
  EXPECT_TRUE(IsLicensedSkill("electrical"));
  EXPECT_FALSE(IsLicensedSkill("decoration"));
}

TEST(SkillNamesTest, ChineseNames) {
  EXPECT_EQ(SkillNameZh("hvac"), "暖通空调");
  EXPECT_EQ(SkillNameZh("unknown_code"), "unknown_code");
  EXPECT_EQ(JoinSkillsZh(V{"steel", "structure"}), "钢结构、结构");
  EXPECT_EQ(JoinSkillsEn(V{"steel", "structure"}), "steel, structure");
}

}  // namespace
}  // namespace domain::dispatch
