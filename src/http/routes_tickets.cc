// Routes for service requests: intake, lists, detail, timeline and the lifecycle actions.
#include <memory>
#include <optional>

#include "app/tickets.h"
#include "domain/ticket/state.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {

using json = nlohmann::json;

namespace {

json ticket_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"number", {{"type", "string"}, {"description", "acceptance number 受理编号, e.g. FW20261123-0007"}}},
            {"state", {{"type", "string"}}},
            {"grade", {{"type", {"string", "null"}}}},
            {"nature", {{"type", {"string", "null"}}}},
            {"sla", {{"type", "object"}, {"description", "every milestone's due time, status, used and remaining working time"}}},
            {"allowed_actions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"version", {{"type", "integer"}}}}}};
}

// An intake's answer: 201 with its Location, or 200 for a replayed retry.
Response intake_response(app::Outcome<JsonText> out, bool replayed, const Request& req) {
  const std::optional<std::int64_t> id = out ? std::optional(out->id) : std::nullopt;
  Response r = reply(std::move(out), req, replayed ? 200 : 201);
  if (id && replayed) r.set_header("Idempotent-Replayed", "true");
  if (id) r.set_header("Location", "/api/v1/tickets/" + std::to_string(*id));
  return r;
}

}  // namespace

void register_ticket_routes(Router& router, ApiContext& ctx) {
  auto svc = std::make_shared<app::TicketService>(ctx.db, ctx.clock, ctx.tickets);

  Route intake{"POST", "/api/v1/tickets", "createTicket",
               "Log a service request (受理) from any channel; answers the acceptance number, the grading suggestion, "
               "likely duplicates and the next step with its due time. Send Idempotency-Key to make retries safe.",
               "tickets"};
  intake.success_status = 201;
  intake.request_schema = {
      {"type", "object"},
      {"required", {"project_id", "title", "description"}},
      {"properties",
       {{"project_id", {{"type", "integer"}}}, {"asset_id", {{"type", "integer"}}},
        {"channel", {{"type", "string"}, {"enum", {"hotline", "portal", "email", "wechat", "api", "monitoring", "maintenance_plan"}}}},
        {"title", {{"type", "string"}, {"maxLength", 200}}}, {"description", {{"type", "string"}, {"maxLength", 4000}}},
        {"demand", {{"type", "string"}}}, {"contact_name", {{"type", "string"}}}, {"contact_phone", {{"type", "string"}}},
        {"contact_email", {{"type", "string"}}}, {"reported_at", {{"type", "string"}, {"format", "date-time"}}},
        {"grade", {{"type", "string"}}}, {"nature", {{"type", "string"}}}, {"duplicate_of_id", {{"type", "integer"}}},
        {"attachment_ids", {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "ids from POST /api/v1/attachments"}}}}},
      {"additionalProperties", false}};
  intake.response_schema = ticket_schema();
  intake.query_parameters.push_back({{"name", "Idempotency-Key"}, {"in", "header"}, {"schema", {{"type", "string"}}}});
  intake.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    bool replayed = false;
    auto out = svc->intake(*req.actor, *body, req.header("idempotency-key"), &replayed);
    return intake_response(std::move(out), replayed, req);
  };
  // On SQLite the intake waits for its group commit without holding a thread (the hand-offs to
  // and from a request thread were a measurable share of an intake's CPU, docs/PERFORMANCE.md).
  if (ctx.db.can_write_async())
    intake.async_handler = [svc](Request& req, AsyncFinish finish) {
      auto body = parse_json_object(req);
      if (!body) return finish([p = problem(body.error(), req.request_id)] { return p; });
      const Request* r = &req;  // alive until answered (Route::async_handler)
      auto then = [r, finish](app::TicketService::IntakeAnswer answer) {
        finish([r, answer = std::move(answer)] {
          bool replayed = false;
          auto out = answer(&replayed);
          return intake_response(std::move(out), replayed, *r);
        });
      };
      svc->intake_async(*req.actor, *body, req.header("idempotency-key"), then);
    };
  router.add(intake);

  Route suggest{"POST", "/api/v1/tickets/suggest", "suggestTicket",
                "Grading suggestion with its reasons, and likely duplicates, for a draft request (nothing is saved)", "tickets"};
  suggest.request_schema = {{"type", "object"}, {"required", {"project_id"}},
                            {"properties", {{"project_id", {{"type", "integer"}}}, {"asset_id", {{"type", "integer"}}},
                                            {"title", {{"type", "string"}}}, {"description", {{"type", "string"}}}}}};
  suggest.response_schema = {{"type", "object"}, {"properties", {{"suggestion", {{"type", "object"}}}, {"duplicates", {{"type", "array"}}}}}};
  suggest.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->suggest(*req.actor, *body), req);
  };
  router.add(suggest);

  Route list{"GET", "/api/v1/tickets", "listTickets",
             "List service requests (customers see their own): filter by state, grade, nature, channel (comma lists), "
             "project, customer, team, assignee, asset, reported_from/to, sla_risk, open; sort by reported_at, next_due_at…",
             "tickets"};
  for (const char* p : {"limit", "offset", "sort", "q", "state", "grade", "nature", "channel", "project_id", "customer_id",
                        "team_id", "assignee_staff_id", "asset_id", "reported_from", "reported_to", "sla_risk", "open"})
    list.query_parameters.push_back({{"name", p}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", ticket_schema()}}}, {"total", {{"type", "integer"}, {"description", "matches, counted up to offset + 1000 (with q: up to offset + 5 × limit)"}}},
                                                                 {"total_exact", {{"type", "boolean"}, {"description", "false when there are more matches than counted"}}}}}};
  list.handler = [svc](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return reply(svc->list(*req.actor, *q), req);
  };
  list.cache_views = true;
  router.add(list);

  Route get{"GET", "/api/v1/tickets/{id}", "getTicket",
            "One service request: state, clocks, warranty and cost decision, assignees, visits, records and the actions "
            "you may take now",
            "tickets"};
  get.response_schema = ticket_schema();
  get.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->get(*req.actor, *id), req);
  };
  get.cache_views = true;
  router.add(get);

  Route timeline{"GET", "/api/v1/tickets/{id}/timeline", "getTicketTimeline",
                 "Every event of a request with actor, time and data (customers do not see internal ones)", "tickets"};
  timeline.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}}}};
  timeline.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->timeline(*req.actor, *id), req);
  };
  timeline.cache_views = true;
  router.add(timeline);

  std::vector<std::string> actions;
  for (int i = 0; i < domain::ticket::kActionCount; ++i)
    actions.emplace_back(domain::ticket::ToString(static_cast<domain::ticket::Action>(i)));
  Route act{"POST", "/api/v1/tickets/{id}/actions/{action}", "actOnTicket",
            "Take a lifecycle action (triage, contact_customer, dispatch, depart, arrive, record_diagnosis, submit_plan, "
            "review_plan, approve_plan, confirm_plan, start_repair, complete_self_check, internal_accept, customer_accept, "
            "customer_reject, close, archive, reopen, cancel, pause, resume …) with its data; If-Match optional",
            "tickets"};
  act.request_schema = {{"type", "object"}, {"description", "the action's data; see docs/API-TICKETS.md"}};
  act.response_schema = ticket_schema();
  act.query_parameters.push_back({{"name", "action"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}, {"enum", actions}}}});
  act.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    json body = json::object();
    if (!req.body.empty()) {
      auto parsed = parse_json_object(req);
      if (!parsed) return problem(parsed.error(), req.request_id);
      body = *parsed;
    }
    auto version = parse_if_match(req);
    if (!version) return problem(version.error(), req.request_id);
    return reply(svc->act(*req.actor, *id, req.params["action"], body, *version), req);
  };
  router.add(act);
}

}  // namespace aftersales::http
