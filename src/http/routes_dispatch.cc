// Routes for dispatch: the ranked teams and technicians for one request, with scores and reasons.
// Assigning (automatically or by the dispatcher's override) is a ticket action; this only ranks.
#include "app/dispatch.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {
namespace {

using json = nlohmann::json;

json reason_schema() {
  return {{"type", "object"},
          {"required", {"code", "params", "zh", "en", "points"}},
          {"properties",
           {{"code", {{"type", "string"}, {"description", "stable code, e.g. original_team, skill_match, distance_from_home"}}},
            {"params", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}},
            {"zh", {{"type", "string"}}},
            {"en", {{"type", "string"}}},
            {"points", {{"type", "number"}, {"description", "contribution to the score"}}}}}};
}

json suggestion_schema() {
  json reasons = {{"type", "array"}, {"items", reason_schema()}};
  json technician = {{"type", "object"},
                     {"required", {"staff_id", "name", "team_id", "team_name", "score", "reasons"}},
                     {"properties",
                      {{"staff_id", {{"type", "integer"}}},
                       {"name", {{"type", "string"}}},
                       {"team_id", {{"type", {"integer", "null"}}}},
                       {"team_name", {{"type", "string"}}},
                       {"score", {{"type", "number"}, {"minimum", 0}, {"maximum", 100}}},
                       {"reasons", reasons}}}};
  json team = {{"type", "object"},
               {"properties",
                {{"id", {{"type", "integer"}}},
                 {"name", {{"type", "string"}}},
                 {"score", {{"type", "number"}}},
                 {"eligible", {{"type", "boolean"}}},
                 {"reasons", reasons}}}};
  return {{"type", "object"},
          {"required", {"team_id", "team_name", "team_reasons", "technicians"}},
          {"properties",
           {{"team_id", {{"type", {"integer", "null"}}, {"description", "the suggested team; null when none qualifies"}}},
            {"team_name", {{"type", "string"}}},
            {"team_reasons", reasons},
            {"technicians", {{"type", "array"}, {"items", technician}, {"description", "best first, at most 10"}}},
            {"required_skills", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"related_skills", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"teams", {{"type", "array"}, {"items", team}, {"description", "every team, best first"}}},
            {"weights", {{"type", "object"}, {"additionalProperties", {{"type", "number"}}}}}}}};
}

}  // namespace

void register_dispatch_routes(Router& router, ApiContext& ctx) {
  Route suggest{"GET", "/api/v1/tickets/{id}/dispatch-suggestions", "getDispatchSuggestions",
                "Dispatch suggestion for a request: the matching team (skill × area) and technicians ranked by "
                "skill, availability, load, distance and knowledge of the project, each with a 0–100 score and the "
                "reasons (admin, service manager, dispatcher)",
                "dispatch"};
  suggest.response_schema = suggestion_schema();
  suggest.handler = [&ctx](Request& req) {
    if (!app::may_view_dispatch(*req.actor))
      return problem(app::Error::Forbidden("role '" + req.actor->role + "' may not see dispatch suggestions"),
                     req.request_id);
    auto id = path_id(req, "id", "ticket");
    if (!id) return problem(id.error(), req.request_id);
    const Millis now = ctx.clock.now_ms();
    auto out = ctx.db.read([&](store::Connection& c) -> std::optional<json> {
      if (c.query("SELECT id FROM tickets WHERE id = ?", {*id}).empty()) return std::nullopt;
      return app::suggest_dispatch(c, *id, now).to_json();
    });
    if (!out) return problem(app::Error::NotFound("Service request " + std::to_string(*id)), req.request_id);
    return Response::json(200, *out);
  };
  router.add(suggest);
}

}  // namespace aftersales::http
