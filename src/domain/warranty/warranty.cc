#include "domain/warranty/warranty.h"

#include <vector>

namespace domain::warranty {

WarrantyTerm WarrantyTerm::FromMonths(date::year_month_day start, int months) {
  auto ym = date::year_month{start.year(), start.month()} + date::months{months};
  auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}};
  auto d = start.day() <= last.day() ? start.day() : last.day();
  return {start, date::year_month_day{ym.year(), ym.month(), d}};
}

std::string_view ToString(WarrantyStatus s) {
  switch (s) {
    case WarrantyStatus::in_warranty: return "in_warranty";
    case WarrantyStatus::expired: return "expired";
    case WarrantyStatus::not_started: return "not_started";
  }
  return "unknown";
}

std::optional<WarrantyStatus> ParseWarrantyStatus(std::string_view n) {
  for (auto s : {WarrantyStatus::in_warranty, WarrantyStatus::expired, WarrantyStatus::not_started})
    if (ToString(s) == n) return s;
  return std::nullopt;
}

std::string_view ToString(WarrantySource s) {
  switch (s) {
    case WarrantySource::project: return "project";
    case WarrantySource::asset: return "asset";
    case WarrantySource::part: return "part";
  }
  return "unknown";
}

WarrantyCoverage WarrantyOn(const WarrantySubject& subject, date::year_month_day day) {
  // Most specific first.
  std::vector<std::pair<WarrantySource, WarrantyTerm>> terms;
  if (subject.replaced_part) terms.push_back({WarrantySource::part, *subject.replaced_part});
  if (subject.asset) terms.push_back({WarrantySource::asset, *subject.asset});
  terms.push_back({WarrantySource::project, subject.project});
  for (const auto& [source, term] : terms) {
    if (term.Covers(day)) {
      int left = (date::sys_days{term.end} - date::sys_days{day}).count();
      return {WarrantyStatus::in_warranty, source, term, left};
    }
  }
  bool before_all = true;
  for (const auto& [source, term] : terms) before_all = before_all && day < term.start;
  return {before_all ? WarrantyStatus::not_started : WarrantyStatus::expired, terms.front().first,
          terms.front().second, 0};
}

}  // namespace domain::warranty
