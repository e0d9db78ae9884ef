// Routes for notifications: the channels an administrator configures, the outbox as an operator
// sees it (messages, their deliveries and states), requeueing a dead message, and the pending
// count as a Prometheus gauge.
#include <set>

#include "app/audit.h"
#include "app/resource.h"
#include "http/api.h"
#include "http/json_body.h"
#include "notify/channels.h"
#include "notify/outbox.h"

namespace aftersales::http {
namespace {

// A survey link is a credential: whoever holds it answers the customer's survey. The outbox keeps
// it to deliver the message, but the list shows only that there was one.
nlohmann::json without_credentials(nlohmann::json payload) {
  if (payload.is_object() && payload.contains("params") && payload["params"].is_object() &&
      payload["params"].contains("survey_url") && payload["params"]["survey_url"].is_string())
    payload["params"]["survey_url"] = "(survey link hidden)";
  return payload;
}


using json = nlohmann::json;

// access.h has no notification permissions yet; these mirror audit.read and user.admin.
std::optional<app::Error> require_role(const app::Actor& a, const std::set<std::string>& roles, const char* perm) {
  if (roles.count(a.role)) return std::nullopt;
  return app::Error::Forbidden("Role '" + a.role + "' lacks permission '" + perm + "'");
}

json opt(const store::Row& r, const char* col, bool time = false) {
  if (r.is_null(col)) return nullptr;
  return time ? json(format_iso8601(r.i64(col))) : json(r.i64(col));
}

void register_channels(Router& router, ApiContext& ctx) {
  auto svc = std::make_shared<notify::ChannelService>(ctx.db, ctx.clock);
  const std::string base = "/api/v1/notification-channels", tag = "notifications";
  json item = notify::channel_schema();

  Route list{"GET", base, "listNotificationChannels", "List notification channels (admin; secrets shown as ***)", tag};
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", item}}},
                                                              {"total", {{"type", "integer"}}}}}};
  list.handler = [svc](Request& req) { return reply(svc->list(*req.actor), req); };
  router.add(list);

  Route create{"POST", base, "createNotificationChannel",
               "Create an e-mail, webhook, WeCom or DingTalk channel (admin)", tag};
  create.request_schema = item;
  create.response_schema = item;
  create.success_status = 201;
  create.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->create(*req.actor, *body), req, 201);
  };
  router.add(create);

  Route get{"GET", base + "/{id}", "getNotificationChannel", "Get one notification channel (admin)", tag};
  get.response_schema = item;
  get.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "notification channel");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->get(*req.actor, *id), req);
  };
  router.add(get);

  Route patch{"PATCH", base + "/{id}", "updateNotificationChannel",
              "Update a channel (admin; partial; If-Match or \"version\"; secret \"***\" keeps it)", tag};
  patch.request_schema = item;
  patch.response_schema = item;
  patch.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "notification channel");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    auto version = parse_if_match(req);
    if (!version) return problem(version.error(), req.request_id);
    return reply(svc->update(*req.actor, *id, *body, *version), req);
  };
  router.add(patch);

  Route del{"DELETE", base + "/{id}", "deleteNotificationChannel", "Delete a channel (admin)", tag};
  del.success_status = 204;
  del.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "notification channel");
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->remove(*req.actor, *id), req);
  };
  router.add(del);
}

