// Warranty of a project, an asset or a replaced part on a given day.
#pragma once

#include <optional>
#include <string_view>

#include <date/date.h>

namespace domain::warranty {

// A warranty period of local dates: [start, end), end being the first day no
// longer covered.
struct WarrantyTerm {
  date::year_month_day start;
  date::year_month_day end;

  // `months` from `start` (typically 12 for decoration, 24 otherwise). The end
  // day is clamped to the month's length: 2024-02-29 + 12 months covers up
  // to and including 2025-02-27, the end being 2025-02-28.
  static WarrantyTerm FromMonths(date::year_month_day start, int months);
  bool Covers(date::year_month_day day) const { return start <= day && day < end; }
};

enum class WarrantyStatus { in_warranty, expired, not_started };
std::string_view ToString(WarrantyStatus s);
std::optional<WarrantyStatus> ParseWarrantyStatus(std::string_view name);

// Which term decided the status.
enum class WarrantySource { project, asset, part };
std::string_view ToString(WarrantySource s);

// The terms that may apply to the thing that failed. The project's runs from
// completion acceptance; an asset may carry its own (e.g. the supplier's); a
// part replaced during service carries its own from the replacement day.
struct WarrantySubject {
  WarrantyTerm project;
  std::optional<WarrantyTerm> asset = std::nullopt;
  std::optional<WarrantyTerm> replaced_part = std::nullopt;
};

struct WarrantyCoverage {
  WarrantyStatus status;
  WarrantySource source;  // the covering term; else the most specific recorded term
  WarrantyTerm term;      // that term
  int days_left;          // covered days from `day` on (0 unless in warranty)
};

// The warranty on `day`. The customer gets the most favourable applicable
// term: in warranty when any term covers the day (the most specific covering
// term is named: part, then asset, then project); otherwise not_started when
// the day precedes every term, else expired, naming the most specific term.
WarrantyCoverage WarrantyOn(const WarrantySubject& subject, date::year_month_day day);

}  // namespace domain::warranty
