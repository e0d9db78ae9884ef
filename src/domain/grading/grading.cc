#include "domain/grading/grading.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "domain/enum_names.h"

namespace domain::grading {

namespace {
constexpr std::array<std::string_view, kNatureCount> kNatures = {
    "structural_safety", "deformation", "loose_connection", "coating_damage", "leakage",
    "hardware_damage", "electrical", "hvac", "plumbing", "fire_safety", "equipment_failure",
    "consultation", "other"};
constexpr std::array<std::string_view, kProjectTypeCount> kProjectTypes = {
    "building", "decoration", "mep", "curtain_wall", "steel_structure", "data_centre", "other"};
constexpr std::array<std::string_view, 4> kCriticality = {"low", "normal", "high", "critical"};

using G = sla::Grade;
using N = Nature;
constexpr Keyword kKeywords[] = {
    {"坍塌", N::structural_safety, G::emergency, 10},  {"倒塌", N::structural_safety, G::emergency, 10},
    {"垮塌", N::structural_safety, G::emergency, 10},  {"collapse", N::structural_safety, G::emergency, 10},
    {"裂缝", N::structural_safety, G::complex, 4},     {"开裂", N::structural_safety, G::complex, 4},
    {"crack", N::structural_safety, G::complex, 4},    {"变形", N::deformation, G::simple, 4},
    {"翘曲", N::deformation, G::simple, 3},            {"deform", N::deformation, G::simple, 4},
    {"松动", N::loose_connection, G::simple, 4},       {"脱扣", N::loose_connection, G::simple, 3},
    {"loose", N::loose_connection, G::simple, 4},      {"锈蚀", N::coating_damage, G::general_defect, 4},
    {"生锈", N::coating_damage, G::general_defect, 4}, {"涂层", N::coating_damage, G::general_defect, 3},
    {"掉漆", N::coating_damage, G::general_defect, 3}, {"rust", N::coating_damage, G::general_defect, 4},
    {"划痕", N::coating_damage, G::general_defect, 2}, {"色差", N::coating_damage, G::general_defect, 2},
    {"漏水", N::leakage, G::medium, 5},                {"渗漏", N::leakage, G::medium, 5},
    {"渗水", N::leakage, G::medium, 4},                {"水浸", N::leakage, G::emergency, 5},
    {"大面积漏水", N::leakage, G::emergency, 3},        {"leak", N::leakage, G::medium, 5},
    {"门锁", N::hardware_damage, G::simple, 4},        {"合页", N::hardware_damage, G::simple, 4},
    {"把手", N::hardware_damage, G::simple, 3},        {"五金", N::hardware_damage, G::simple, 4},
    {"闭门器", N::hardware_damage, G::simple, 4},      {"漏电", N::electrical, G::emergency, 6},
    {"触电", N::electrical, G::emergency, 6},          {"跳闸", N::electrical, G::medium, 4},
    {"短路", N::electrical, G::medium, 4},             {"停电", N::electrical, G::medium, 4},
    {"插座", N::electrical, G::medium, 3},             {"照明", N::electrical, G::simple, 2},
    {"空调", N::hvac, G::complex, 7},                  {"制冷", N::hvac, G::complex, 4},
    {"新风", N::hvac, G::complex, 4},                  {"hvac", N::hvac, G::complex, 5},
    {"水管", N::plumbing, G::medium, 4},               {"下水", N::plumbing, G::medium, 4},
    {"堵塞", N::plumbing, G::medium, 3},               {"爆管", N::plumbing, G::emergency, 5},
    {"火灾", N::fire_safety, G::emergency, 10},        {"着火", N::fire_safety, G::emergency, 10},
    {"冒烟", N::fire_safety, G::emergency, 6},         {"fire", N::fire_safety, G::emergency, 10},
    {"消防", N::fire_safety, G::medium, 4},            {"停机", N::equipment_failure, G::complex, 5},
    {"宕机", N::equipment_failure, G::emergency, 6},   {"故障", N::equipment_failure, G::medium, 1},
    {"报警", N::equipment_failure, G::medium, 2},      {"咨询", N::consultation, G::consultation, 3},
    {"如何", N::consultation, G::consultation, 3},     {"怎么", N::consultation, G::consultation, 2},
    {"请问", N::consultation, G::consultation, 2},     {"how to", N::consultation, G::consultation, 3},
};

// Higher is more severe; feedback and complaint are never suggested.
int Severity(G g) {
  switch (g) {
    case G::consultation: return 0;
    case G::general_defect: return 1;
    case G::simple: return 2;
    case G::medium: return 3;
    case G::complex: return 4;
    case G::emergency: return 5;
    default: return 0;
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x80) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string S(std::string_view s) { return std::string(s); }

}  // namespace

std::string_view ToString(Nature n) { return detail::EnumName(std::span{kNatures}, n); }
std::optional<Nature> ParseNature(std::string_view n) { return detail::EnumFromName<Nature>(kNatures, n); }
std::string_view ToString(ProjectType t) { return detail::EnumName(std::span{kProjectTypes}, t); }
std::optional<ProjectType> ParseProjectType(std::string_view n) {
  return detail::EnumFromName<ProjectType>(kProjectTypes, n);
}
std::string_view ToString(AssetCriticality c) { return detail::EnumName(std::span{kCriticality}, c); }
std::optional<AssetCriticality> ParseAssetCriticality(std::string_view n) {
  return detail::EnumFromName<AssetCriticality>(kCriticality, n);
}

std::span<const Keyword> DefaultKeywords() { return kKeywords; }

GradingSuggestion SuggestGrade(const GradingInput& input, std::span<const Keyword> keywords) {
  GradingSuggestion out{Nature::other, G::simple, {}};
  const std::string text = Lower(input.description);
  std::map<Nature, int> votes;
  std::map<Nature, int> nature_severity;
  std::optional<G> grade;
  bool only_consultation = true;
  for (const auto& k : keywords) {
    if (text.find(Lower(k.text)) == std::string::npos) continue;
    votes[k.nature] += k.weight;
    nature_severity[k.nature] = std::max(nature_severity[k.nature], Severity(k.grade));
    if (k.grade != G::consultation) only_consultation = false;
    if (k.grade != G::consultation && (!grade || Severity(k.grade) > Severity(*grade))) grade = k.grade;
    out.reasons.push_back("keyword '" + S(k.text) + "' → " + S(ToString(k.nature)) + ", " +
                          S(sla::ToString(k.grade)));
  }
  if (votes.empty()) {
    out.reasons.push_back("no keyword matched → other, simple");
    return out;
  }
  out.nature = std::max_element(votes.begin(), votes.end(), [&](const auto& a, const auto& b) {
                 if (a.second != b.second) return a.second < b.second;
                 return nature_severity[a.first] < nature_severity[b.first];
               })->first;
  out.grade = only_consultation ? G::consultation : *grade;
  if (!only_consultation) {
    // A fault that also asks a question is a fault; the nature follows the fault.
    if (out.nature == Nature::consultation) {
      votes.erase(Nature::consultation);
      out.nature = std::max_element(votes.begin(), votes.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; })
                       ->first;
    }
  }

  bool machine = out.nature == Nature::equipment_failure || out.nature == Nature::hvac ||
                 out.nature == Nature::electrical;
  if (machine && out.grade != G::emergency) {
    if (input.project_type == ProjectType::data_centre) {
      out.grade = G::emergency;
      out.reasons.push_back("data centre project: " + S(ToString(out.nature)) + " failure → emergency");
    } else if (input.criticality == AssetCriticality::critical) {
      out.grade = G::emergency;
      out.reasons.push_back("critical asset: " + S(ToString(out.nature)) + " failure → emergency");
    }
  }
  if (input.criticality == AssetCriticality::high &&
      (out.grade == G::simple || out.grade == G::medium)) {
    G raised = out.grade == G::simple ? G::medium : G::complex;
    out.reasons.push_back("high-criticality asset: " + S(sla::ToString(out.grade)) + " raised to " +
                          S(sla::ToString(raised)));
    out.grade = raised;
  }
  return out;
}

}  // namespace domain::grading
