// Parts and materials (备品备件/材料): the catalogue, stock locations, and stock per
// (part, location).
//
// The catalogue and the locations are ResourceSpecs served by the generic ResourceService
// (mounted from master_data_resources()). Stock is an append-only ledger, `stock_movements`
// (receipt, issue to a request, return from a request, transfer out/in, adjustment), with the
// balance of every (part, location) kept beside it in `stock_levels`. Each movement changes the
// balance with one conditional statement — an upsert for stock coming in, an
// `UPDATE ... WHERE quantity >= ?` for stock going out — and appends its ledger row in the same
// transaction, so a balance can never go below zero, whatever the number of concurrent requests
// or processes (SQLite serialises writers; PostgreSQL re-checks the condition on the row it
// waited for). Quantities are whole units of the part's unit.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "app/resource.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

const std::vector<std::string>& stock_location_kinds();  // warehouse, service_centre, vehicle
// receipt, issue, return, transfer_out, transfer_in, adjustment
const std::vector<std::string>& stock_movement_kinds();

const ResourceSpec& part_spec();
const ResourceSpec& stock_location_spec();

// --- Pure rules ------------------------------------------------------------------------------

// 'YYYY-MM-DD' plus `months`, the day clamped to the end of a shorter month (2025-01-31 + 1 →
// 2025-02-28). nullopt for a malformed date.
std::optional<std::string> add_months(const std::string& ymd, int months);
// The last day of the warranty of a part fitted at `replaced_at`: the local date in `time_zone`
// plus `warranty_months`; nullopt when the part carries no warranty (0 months).
std::optional<std::string> part_warranty_until(Millis replaced_at, int warranty_months, const std::string& time_zone);

// A movement request of POST /stock/movements, checked without the database:
//   receipt    {kind, part_id, location_id, quantity > 0, unit_cost?, reference?, reason?}
//   adjustment {kind, part_id, location_id, quantity ≠ 0 (signed), reason (required), reference?}
//   transfer   {kind, part_id, location_id (from), to_location_id (≠ from), quantity > 0, reason?, reference?}
//   return     {kind, part_id, location_id, ticket_id, quantity > 0, reason?, reference?}
// Every bad field is reported.
std::vector<FieldError> check_movement_request(const nlohmann::json& body);

// --- Inside a caller's write transaction -----------------------------------------------------

struct StockChange {
  std::int64_t part_id = 0;
  std::int64_t location_id = 0;
  std::string kind;        // one of stock_movement_kinds()
  std::int64_t quantity = 0;  // signed: + in, - out
  std::optional<std::int64_t> ticket_id;
  std::optional<std::int64_t> repair_log_id;
  std::optional<std::int64_t> related_location_id;
  std::optional<double> unit_cost;
  std::string reason;
  std::string reference;
  std::string field = "quantity";  // the field an insufficient-stock error names
};

// Changes the balance and appends the ledger row. Returns the movement as JSON, or a Conflict
// naming the part, the location and the available quantity when stock would go negative — in
// which case this change wrote nothing, but the caller must roll back what it wrote before
// (see write_or_rollback).
Outcome<nlohmann::json> apply_stock_change(store::Connection& tx, const Actor& actor, const StockChange& change,
                                           Millis now);

// Runs `fn` in one write transaction and commits only if it returns a value: an Error rolls
// back everything `fn` wrote.
Outcome<nlohmann::json> write_or_rollback(store::Database& db,
                                          const std::function<Outcome<nlohmann::json>(store::Connection&)>& fn);

// --- The use cases behind the stock API ------------------------------------------------------

class StockService {
 public:
  StockService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Levels per (part, location), paged; filters part_id, location_id, below_reorder=true
  // (quantity at or below the part's reorder point), category, q (part code or name).
  Outcome<nlohmann::json> levels(const Actor& actor, const ListQuery& query) const;
  // The ledger, newest first, paged; filters part_id, location_id, ticket_id, kind, from, to (ISO).
  Outcome<nlohmann::json> movements(const Actor& actor, const ListQuery& query) const;
  // Receipt, adjustment, transfer or return (see check_movement_request); answers the movements
  // written ({items: [...]}, two for a transfer).
  Outcome<nlohmann::json> move(const Actor& actor, const nlohmann::json& body) const;

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace aftersales::app
