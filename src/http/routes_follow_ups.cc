// Routes for follow-ups (回访): lists, the rounds of a request, recording the call, survey links,
// the public survey by token (no account), and the tasks low scores open.
#include <memory>

#include "app/follow_ups.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {

using json = nlohmann::json;

namespace {

Response reply(const app::Outcome<json>& out, const Request& req, int status = 200) {
  if (!out) {
    // A survey link that expired or was withdrawn: 410 Gone.
    if (out.error().kind() == app::Error::Kind::kConflict && out.error().title() == "Gone")
      return problem_status(410, "Gone", out.error().detail(), req.request_id);
    return problem(out.error(), req.request_id);
  }
  Response r = Response::json(status, *out);
  if (out->contains("version") && (*out)["version"].is_number_integer())
    r.set_header("ETag", "\"" + std::to_string((*out)["version"].get<std::int64_t>()) + "\"");
  return r;
}

app::Outcome<json> body_or_empty(Request& req) {
  if (req.body.empty()) return json::object();
  return parse_json_object(req);
}

json follow_up_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"ticket", {{"type", "object"}}},
            {"offset_months", {{"type", "integer"}, {"description", "1, 3 or 6 months after closing"}}},
            {"due_date", {{"type", "string"}, {"format", "date"}, {"description", "in the project's time zone"}}},
            {"due_at", {{"type", "string"}, {"format", "date-time"}}},
            {"state", {{"type", "string"}, {"enum", {"scheduled", "done", "missed", "cancelled"}}}},
            {"notes", {{"type", "string"}}},
            {"repair_status", {{"type", {"string", "null"}}, {"enum", {"holding", "minor_issue", "failed", nullptr}}}},
            {"survey", {{"type", {"object", "null"}}, {"description", "scores (1–5 per dimension), average, comment, source"}}},
            {"version", {{"type", "integer"}}}}}};
}

json survey_schema() {
  json props = json::object();
  for (const auto& d : app::survey_dimensions()) props[d] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 5}};
  props["comment"] = {{"type", "string"}, {"maxLength", 2000}};
  return {{"type", "object"}, {"required", app::survey_dimensions()}, {"properties", props}, {"additionalProperties", false}};
}

}  // namespace

