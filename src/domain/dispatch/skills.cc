#include "domain/dispatch/skills.h"

#include <algorithm>
#include <utility>

namespace domain::dispatch {
namespace {

using grading::Nature;
using grading::ProjectType;

SkillNeed Need(std::string rule, std::vector<std::string> primary, std::vector<std::string> secondary = {}) {
  return SkillNeed{std::move(primary), std::move(secondary), std::move(rule)};
}

SkillNeed ByProjectType(std::string_view nature_name, std::optional<ProjectType> type) {
  const std::string prefix = std::string(nature_name) + "/";
  if (!type) return Need(prefix + "unknown_project_type", {});
  const std::string rule = prefix + std::string(grading::ToString(*type));
  switch (*type) {
    case ProjectType::building: return Need(rule, {"structure"}, {"waterproofing", "decoration"});
    case ProjectType::decoration: return Need(rule, {"decoration"});
    case ProjectType::mep: return Need(rule, {"electrical", "hvac", "plumbing"});
    case ProjectType::curtain_wall: return Need(rule, {"curtain_wall"});
    case ProjectType::steel_structure: return Need(rule, {"steel"}, {"structure"});
    case ProjectType::data_centre: return Need(rule, {"dc_power", "dc_cooling"}, {"electrical", "hvac"});
    case ProjectType::other: return Need(rule, {});
  }
  return Need(rule, {});
}

bool Contains(std::span<const std::string> v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

SkillNeed RequiredSkills(std::optional<Nature> nature, std::optional<ProjectType> type) {
  if (!nature) return ByProjectType("none", type);
  const std::string n(grading::ToString(*nature));
  const std::string t = type ? std::string(grading::ToString(*type)) : "any";
  auto is = [&](ProjectType p) { return type && *type == p; };
  switch (*nature) {
    case Nature::structural_safety:
      if (is(ProjectType::steel_structure)) return Need(n + "/" + t, {"steel", "structure"});
      return Need(n + "/any", {"structure"}, {"steel"});
    case Nature::deformation:
      if (is(ProjectType::steel_structure)) return Need(n + "/" + t, {"steel", "structure"});
      if (is(ProjectType::curtain_wall)) return Need(n + "/" + t, {"curtain_wall"}, {"structure"});
      if (is(ProjectType::decoration)) return Need(n + "/" + t, {"decoration"}, {"structure"});
      return Need(n + "/any", {"structure"}, {"steel", "decoration"});
    case Nature::loose_connection:
      if (is(ProjectType::steel_structure)) return Need(n + "/" + t, {"steel", "structure"});
      if (is(ProjectType::curtain_wall)) return Need(n + "/" + t, {"curtain_wall"}, {"steel"});
      return Need(n + "/any", {"structure", "steel"}, {"curtain_wall"});
    case Nature::coating_damage:
      if (is(ProjectType::steel_structure)) return Need(n + "/" + t, {"steel"}, {"structure", "decoration"});
      if (is(ProjectType::decoration)) return Need(n + "/" + t, {"decoration"});
      return Need(n + "/any", {"steel", "decoration"});
    case Nature::leakage:
      if (is(ProjectType::curtain_wall)) return Need(n + "/" + t, {"curtain_wall", "waterproofing"});
      if (is(ProjectType::mep) || is(ProjectType::data_centre))
        return Need(n + "/" + t, {"plumbing", "waterproofing"}, {"dc_cooling"});
      return Need(n + "/any", {"waterproofing"}, {"plumbing", "curtain_wall"});
    case Nature::hardware_damage:
      if (is(ProjectType::curtain_wall)) return Need(n + "/" + t, {"curtain_wall"}, {"decoration"});
      return Need(n + "/any", {"decoration"}, {"curtain_wall"});
    case Nature::electrical:
      if (is(ProjectType::data_centre)) return Need(n + "/" + t, {"dc_power", "electrical"}, {"low_voltage"});
      return Need(n + "/any", {"electrical"}, {"low_voltage", "dc_power"});
    case Nature::hvac:
      if (is(ProjectType::data_centre)) return Need(n + "/" + t, {"dc_cooling", "hvac"});
      return Need(n + "/any", {"hvac"}, {"dc_cooling"});
    case Nature::plumbing: return Need(n + "/any", {"plumbing"}, {"waterproofing"});
    case Nature::fire_safety: return Need(n + "/any", {"fire_safety"}, {"electrical", "low_voltage"});
    case Nature::equipment_failure:
      if (is(ProjectType::data_centre))
        return Need(n + "/" + t, {"dc_power", "dc_cooling"}, {"electrical", "hvac", "low_voltage"});
      return Need(n + "/any", {"electrical", "hvac"}, {"plumbing", "low_voltage", "dc_power", "dc_cooling"});
    case Nature::consultation:
    case Nature::other: return ByProjectType(n, type);
  }
  return ByProjectType(n, type);
}

SkillFit FitSkills(const SkillNeed& need, std::span<const std::string> skills) {
  SkillFit fit;
  if (need.empty()) {
    fit.value = kNeutralFit;
    fit.not_required = true;
    return fit;
  }
  for (const auto& s : need.primary)
    if (Contains(skills, s)) fit.matched.push_back(s);
  fit.primary = !fit.matched.empty();
  for (const auto& s : need.secondary)
    if (Contains(skills, s)) fit.matched.push_back(s);
  fit.value = fit.primary ? kPrimarySkillFit : (fit.matched.empty() ? 0.0 : kSecondarySkillFit);
  return fit;
}

std::string_view SkillNameZh(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"structure", "结构"},          {"electrical", "电气"},        {"plumbing", "给排水"},
      {"hvac", "暖通空调"},           {"curtain_wall", "幕墙"},      {"steel", "钢结构"},
      {"decoration", "装饰装修"},     {"waterproofing", "防水"},     {"fire_safety", "消防"},
      {"dc_power", "数据中心供配电"}, {"dc_cooling", "数据中心制冷"}, {"low_voltage", "弱电智能化"},
  };
  for (const auto& [c, zh] : kNames)
    if (c == code) return zh;
  return code;
}

std::string JoinSkillsZh(std::span<const std::string> codes) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += "、";
    out += SkillNameZh(c);
  }
  return out;
}

