// Routes for complaints (投诉): filing, lists, detail, timeline, the workflow actions and the
// periodic analysis of causes and trends.
#include <memory>

#include "app/complaints.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {

using json = nlohmann::json;

namespace {

json complaint_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"number", {{"type", "string"}, {"description", "e.g. TS20261123-0001"}}},
            {"state", {{"type", "string"}, {"enum", app::complaint_states()}}},
            {"round", {{"type", "integer"}, {"description", "1, then +1 each time the customer is still unhappy"}}},
            {"sla", {{"type", "object"}, {"description", "acknowledge (1 h) and first_opinion (24 h): due_at, at, status"}}},
            {"investigation", {{"type", "object"}, {"description", "staff only: team, findings, evidence, cause, responsible department and person"}}},
            {"allowed_actions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"version", {{"type", "integer"}}}}}};
}

}  // namespace

void register_complaint_routes(Router& router, ApiContext& ctx) {
  auto svc = std::make_shared<app::ComplaintService>(ctx.db, ctx.clock);

  Route create{"POST", "/api/v1/complaints", "createComplaint",
               "File a complaint (customers: about their own organisation's projects, through the portal)", "complaints"};
  create.success_status = 201;
  create.request_schema = {
      {"type", "object"},
      {"required", {"project_id", "description"}},
      {"properties",
       {{"project_id", {{"type", "integer"}}}, {"ticket_id", {{"type", "integer"}}},
        {"channel", {{"type", "string"}, {"enum", {"hotline", "portal", "email", "wechat", "letter", "on_site", "follow_up"}}}},
        {"description", {{"type", "string"}, {"maxLength", 4000}}}, {"demand", {{"type", "string"}, {"maxLength", 2000}}}}},
      {"additionalProperties", false}};
  create.response_schema = complaint_schema();
  create.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    auto out = svc->create(*req.actor, *body);
    Response r = reply(out, req, 201);
    if (out) r.set_header("Location", "/api/v1/complaints/" + std::to_string((*out)["id"].get<std::int64_t>()));
    return r;
  };
  router.add(create);

  Route list{"GET", "/api/v1/complaints", "listComplaints",
             "Complaints, newest first (customers see their own): filter by state (comma list), project_id, customer_id, "
             "department_id (responsible), ticket_id",
             "complaints"};
  for (const char* p : {"limit", "offset", "state", "project_id", "customer_id", "department_id", "ticket_id"})
    list.query_parameters.push_back({{"name", p}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", complaint_schema()}}}, {"total", {{"type", "integer"}}}}}};
  list.handler = [svc](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return reply(svc->list(*req.actor, *q), req);
  };
  list.cache_views = true;
  router.add(list);

  Route analysis{"GET", "/api/v1/complaints/analysis", "analyseComplaints",
                 "Periodic analysis (staff): complaints filed in [from, to) counted by cause, responsible department, month "
                 "and state, with promised times kept and rounds",
                 "complaints"};
  for (const char* p : {"from", "to"})
    analysis.query_parameters.push_back({{"name", p}, {"in", "query"}, {"schema", {{"type", "string"}}}, {"description", "YYYY-MM-DD or RFC 3339"}});
  analysis.response_schema = {{"type", "object"},
                              {"properties", {{"total", {{"type", "integer"}}}, {"by_cause", {{"type", "array"}}},
                                              {"by_department", {{"type", "array"}}}, {"by_month", {{"type", "array"}}}}}};
  analysis.handler = [svc](Request& req) { return reply(svc->analysis(*req.actor, req.query), req); };
  analysis.cache_views = true;
  router.add(analysis);

  Route get{"GET", "/api/v1/complaints/{id}", "getComplaint",
            "One complaint with its promised times and the actions you may take now", "complaints"};
  get.response_schema = complaint_schema();
  get.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "complaint");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->get(*req.actor, *id), req);
  };
  get.cache_views = true;
  router.add(get);

  Route timeline{"GET", "/api/v1/complaints/{id}/timeline", "getComplaintTimeline",
                 "Every change of a complaint with actor, time, round and data (customers do not see internal ones)",
                 "complaints"};
  timeline.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}}}};
  timeline.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "complaint");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->timeline(*req.actor, *id), req);
  };
  timeline.cache_views = true;
  router.add(timeline);

  Route act{"POST", "/api/v1/complaints/{id}/actions/{action}", "actOnComplaint",
            "Take a complaint action: acknowledge, start_investigation {team_staff_ids}, record_investigation {findings, "
            "cause, responsible_department_id, responsible_staff_id, evidence_attachment_ids, opinion}, draft_plan {plan}, "
            "review_plan {comment}, approve_plan, reject_plan {reason}, give_feedback {result}, customer_satisfied "
            "{comment}, customer_unsatisfied {reason}, cancel {reason}. See docs/LIFECYCLE.md.",
            "complaints"};
  act.request_schema = {{"type", "object"}, {"description", "the action's data"}};
  act.response_schema = complaint_schema();
  act.query_parameters.push_back({{"name", "action"}, {"in", "path"}, {"required", true},
                                  {"schema", {{"type", "string"}, {"enum", app::complaint_actions()}}}});
  act.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "complaint");
    if (!id) return problem(id.error(), req.request_id);
    json body = json::object();
    if (!req.body.empty()) {
      auto parsed = parse_json_object(req);
      if (!parsed) return problem(parsed.error(), req.request_id);
      body = *parsed;
    }
    return reply(svc->act(*req.actor, *id, req.params["action"], body), req);
  };
  router.add(act);
}

}  // namespace aftersales::http
