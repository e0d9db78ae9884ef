// Who bears the cost of a repair: a default from the responsibility cause and
// the warranty status, with the reason spelled out, and a human override.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.h"
#include "domain/warranty/warranty.h"

namespace domain::warranty {

enum class Cause {
  design,
  material,
  construction,
  installation,
  improper_use_or_maintenance,
  environment,
  force_majeure,
  unknown,
};
inline constexpr int kCauseCount = 8;
std::string_view ToString(Cause c);
std::optional<Cause> ParseCause(std::string_view name);
// True for the causes the contractor answers for (design, material,
// construction, installation).
bool IsContractorCause(Cause c);

enum class CostBearing {
  free,      // 免费 — contractor bears it
  at_cost,   // 成本价 — lifetime maintenance at cost
  paid,      // 有偿服务 — quoted and agreed before work
  disputed,  // 责任有争议 — recorded, negotiated or referred to a third party
};
inline constexpr int kCostBearingCount = 4;
std::string_view ToString(CostBearing b);
std::optional<CostBearing> ParseCostBearing(std::string_view name);

struct CostDecision {
  CostBearing bearing;
  // Stable code plus parameters for the UI to translate, and ready texts.
  std::string reason_code;  // e.g. "contractor_cause_in_warranty"
  std::map<std::string, std::string> params;  // e.g. cause, warranty_status
  std::string reason_zh;
  std::string reason_en;
  // Set by OverrideCostBearing: the default that was replaced and why.
  std::optional<CostBearing> default_bearing;
  std::string override_reason;
};

// The default decision:
//   unknown cause                                  → disputed
//   contractor cause, in warranty (or before it)   → free
//   contractor cause, warranty expired             → at_cost (lifetime maintenance)
//   improper use or maintenance                    → paid
//   environment, force majeure                     → at_cost
CostDecision DecideCostBearing(Cause cause, WarrantyStatus status);

// Replaces the bearing of `decision`, keeping the default and recording the
// reason. Error "override_reason_required" when `reason` is blank.
Result<CostDecision> OverrideCostBearing(const CostDecision& decision, CostBearing bearing,
                                         std::string reason);

}  // namespace domain::warranty
