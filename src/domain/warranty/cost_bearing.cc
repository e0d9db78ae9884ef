#include "domain/warranty/cost_bearing.h"

#include <array>

#include "domain/enum_names.h"

namespace domain::warranty {
namespace {
constexpr std::array<std::string_view, kCauseCount> kCauses = {
    "design", "material", "construction", "installation", "improper_use_or_maintenance",
    "environment", "force_majeure", "unknown"};
constexpr std::array<std::string_view, kCauseCount> kCausesZh = {
    "设计", "材料", "施工工艺", "安装", "使用或维护不当", "环境因素", "不可抗力", "原因不明"};
constexpr std::array<std::string_view, kCauseCount> kCausesEn = {
    "design", "material", "construction", "installation", "improper use or maintenance",
    "environment", "force majeure", "unknown cause"};
constexpr std::array<std::string_view, kCostBearingCount> kBearings = {"free", "at_cost", "paid",
                                                                      "disputed"};

std::string Str(std::string_view s) { return std::string(s); }
}  // namespace

std::string_view ToString(Cause c) { return detail::EnumName(std::span{kCauses}, c); }
std::optional<Cause> ParseCause(std::string_view n) { return detail::EnumFromName<Cause>(kCauses, n); }
std::string_view ToString(CostBearing b) { return detail::EnumName(std::span{kBearings}, b); }
std::optional<CostBearing> ParseCostBearing(std::string_view n) {
  return detail::EnumFromName<CostBearing>(kBearings, n);
}

bool IsContractorCause(Cause c) {
  return c == Cause::design || c == Cause::material || c == Cause::construction ||
         c == Cause::installation;
}

CostDecision DecideCostBearing(Cause cause, WarrantyStatus status) {
  CostDecision d;
  d.params = {{"cause", Str(ToString(cause))}, {"warranty_status", Str(ToString(status))}};
  std::string zh_cause = Str(detail::EnumName(std::span{kCausesZh}, cause));
  std::string en_cause = Str(detail::EnumName(std::span{kCausesEn}, cause));
  bool covered = status != WarrantyStatus::expired;
  if (cause == Cause::unknown) {
    d.bearing = CostBearing::disputed;
    d.reason_code = "responsibility_unknown";
    d.reason_zh = "责任原因未查明，费用承担有争议：记录在案，协商或提请第三方鉴定";
    d.reason_en = "Responsibility not established: disputed, to be negotiated or referred to a third party";
  } else if (IsContractorCause(cause) && covered) {
    d.bearing = CostBearing::free;
    d.reason_code = "contractor_cause_in_warranty";
    d.reason_zh = "保修期内，原因为" + zh_cause + "（承包方责任），免费维修";
    d.reason_en = "In warranty and caused by " + en_cause + " (contractor's responsibility): free of charge";
  } else if (IsContractorCause(cause)) {
    d.bearing = CostBearing::at_cost;
    d.reason_code = "contractor_cause_out_of_warranty";
    d.reason_zh = "已过保修期，原因为" + zh_cause + "，按终身维护成本价收费";
    d.reason_en = "Out of warranty, caused by " + en_cause + ": lifetime maintenance at cost";
  } else if (cause == Cause::improper_use_or_maintenance) {
    d.bearing = CostBearing::paid;
    d.reason_code = "customer_cause";
    d.reason_zh = "原因为使用或维护不当（客户责任），有偿服务，施工前报价确认";
    d.reason_en = "Caused by improper use or maintenance (customer's responsibility): paid service, quoted and agreed before work";
  } else {
    d.bearing = CostBearing::at_cost;
    d.reason_code = "external_cause";
    d.reason_zh = "原因为" + zh_cause + "（非承包方责任），按成本价收费";
    d.reason_en = "Caused by " + en_cause + " (not the contractor's responsibility): at cost";
  }
  return d;
}

Result<CostDecision> OverrideCostBearing(const CostDecision& decision, CostBearing bearing,
                                         std::string reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
    return Fail("override_reason_required", "overriding the cost bearing needs a reason");
  CostDecision d = decision;
  if (!d.default_bearing) d.default_bearing = decision.bearing;
  d.bearing = bearing;
  d.override_reason = std::move(reason);
  d.reason_code = "overridden";
  d.params["default_bearing"] = Str(ToString(*d.default_bearing));
  d.params["override_reason"] = d.override_reason;
  d.reason_zh = "人工调整为" + Str(ToString(bearing)) + "，原因：" + d.override_reason + "（默认：" +
                decision.reason_zh + "）";
  d.reason_en = "Overridden to " + Str(ToString(bearing)) + ": " + d.override_reason + " (default: " +
                decision.reason_en + ")";
  return d;
}

}  // namespace domain::warranty
