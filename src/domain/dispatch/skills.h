// Which skills a problem needs: problem nature × project type → skill codes
// (the codes of the staff and team master data, see app/master_data.cc
// `skills()`), how well a set of skills fits that need, and which skills a
// certificate (资质证书) licenses, recognised from its name.
//
// The table (first matching row wins; "primary" skills fully qualify,
// "secondary" skills are related trades that partly qualify):
//
//   nature             project type              primary                 secondary
//   structural_safety  steel_structure           steel, structure        —
//   structural_safety  any other                 structure               steel
//   deformation        steel_structure           steel, structure        —
//   deformation        curtain_wall              curtain_wall            structure
//   deformation        decoration                decoration              structure
//   deformation        any other                 structure               steel, decoration
//   loose_connection   steel_structure           steel, structure        —
//   loose_connection   curtain_wall              curtain_wall            steel
//   loose_connection   any other                 structure, steel        curtain_wall
//   coating_damage     steel_structure           steel                   structure, decoration
//   coating_damage     decoration                decoration              —
//   coating_damage     any other                 steel, decoration       —
//   leakage            curtain_wall              curtain_wall, waterproofing  —
//   leakage            mep, data_centre          plumbing, waterproofing dc_cooling
//   leakage            any other                 waterproofing           plumbing, curtain_wall
//   hardware_damage    curtain_wall              curtain_wall            decoration
//   hardware_damage    any other                 decoration              curtain_wall
//   electrical         data_centre               dc_power, electrical    low_voltage
//   electrical         any other                 electrical              low_voltage, dc_power
//   hvac               data_centre               dc_cooling, hvac        —
//   hvac               any other                 hvac                    dc_cooling
//   plumbing           any                       plumbing                waterproofing
//   fire_safety        any                       fire_safety             electrical, low_voltage
//   equipment_failure  data_centre               dc_power, dc_cooling    electrical, hvac, low_voltage
//   equipment_failure  any other                 electrical, hvac        plumbing, low_voltage, dc_power, dc_cooling
//   consultation, other, or no nature yet: the project type's main trade —
//     building → structure (secondary waterproofing, decoration);
//     decoration → decoration; mep → electrical, hvac, plumbing;
//     curtain_wall → curtain_wall; steel_structure → steel (secondary structure);
//     data_centre → dc_power, dc_cooling (secondary electrical, hvac);
//     other or unknown → no particular skill (everyone is neutral).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/grading/grading.h"

namespace domain::dispatch {

struct SkillNeed {
  std::vector<std::string> primary;    // any one of them fully qualifies
  std::vector<std::string> secondary;  // related trades: partly qualify
  std::string rule;                    // which row chose them, e.g. "leakage/curtain_wall"
  bool empty() const { return primary.empty() && secondary.empty(); }
};

SkillNeed RequiredSkills(std::optional<grading::Nature> nature,
                         std::optional<grading::ProjectType> project_type);

// Fit factors, in [0, 1].
inline constexpr double kPrimarySkillFit = 1.0;
inline constexpr double kSecondarySkillFit = 0.6;
inline constexpr double kNeutralFit = 0.5;  // nothing known: neither helps nor hurts

struct SkillFit {
  double value = 0;                  // kPrimarySkillFit, kSecondarySkillFit, 0, or kNeutralFit
  std::vector<std::string> matched;  // the needed skills found, primary first, in need order
  bool primary = false;              // a primary skill was found
  bool not_required = false;         // the need is empty
};
SkillFit FitSkills(const SkillNeed& need, std::span<const std::string> skills);

// Chinese display name of a skill code ("hvac" → "暖通空调"); the code itself when unknown.
std::string_view SkillNameZh(std::string_view code);
// "a、b" in Chinese, "a, b" in English.
std::string JoinSkillsZh(std::span<const std::string> codes);
std::string JoinSkillsEn(std::span<const std::string> codes);

// The skills a certificate licenses, recognised by keywords in its name
// (电工 → electrical, dc_power; 制冷/空调 → hvac, dc_cooling; 消防 → fire_safety;
// 高处作业/吊篮 → curtain_wall; 焊 → steel; 涂装 → steel; 防水 → waterproofing;
// 装饰/装修 → decoration; 建造师/结构 → structure; 弱电/智能化 → low_voltage;
// 给排水/管道 → plumbing). Empty when nothing is recognised.
std::vector<std::string> CertificateSkills(std::string_view certificate_name);
// True when work in this skill normally needs a licence we can recognise.
bool IsLicensedSkill(std::string_view code);

}  // namespace domain::dispatch
