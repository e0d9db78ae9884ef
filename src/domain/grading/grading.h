// Grading helper: suggests a problem nature and a grade from the description
// and context, with the reasons — a suggestion the agent confirms, never a
// decision. Plain UTF-8 substring matching over a keyword table.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/sla/grade.h"

namespace domain::grading {

enum class Nature {
  structural_safety,
  deformation,
  loose_connection,
  coating_damage,
  leakage,
  hardware_damage,
  electrical,
  hvac,
  plumbing,
  fire_safety,
  equipment_failure,
  consultation,
  other,
};
inline constexpr int kNatureCount = 13;
std::string_view ToString(Nature n);
std::optional<Nature> ParseNature(std::string_view name);

enum class ProjectType { building, decoration, mep, curtain_wall, steel_structure, data_centre, other };
inline constexpr int kProjectTypeCount = 7;
std::string_view ToString(ProjectType t);
std::optional<ProjectType> ParseProjectType(std::string_view name);

enum class AssetCriticality { low, normal, high, critical };
std::string_view ToString(AssetCriticality c);
std::optional<AssetCriticality> ParseAssetCriticality(std::string_view name);

struct Keyword {
  std::string_view text;  // UTF-8, matched as a substring (ASCII case-insensitively)
  Nature nature;
  sla::Grade grade;       // the grade this keyword suggests on its own
  int weight;             // votes for the nature
};

// The built-in keyword table (Chinese first, some English).
std::span<const Keyword> DefaultKeywords();

struct GradingInput {
  std::string_view description;
  std::optional<ProjectType> project_type;
  AssetCriticality criticality = AssetCriticality::normal;
};

struct GradingSuggestion {
  Nature nature;
  sla::Grade grade;
  std::vector<std::string> reasons;  // one line per matched keyword or rule, English
};

// Suggests nature and grade. The nature with the most keyword weight wins
// (ties: the more severe grade); the grade is the most severe grade suggested
// by any matched keyword, "consultation" only when nothing but consultation
// words matched. Then context: in a data centre, or on a critical asset, a
// failure of equipment, HVAC or electrics is an emergency; a high-criticality
// asset raises the grade one step (simple → medium → complex). Nothing
// matched: other / simple. `keywords` defaults to DefaultKeywords().
GradingSuggestion SuggestGrade(const GradingInput& input,
                               std::span<const Keyword> keywords = DefaultKeywords());

}  // namespace domain::grading