std::string JoinSkillsEn(std::span<const std::string> codes) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

std::vector<std::string> CertificateSkills(std::string_view name) {
  static const std::pair<std::string_view, std::vector<std::string>> kKeywords[] = {
      {"电工", {"electrical", "dc_power"}},
      {"制冷", {"hvac", "dc_cooling"}},
      {"空调", {"hvac", "dc_cooling"}},
      {"消防", {"fire_safety"}},
      {"高处作业", {"curtain_wall"}},
      {"吊篮", {"curtain_wall"}},
      {"焊", {"steel"}},
      {"涂装", {"steel"}},
      {"防水", {"waterproofing"}},
      {"装饰", {"decoration"}},
      {"装修", {"decoration"}},
      {"建造师", {"structure"}},
      {"结构", {"structure"}},
      {"弱电", {"low_voltage"}},
      {"智能化", {"low_voltage"}},
      {"给排水", {"plumbing"}},
      {"管道", {"plumbing"}},
  };
  std::vector<std::string> out;
  for (const auto& [kw, skills] : kKeywords)
    if (name.find(kw) != std::string_view::npos)
      for (const auto& s : skills)
        if (!Contains(out, s)) out.push_back(s);
  return out;
}

bool IsLicensedSkill(std::string_view code) {
  // Special operations (特种作业) that need a valid operation certificate on site.
  static constexpr std::string_view kLicensed[] = {"electrical", "dc_power", "hvac", "dc_cooling",
                                                   "fire_safety", "curtain_wall", "steel"};
  return std::find(std::begin(kLicensed), std::end(kLicensed), code) != std::end(kLicensed);
}

}  // namespace domain::dispatch