void register_outbox(Router& router, ApiContext& ctx) {
  const std::string tag = "notifications";
  json delivery = {{"type", "object"},
                   {"properties", {{"id", {{"type", "integer"}}}, {"channel_id", {{"type", {"integer", "null"}}}},
                                   {"channel_name", {{"type", "string"}}}, {"kind", {{"type", "string"}}},
                                   {"recipient", {{"type", "string"}}}, {"state", {{"type", "string"}}},
                                   {"attempts", {{"type", "integer"}}}, {"last_error", {{"type", "string"}}},
                                   {"sent_at", {{"type", {"string", "null"}}, {"format", "date-time"}}}}}};
  json message = {{"type", "object"},
                  {"properties", {{"id", {{"type", "integer"}}}, {"event", {{"type", "string"}}},
                                  {"state", {{"type", "string"}, {"enum", {"pending", "sent", "skipped", "dead"}}}},
                                  {"attempts", {{"type", "integer"}}}, {"last_error", {{"type", "string"}}},
                                  {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                                  {"next_attempt_at", {{"type", "string"}, {"format", "date-time"}}},
                                  {"sent_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                                  {"ticket_id", {{"type", {"integer", "null"}}}},
                                  {"customer_id", {{"type", {"integer", "null"}}}},
                                  {"payload", {{"type", "object"}}},
                                  {"deliveries", {{"type", "array"}, {"items", delivery}}}}}};

  Route list{"GET", "/api/v1/notifications", "listNotifications",
             "Outbox messages with their deliveries, newest first (admin, service_manager)", tag};
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", message}}},
                                                              {"total", {{"type", "integer"}}}}}};
  for (const char* f : {"state", "event", "ticket_id"})
    list.query_parameters.push_back({{"name", f}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  for (const char* f : {"limit", "offset"})
    list.query_parameters.push_back({{"name", f}, {"in", "query"}, {"schema", {{"type", "integer"}}}});
  list.handler = [&ctx](Request& req) {
    if (auto e = require_role(*req.actor, {"admin", "service_manager"}, "notification.read"))
      return problem(*e, req.request_id);
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    std::string where = " WHERE 1=1";
    std::vector<store::Value> params;
    for (const auto& [k, v] : q->filters) {
      if (k == "state" || k == "event") {
        where += " AND " + k + " = ?";
        params.push_back(v);
      } else if (k == "ticket_id" && !v.empty() && v.size() < 18 && std::all_of(v.begin(), v.end(), ::isdigit)) {
        where += " AND ticket_id = ?";
        params.push_back(static_cast<std::int64_t>(std::stoll(v)));
      } else {
        return problem(app::Error::BadRequest("'" + k + "' is not a filter of notifications (state, event, ticket_id)",
                                              k, "unknown"), req.request_id);
      }
    }
    if (!q->sort.empty()) return problem(app::Error::BadRequest("notifications are listed newest first", "sort", "unknown"), req.request_id);
    auto out = ctx.db.read([&](store::Connection& c) {
      auto total = c.query("SELECT count(*) AS n FROM outbox" + where, params);
      auto page = params;
      page.push_back(std::int64_t{q->limit});
      page.push_back(std::int64_t{q->offset});
      auto rows = c.query("SELECT id, created_at, event, ticket_id, customer_id, payload_json, state, attempts, "
                          "next_attempt_at, last_error, sent_at FROM outbox" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                          page);
      json items = json::array();
      for (const auto& r : rows.rows) {
        json deliveries = json::array();
        for (const auto& d : c.query("SELECT id, channel_id, channel_name, kind, recipient, state, attempts, last_error, "
                                     "sent_at FROM outbox_deliveries WHERE outbox_id = ? ORDER BY id", {r.i64("id")}).rows)
          deliveries.push_back({{"id", d.i64("id")}, {"channel_id", opt(d, "channel_id")},
                                {"channel_name", d.text("channel_name")}, {"kind", d.text("kind")},
                                {"recipient", d.text("recipient")}, {"state", d.text("state")},
                                {"attempts", d.i64("attempts")}, {"last_error", d.text("last_error")},
                                {"sent_at", opt(d, "sent_at", true)}});
        items.push_back({{"id", r.i64("id")}, {"event", r.text("event")}, {"state", r.text("state")},
                         {"attempts", r.i64("attempts")}, {"last_error", r.text("last_error")},
                         {"created_at", format_iso8601(r.i64("created_at"))},
                         {"next_attempt_at", format_iso8601(r.i64("next_attempt_at"))},
                         {"sent_at", opt(r, "sent_at", true)}, {"ticket_id", opt(r, "ticket_id")},
                         {"customer_id", opt(r, "customer_id")},
                         {"payload", without_credentials(json::parse(r.text("payload_json"), nullptr, false))},
                         {"deliveries", deliveries}});
      }
      return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", q->limit}, {"offset", q->offset}};
    });
    return Response::json(200, out);
  };
  router.add(list);

  Route retry{"POST", "/api/v1/notifications/{id}/retry", "retryNotification",
              "Requeue a dead message: its undelivered deliveries are tried again now (admin)", tag};
  retry.success_status = 204;
  retry.handler = [&ctx](Request& req) {
    if (auto e = require_role(*req.actor, {"admin"}, "notification.admin")) return problem(*e, req.request_id);
    auto id = path_id(req, "id", "notification");
    if (!id) return problem(id.error(), req.request_id);
    Millis now = ctx.clock.now_ms();
    auto state = ctx.db.write([&](store::Connection& c) -> std::string {
      auto rows = c.query("SELECT state FROM outbox WHERE id = ?", {*id});
      if (rows.empty()) return "";
      std::string s = rows.rows[0].text("state");
      if (s != "dead") return s;
      c.query("UPDATE outbox_deliveries SET state = 'pending' WHERE outbox_id = ? AND state = 'dead'", {*id});
      c.query("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, locked_until = NULL, "
              "sent_at = NULL WHERE id = ?", {now, *id});
      app::write_audit(c, *req.actor, now, "retry", "notification", *id, json{{"state", "dead"}},
                       json{{"state", "pending"}});
      return "requeued";
    });
    if (state.empty()) return problem(app::Error::NotFound("notification " + std::to_string(*id)), req.request_id);
    if (state != "requeued")
      return problem(app::Error::Conflict("Only a dead notification can be retried; this one is " + state),
                     req.request_id);
    notify::wake_outbox();
    return Response::no_content();
  };
  router.add(retry);

  ctx.metrics.add_gauge("aftersales_outbox_pending", "Notifications waiting to be delivered.", [&ctx] {
    double n = -1;  // a scrape must not fail because the database is briefly unavailable
    try {
      n = static_cast<double>(ctx.db.read([](store::Connection& c) {
        return c.query("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").rows[0].i64("n");
      }));
    } catch (const std::exception&) {
    }
    return std::vector<std::pair<std::string, double>>{{"", n}};
  });
}

}  // namespace

void register_notification_routes(Router& router, ApiContext& ctx) {
  register_channels(router, ctx);
  register_outbox(router, ctx);
}

}  // namespace aftersales::http