void register_follow_up_routes(Router& router, ApiContext& ctx) {
  auto svc = std::make_shared<app::FollowUpService>(ctx.db, ctx.clock);
  auto string_params = [](Route& r, std::initializer_list<const char*> names) {
    for (const char* p : names) r.query_parameters.push_back({{"name", p}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  };

  Route list{"GET", "/api/v1/follow-ups", "listFollowUps",
             "Follow-up rounds (staff): filter by state (comma list), due_before (date or time), ticket_id, project_id, "
             "assignee_user_id; soonest due first",
             "follow-ups"};
  string_params(list, {"limit", "offset", "state", "due_before", "ticket_id", "project_id", "assignee_user_id"});
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", follow_up_schema()}}}, {"total", {{"type", "integer"}}}}}};
  list.handler = [svc](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return reply(svc->list(*req.actor, *q), req);
  };
  list.cache_views = true;
  router.add(list);

  Route get{"GET", "/api/v1/follow-ups/{id}", "getFollowUp", "One follow-up round (staff)", "follow-ups"};
  get.response_schema = follow_up_schema();
  get.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "follow-up");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->get(*req.actor, *id), req);
  };
  router.add(get);

  Route of_ticket{"GET", "/api/v1/tickets/{id}/follow-ups", "listTicketFollowUps",
                  "The follow-up rounds of a request (customers see their own, without the call notes)", "follow-ups"};
  of_ticket.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", follow_up_schema()}}}}}};
  of_ticket.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->for_ticket(*req.actor, *id), req);
  };
  router.add(of_ticket);

  Route schedule{"POST", "/api/v1/tickets/{id}/follow-ups/schedule", "scheduleFollowUps",
                 "Schedule the 1/3/6-month follow-ups of a resolved or closed request (service manager, admin); "
                 "idempotent: existing rounds are kept",
                 "follow-ups"};
  schedule.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}, {"created", {{"type", "integer"}}}}}};
  schedule.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "service request");
    if (!id) return problem(id.error(), req.request_id);
    auto out = svc->schedule(*req.actor, *id);
    return reply(out, req, out && (*out)["created"].get<int>() > 0 ? 201 : 200);
  };
  router.add(schedule);

  Route complete{"POST", "/api/v1/follow-ups/{id}/complete", "completeFollowUp",
                 "Record the follow-up call: notes (how the repair holds up), repair_status, and optionally the survey "
                 "the customer gave on the phone. A low score opens a follow-up task.",
                 "follow-ups"};
  complete.request_schema = {{"type", "object"}, {"required", {"notes", "repair_status"}},
                             {"properties", {{"notes", {{"type", "string"}, {"maxLength", 4000}}},
                                             {"repair_status", {{"type", "string"}, {"enum", {"holding", "minor_issue", "failed"}}}},
                                             {"survey", survey_schema()}}},
                             {"additionalProperties", false}};
  complete.response_schema = follow_up_schema();
  complete.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "follow-up");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->complete(*req.actor, *id, *body), req);
  };
  router.add(complete);

  for (auto [verb, state, summary] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"miss", "missed", "The customer could not be reached for this round (reason required)"},
           {"cancel", "cancelled", "Cancel a follow-up round (service manager, admin; reason required); its survey link stops working"}}) {
    Route r{"POST", "/api/v1/follow-ups/{id}/" + verb, verb == "miss" ? "missFollowUp" : "cancelFollowUp", summary, "follow-ups"};
    r.request_schema = {{"type", "object"}, {"required", {"reason"}}, {"properties", {{"reason", {{"type", "string"}}}}}};
    r.response_schema = follow_up_schema();
    r.handler = [svc, state = state](Request& req) {
      auto id = path_id(req, "id", "follow-up");
      if (!id) return problem(id.error(), req.request_id);
      auto body = parse_json_object(req);
      if (!body) return problem(body.error(), req.request_id);
      return reply(svc->close_round(*req.actor, *id, state, *body), req);
    };
    router.add(r);
  }

  Route assign{"POST", "/api/v1/follow-ups/{id}/assign", "assignFollowUp",
               "Assign the round to a service_manager or agent user (null to unassign)", "follow-ups"};
  assign.request_schema = {{"type", "object"}, {"required", {"assignee_user_id"}},
                           {"properties", {{"assignee_user_id", {{"type", {"integer", "null"}}}}}}};
  assign.response_schema = follow_up_schema();
  assign.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "follow-up");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->assign(*req.actor, *id, *body), req);
  };
  router.add(assign);

  Route send{"POST", "/api/v1/follow-ups/{id}/send-survey", "sendFollowUpSurvey",
             "Issue a fresh survey link for the round and send it to the customer (ticket.survey); the previous link "
             "stops working. Answers survey_url.",
             "follow-ups"};
  send.response_schema = follow_up_schema();
  send.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "follow-up");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->send_survey(*req.actor, *id), req);
  };
  router.add(send);

  Route survey{"GET", "/api/v1/surveys/{token}", "getSurvey",
               "Public, no account: what a survey link is about (request number, title, project, closed date)", "surveys"};
  survey.authenticated = false;
  survey.response_schema = {{"type", "object"},
                            {"properties", {{"number", {{"type", "string"}}}, {"title", {{"type", "string"}}},
                                            {"project", {{"type", "string"}}}, {"closed_at", {{"type", "string"}}},
                                            {"answered", {{"type", "boolean"}}}, {"expired", {{"type", "boolean"}}}}}};
  survey.handler = [svc](Request& req) { return reply(svc->survey(req.params["token"]), req); };
  router.add(survey);

  Route answer{"POST", "/api/v1/surveys/{token}", "answerSurvey",
               "Public, no account: the five scores (1–5) and a comment, once (then 409); 410 when the link has expired "
               "(30 days after the round is due) or was withdrawn",
               "surveys"};
  answer.authenticated = false;
  answer.body_limit = 16 * 1024;
  answer.request_schema = survey_schema();
  answer.response_schema = {{"type", "object"}, {"properties", {{"answered", {{"type", "boolean"}}}}}};
  answer.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    auto out = svc->answer_survey(req.params["token"], *body, req.request_id);
    if (out) (*out).erase("low_score");  // the customer needs no internal verdict
    return reply(out, req);
  };
  router.add(answer);

  Route tasks{"GET", "/api/v1/follow-up-tasks", "listFollowUpTasks",
              "Tasks opened by low satisfaction scores (service manager, admin): filter by state (open, resolved), ticket_id",
              "follow-ups"};
  string_params(tasks, {"limit", "offset", "state", "ticket_id"});
  tasks.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}, {"total", {{"type", "integer"}}}}}};
  tasks.handler = [svc](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return reply(svc->tasks(*req.actor, *q), req);
  };
  router.add(tasks);

  Route resolve{"POST", "/api/v1/follow-up-tasks/{id}/resolve", "resolveFollowUpTask",
                "Resolve a low-score task: reopened (the request), complaint (with complaint_id), explained, other", "follow-ups"};
  resolve.request_schema = {{"type", "object"}, {"required", {"resolution"}},
                            {"properties", {{"resolution", {{"type", "string"}, {"enum", {"reopened", "complaint", "explained", "other"}}}},
                                            {"note", {{"type", "string"}}}, {"complaint_id", {{"type", "integer"}}}}}};
  resolve.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "follow-up task");
    if (!id) return problem(id.error(), req.request_id);
    auto body = body_or_empty(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->resolve_task(*req.actor, *id, *body), req);
  };
  router.add(resolve);
}

}  // namespace aftersales::http
