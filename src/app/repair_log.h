// The repair log (维修施工记录) of a service request: what was done, by whom, when, the problems
// met, a progress note for the customer (or kept internal), the parts drawn from stock and the
// free-text materials used, and photos.
//
// A log entry is written only while the request is in_repair or rework, by a technician
// assigned to it (or a service manager / administrator). Its parts are issued from stock in
// the same transaction as the entry — `issue` movements tied to the request — so either the
// entry and every issue are written, or (stock short: 409) nothing is. Each part fitted as a
// replacement is recorded against the request's asset with its own warranty end, computed
// from the part's warranty_months in the project's time zone.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

struct RepairPartLine {
  std::int64_t part_id = 0;
  std::int64_t location_id = 0;
  std::int64_t quantity = 0;
  bool replaced = true;  // fitted as a replacement (gets its own warranty); false for consumables
};

struct RepairMaterialLine {
  std::string name;
  double quantity = 0;
  std::string unit;
};

struct RepairLogInput {
  std::string work_done;
  std::string problems;
  std::string progress_note;
  bool visible_to_customer = false;
  Millis started_at = 0;
  std::optional<Millis> ended_at;
  std::optional<std::vector<std::int64_t>> staff_ids;  // absent: the caller's own staff row
  std::vector<RepairPartLine> parts;
  std::vector<RepairMaterialLine> materials;
  std::vector<std::int64_t> attachment_ids;
};

// Checks a POST body without the database: types, lengths, unknown fields, times (ISO-8601,
// not in the future beyond `clock_skew_ms`, end not before start, start not before
// `not_before` — when the request was reported), quantities, duplicate part lines. Every bad
// field is reported.
std::vector<FieldError> parse_repair_log(const nlohmann::json& body, Millis now, Millis not_before,
                                         RepairLogInput* out, Millis clock_skew_ms = 60'000);

// The states in which repair work is logged.
bool repair_log_allowed_in(const std::string& ticket_state);

class RepairLogService {
 public:
  RepairLogService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Writes one entry with its stock issues, replaced parts, attachment links, timeline event
  // and notification. 403 for customers and for staff not assigned to the request; 404 outside
  // scope; 409 in another state or when stock is short; 422 for bad fields.
  Outcome<nlohmann::json> create(const Actor& actor, std::int64_t ticket_id, const nlohmann::json& body) const;
  // Entries oldest first; customer users see only the entries visible to them, on their own
  // organisation's requests (404 otherwise), without the internal fields.
  Outcome<nlohmann::json> list(const Actor& actor, std::int64_t ticket_id) const;
  // Parts fitted to an asset as replacements, newest first, each with its warranty end.
  Outcome<nlohmann::json> replaced_parts(const Actor& actor, std::int64_t asset_id) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace aftersales::app
