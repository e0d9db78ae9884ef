// Routes for stock and the repair log: stock levels and the movement ledger, receipts /
// transfers / adjustments / returns, repair-log entries on a request (issuing parts from stock),
// and the parts fitted to an asset with their warranty. The part catalogue and stock locations
// are master-data resources (/api/v1/parts, /api/v1/stock-locations).
#include <memory>

#include "app/parts.h"
#include "app/repair_log.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {
namespace {

using json = nlohmann::json;

template <typename T>
Response plain_reply(const app::Outcome<T>& out, const Request& req, int status = 200) {
  if (!out) return problem(out.error(), req.request_id);
  return Response::json(status, out.value());
}

json query_param(const std::string& name, const std::string& type, const std::string& description) {
  return {{"name", name}, {"in", "query"}, {"description", description}, {"schema", {{"type", type}}}};
}

std::vector<json> paging() {
  return {query_param("limit", "integer", "1–200, default 20"), query_param("offset", "integer", "default 0")};
}

json page_of(const json& item) {
  return {{"type", "object"},
          {"required", {"items", "total", "limit", "offset"}},
          {"properties",
           {{"items", {{"type", "array"}, {"items", item}}}, {"total", {{"type", "integer"}}},
            {"limit", {{"type", "integer"}}}, {"offset", {{"type", "integer"}}}}}};
}

json movement_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"part_id", {{"type", "integer"}}},
            {"part_code", {{"type", "string"}}},
            {"part_name", {{"type", "string"}}},
            {"location_id", {{"type", "integer"}}},
            {"location_name", {{"type", "string"}}},
            {"kind", {{"type", "string"}, {"enum", app::stock_movement_kinds()}}},
            {"quantity", {{"type", "integer"}, {"description", "signed: positive into the location, negative out of it"}}},
            {"balance_after", {{"type", "integer"}}},
            {"ticket_id", {{"type", {"integer", "null"}}}},
            {"repair_log_id", {{"type", {"integer", "null"}}}},
            {"related_location_id", {{"type", {"integer", "null"}}, {"description", "the other end of a transfer"}}},
            {"unit_cost", {{"type", {"number", "null"}}}},
            {"reason", {{"type", "string"}}},
            {"reference", {{"type", "string"}}},
            {"actor_name", {{"type", "string"}}},
            {"at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

json level_schema() {
  return {{"type", "object"},
          {"properties",
           {{"part_id", {{"type", "integer"}}},
            {"part_code", {{"type", "string"}}},
            {"part_name", {{"type", "string"}}},
            {"spec", {{"type", "string"}}},
            {"unit", {{"type", "string"}}},
            {"category", {{"type", "string"}}},
            {"location_id", {{"type", "integer"}}},
            {"location_name", {{"type", "string"}}},
            {"location_kind", {{"type", "string"}}},
            {"quantity", {{"type", "integer"}}},
            {"safety_stock", {{"type", "integer"}}},
            {"reorder_point", {{"type", "integer"}}},
            {"below_reorder", {{"type", "boolean"}}},
            {"below_safety", {{"type", "boolean"}}},
            {"updated_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

json repair_log_request_schema() {
  json id_list = {{"type", "array"}, {"items", {{"type", "integer"}}}, {"maxItems", 50}};
  return {{"type", "object"},
          {"required", {"work_done", "started_at"}},
          {"additionalProperties", false},
          {"properties",
           {{"work_done", {{"type", "string"}, {"maxLength", 4000}, {"description", "what was done"}}},
            {"problems", {{"type", "string"}, {"maxLength", 4000}, {"description", "problems met (internal)"}}},
            {"progress_note", {{"type", "string"}, {"maxLength", 4000}}},
            {"visible_to_customer", {{"type", "boolean"}, {"default", false}}},
            {"started_at", {{"type", "string"}, {"format", "date-time"}}},
            {"ended_at", {{"type", "string"}, {"format", "date-time"}, {"description", "not before started_at; neither in the future"}}},
            {"staff_ids", id_list},
            {"parts",
             {{"type", "array"},
              {"maxItems", 50},
              {"description", "issued from stock with the entry; 409 (nothing written) when any is short"},
              {"items",
               {{"type", "object"},
                {"required", {"part_id", "location_id", "quantity"}},
                {"properties",
                 {{"part_id", {{"type", "integer"}}},
                  {"location_id", {{"type", "integer"}}},
                  {"quantity", {{"type", "integer"}, {"minimum", 1}}},
                  {"replaced", {{"type", "boolean"}, {"default", true},
                                {"description", "fitted as a replacement: recorded on the asset with its own warranty"}}}}}}}}},
            {"materials",
             {{"type", "array"},
              {"maxItems", 50},
              {"items",
               {{"type", "object"},
                {"required", {"name", "quantity"}},
                {"properties",
                 {{"name", {{"type", "string"}}}, {"quantity", {{"type", "number"}}}, {"unit", {{"type", "string"}}}}}}}}},
            {"attachment_ids", id_list}}}};
}

json repair_log_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"ticket_id", {{"type", "integer"}}},
            {"work_done", {{"type", "string"}}},
            {"problems", {{"type", "string"}, {"description", "staff only"}}},
            {"progress_note", {{"type", "string"}}},
            {"visible_to_customer", {{"type", "boolean"}}},
            {"started_at", {{"type", "string"}, {"format", "date-time"}}},
            {"ended_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
            {"staff", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"parts", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"materials", {{"type", "array"}, {"items", {{"type", "object"}}}}},
            {"attachment_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}}}}};
}

}  // namespace

void register_parts_routes(Router& router, ApiContext& ctx) {
  auto stock = std::make_shared<app::StockService>(ctx.db, ctx.clock);
  auto logs = std::make_shared<app::RepairLogService>(ctx.db, ctx.clock);

  Route levels{"GET", "/api/v1/stock", "listStockLevels",
               "Stock per (part, location), by part code; below_reorder=true lists what is at or below its reorder point",
               "stock"};
  levels.response_schema = page_of(level_schema());
  levels.query_parameters = paging();
  levels.query_parameters.push_back(query_param("part_id", "integer", "one part"));
  levels.query_parameters.push_back(query_param("location_id", "integer", "one stock location"));
  levels.query_parameters.push_back(query_param("below_reorder", "boolean", "only quantities at or below the reorder point"));
  levels.query_parameters.push_back(query_param("category", "string", "part category"));
  levels.query_parameters.push_back(query_param("q", "string", "part code or name contains"));
  levels.handler = [stock](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return plain_reply(stock->levels(*req.actor, *q), req);
  };
  levels.cache_views = true;
  router.add(levels);

  Route list{"GET", "/api/v1/stock/movements", "listStockMovements", "The stock ledger, newest first (paged)", "stock"};
  list.response_schema = page_of(movement_schema());
  list.query_parameters = paging();
  for (const char* f : {"part_id", "location_id", "ticket_id", "repair_log_id"})
    list.query_parameters.push_back(query_param(f, "integer", ""));
  list.query_parameters.push_back(query_param("kind", "string", "receipt, issue, return, transfer_out, transfer_in, adjustment"));
  list.query_parameters.push_back(query_param("from", "string", "ISO-8601 time, inclusive"));
  list.query_parameters.push_back(query_param("to", "string", "ISO-8601 time, exclusive"));
  list.handler = [stock](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return plain_reply(stock->movements(*req.actor, *q), req);
  };
  router.add(list);

  Route move{"POST", "/api/v1/stock/movements", "createStockMovement",
             "Receipt, transfer (two movements), adjustment (signed, with reason) or return from a request; never lets "
             "stock go negative (409 naming part, location and the available quantity). Procurement, service manager, admin",
             "stock"};
  move.request_schema = {{"type", "object"},
                         {"required", {"kind", "part_id", "location_id", "quantity"}},
                         {"properties",
                          {{"kind", {{"type", "string"}, {"enum", {"receipt", "adjustment", "transfer", "return"}}}},
                           {"part_id", {{"type", "integer"}}},
                           {"location_id", {{"type", "integer"}, {"description", "for a transfer: the source"}}},
                           {"to_location_id", {{"type", "integer"}, {"description", "transfer only"}}},
                           {"ticket_id", {{"type", "integer"}, {"description", "return only"}}},
                           {"quantity", {{"type", "integer"}, {"description", "positive; signed for an adjustment"}}},
                           {"unit_cost", {{"type", "number"}, {"description", "receipt only"}}},
                           {"reason", {{"type", "string"}, {"description", "required for an adjustment"}}},
                           {"reference", {{"type", "string"}}}}}};
  move.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", movement_schema()}}}}}};
  move.success_status = 201;
  move.handler = [stock](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return plain_reply(stock->move(*req.actor, *body), req, 201);
  };
  router.add(move);

  Route add_log{"POST", "/api/v1/tickets/{id}/repair-logs", "createRepairLog",
                "Log repair work on a request in in_repair or rework (assigned technicians, service manager, admin); the "
                "parts are issued from stock in the same transaction",
                "repair"};
  add_log.request_schema = repair_log_request_schema();
  add_log.response_schema = repair_log_schema();
  add_log.success_status = 201;
  add_log.handler = [logs](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return plain_reply(logs->create(*req.actor, *id, *body), req, 201);
  };
  router.add(add_log);

  Route get_logs{"GET", "/api/v1/tickets/{id}/repair-logs", "listRepairLogs",
                 "The repair log of a request, oldest first (customers: the entries shared with them)", "repair"};
  get_logs.response_schema = {{"type", "object"},
                              {"properties", {{"ticket_id", {{"type", "integer"}}},
                                              {"items", {{"type", "array"}, {"items", repair_log_schema()}}}}}};
  get_logs.handler = [logs](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    return plain_reply(logs->list(*req.actor, *id), req);
  };
  router.add(get_logs);

  Route replaced{"GET", "/api/v1/assets/{id}/replaced-parts", "listReplacedParts",
                 "Parts fitted to an asset as replacements, newest first, each with its own warranty end", "assets"};
  replaced.response_schema = {{"type", "object"},
                              {"properties", {{"asset_id", {{"type", "integer"}}}, {"items", {{"type", "array"}}}}}};
  replaced.handler = [logs](Request& req) {
    auto id = path_id(req, "id", "asset");
    if (!id) return problem(id.error(), req.request_id);
    return plain_reply(logs->replaced_parts(*req.actor, *id), req);
  };
  router.add(replaced);
}

}  // namespace aftersales::http
