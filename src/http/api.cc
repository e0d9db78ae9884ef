#include "http/api.h"

#include <date/tz.h>

#include <set>

#include "app/access.h"
#include "app/dashboard.h"
#include "app/master_data.h"
#include "app/resource.h"
#include "http/json_body.h"
#include "http/openapi.h"

namespace aftersales::http {
namespace {

using json = nlohmann::json;
using app::Outcome;

std::string session_cookie(const std::string& token, long long max_age_s, bool secure) {
  return "as_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) +
         (secure ? "; Secure" : "");
}

// Every key of `body` not in `known` as an "unknown" field error (unknown fields are errors,
// not ignored).
void unknown_fields(const json& body, std::initializer_list<const char*> known, const std::string& what,
                    std::vector<app::FieldError>* errors) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; }))
      errors->push_back({it.key(), "unknown", "is not a field of " + what});
}

json list_params(const std::vector<std::string>& filters) {
  json p = json::array({
      {{"name", "limit"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 20}}}},
      {{"name", "offset"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}}},
      {{"name", "sort"}, {"in", "query"}, {"description", "field name, '-' prefix for descending"}, {"schema", {{"type", "string"}}}},
      {{"name", "q"}, {"in", "query"}, {"description", "case-insensitive text search"}, {"schema", {{"type", "string"}}}}});
  for (const auto& f : filters) p.push_back({{"name", f}, {"in", "query"}, {"schema", {{"type", "string"}}}});
  return p;
}

void register_resource(Router& router, ApiContext& ctx, const app::MountedResource& m) {
  // The service holds references only; one per resource, alive as long as the router.
  auto svc = std::make_shared<app::ResourceService>(*m.spec, ctx.db, ctx.clock);
  const std::string base = "/api/v1/" + m.path;
  std::string Name = m.spec->name;
  std::string camel;
  bool up = true;
  for (char c : m.path) {
    if (c == '-') { up = true; continue; }
    camel += up ? static_cast<char>(std::toupper(c)) : c;
    up = false;
  }
  std::string singular = camel.back() == 's' ? camel.substr(0, camel.size() - 1) : camel;
  std::vector<std::string> filters;
  for (const auto& f : m.spec->fields)
    if (f.filterable) filters.push_back(f.name);
  json item = resource_schema(*m.spec, false), write = resource_schema(*m.spec, true);
  json page = {{"type", "object"},
               {"required", {"items", "total", "limit", "offset"}},
               {"properties", {{"items", {{"type", "array"}, {"items", item}}}, {"total", {{"type", "integer"}}},
                               {"limit", {{"type", "integer"}}}, {"offset", {{"type", "integer"}}}}}};
  std::vector<json> params;
  for (auto& p : list_params(filters)) params.push_back(p);

  Route list{"GET", base, "list" + camel, "List " + m.path + " (paged, filtered, sorted)", m.path};
  list.response_schema = page;
  list.query_parameters = params;
  list.handler = [svc](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    return reply(svc->list(*req.actor, *q), req);
  };
  list.cache_views = true;
  router.add(list);

  Route create{"POST", base, "create" + singular, "Create a " + Name, m.path};
  create.request_schema = write;
  create.response_schema = item;
  create.success_status = 201;
  create.handler = [svc](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return reply(svc->create(*req.actor, *body), req, 201);
  };
  router.add(create);

  Route get{"GET", base + "/{id}", "get" + singular, "Get one " + Name, m.path};
  get.response_schema = item;
  get.handler = [svc, Name](Request& req) {
    auto id = path_id(req, "id", Name);
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->get(*req.actor, *id), req);
  };
  get.cache_views = true;
  router.add(get);

  Route patch{"PATCH", base + "/{id}", "update" + singular,
              "Update a " + Name + " (partial; send If-Match or \"version\")", m.path};
  patch.request_schema = write;
  patch.response_schema = item;
  patch.handler = [svc, Name](Request& req) {
    auto id = path_id(req, "id", Name);
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    auto version = parse_if_match(req);
    if (!version) return problem(version.error(), req.request_id);
    return reply(svc->update(*req.actor, *id, *body, *version), req);
  };
  router.add(patch);

  Route del{"DELETE", base + "/{id}", "delete" + singular, "Delete a " + Name + " that nothing refers to", m.path};
  del.success_status = 204;
  del.handler = [svc, Name](Request& req) {
    auto id = path_id(req, "id", Name);
    if (!id) return problem(id.error(), req.request_id);
    return reply(svc->remove(*req.actor, *id), req);
  };
  router.add(del);
}

json user_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"username", {{"type", "string"}}},
            {"display_name", {{"type", "string"}}},
            {"role", {{"type", "string"}, {"enum", app::all_roles()}}},
            {"customer_id", {{"type", {"integer", "null"}}}},
            {"email", {{"type", "string"}}},
            {"phone", {{"type", "string"}}},
            {"disabled", {{"type", "boolean"}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"version", {{"type", "integer"}}}}}};
}

void register_auth(Router& router, ApiContext& ctx) {
  Route login{"POST", "/api/v1/auth/login", "login", "Log in; returns a session token and sets the session cookie", "auth"};
  login.authenticated = false;
  login.request_schema = {{"type", "object"},
                          {"required", {"username", "password"}},
                          {"properties", {{"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}};
  login.response_schema = {{"type", "object"},
                           {"properties", {{"token", {{"type", "string"}}},
                                           {"expires_at", {{"type", "string"}, {"format", "date-time"}}},
                                           {"user", user_schema()}}}};
  login.handler = [&ctx](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    std::vector<app::FieldError> errors;
    for (const char* k : {"username", "password"})
      if (!body->contains(k) || !(*body)[k].is_string()) errors.push_back({k, "required", "must be a string"});
    for (auto it = body->begin(); it != body->end(); ++it)
      if (it.key() != "username" && it.key() != "password")
        errors.push_back({it.key(), "unknown", "is not a login field"});
    if (!errors.empty()) return problem(app::Error::Validation(errors), req.request_id);
    auto out = ctx.auth.login((*body)["username"].get<std::string>(), (*body)["password"].get<std::string>(),
                              req.request_id);
    if (!out) return problem(out.error(), req.request_id);
    Response r = Response::json(200, {{"token", out->token},
                                      {"expires_at", format_iso8601(out->expires_at)},
                                      {"user", out->user}});
    r.set_header("Set-Cookie", session_cookie(out->token, ctx.session_ttl_ms / 1000, ctx.secure_cookies));
    return r;
  };
  router.add(login);

  Route logout{"POST", "/api/v1/auth/logout", "logout", "Revoke the current session token and clear the cookie", "auth"};
  logout.success_status = 204;
  logout.handler = [&ctx](Request& req) {
    ctx.auth.logout(*req.actor, req.token);
    Response r = Response::no_content();
    r.set_header("Set-Cookie", session_cookie("", 0, ctx.secure_cookies));
    return r;
  };
  router.add(logout);

  Route me{"GET", "/api/v1/auth/me", "me", "The logged-in user and what the role may do", "auth"};
  me.response_schema = {{"type", "object"}, {"properties", {{"user", user_schema()}, {"permissions", {{"type", "array"}}}}}};
  me.handler = [&ctx](Request& req) {
    auto user = ctx.auth.get_user(*req.actor, req.actor->user_id);
    if (!user) return problem(user.error(), req.request_id);
    json perms = json::array();
    for (int p = 0; p <= static_cast<int>(app::Permission::kTicketRead); ++p)
      if (app::allowed(req.actor->role, static_cast<app::Permission>(p)))
        perms.push_back(std::string(app::permission_name(static_cast<app::Permission>(p))));
    return Response::json(200, {{"user", *user}, {"permissions", perms}, {"token_kind", req.actor->token_kind}});
  };
  router.add(me);

  Route password{"POST", "/api/v1/auth/password", "changePassword",
                 "Change your own password (ends all your sessions)", "auth"};
  password.success_status = 204;
  password.request_schema = {{"type", "object"},
                             {"required", {"current_password", "new_password"}},
                             {"properties", {{"current_password", {{"type", "string"}}}, {"new_password", {{"type", "string"}}}}}};
  password.handler = [&ctx](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    std::vector<app::FieldError> errors;
    for (const char* k : {"current_password", "new_password"})
      if (!body->contains(k) || !(*body)[k].is_string()) errors.push_back({k, "required", "must be a string"});
    unknown_fields(*body, {"current_password", "new_password"}, "a password change", &errors);
    if (!errors.empty()) return problem(app::Error::Validation(errors), req.request_id);
    auto out = ctx.auth.change_password(*req.actor, (*body)["current_password"].get<std::string>(),
                                        (*body)["new_password"].get<std::string>());
    if (!out) return problem(out.error(), req.request_id);
    Response r = Response::no_content();
    r.set_header("Set-Cookie", session_cookie("", 0, ctx.secure_cookies));
    return r;
  };
  router.add(password);

  Route tokens{"GET", "/api/v1/auth/tokens", "listApiTokens", "Your API tokens for integrations", "auth"};
  tokens.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}}}};
  tokens.handler = [&ctx](Request& req) { return reply(ctx.auth.list_api_tokens(*req.actor), req); };
  router.add(tokens);

  Route new_token{"POST", "/api/v1/auth/tokens", "createApiToken",
                  "Create a long-lived API token (the token is shown only in this response)", "auth"};
  new_token.success_status = 201;
  new_token.request_schema = {{"type", "object"},
                              {"required", {"name"}},
                              {"properties", {{"name", {{"type", "string"}}}, {"expires_in_days", {{"type", "integer"}}}}}};
  new_token.response_schema = {{"type", "object"}, {"properties", {{"id", {{"type", "string"}}}, {"token", {{"type", "string"}}}}}};
  new_token.handler = [&ctx](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    std::vector<app::FieldError> errors;
    if (!body->contains("name") || !(*body)["name"].is_string()) errors.push_back({"name", "required", "must be a string"});
    unknown_fields(*body, {"name", "expires_in_days"}, "an API token", &errors);
    if (!errors.empty()) return problem(app::Error::Validation(errors), req.request_id);
    std::optional<int> days;
    if (body->contains("expires_in_days") && !(*body)["expires_in_days"].is_null()) {
      if (!(*body)["expires_in_days"].is_number_integer())
        return problem(app::Error::Validation({{"expires_in_days", "type", "must be an integer"}}), req.request_id);
      auto d = (*body)["expires_in_days"].get<long long>();
      days = static_cast<int>(std::clamp<long long>(d, -1, 100000));
    }
    return reply(ctx.auth.create_api_token(*req.actor, (*body)["name"].get<std::string>(), days), req, 201);
  };
  router.add(new_token);

  Route revoke{"DELETE", "/api/v1/auth/tokens/{id}", "revokeApiToken", "Revoke one of your API tokens", "auth"};
  revoke.success_status = 204;
  revoke.handler = [&ctx](Request& req) { return reply(ctx.auth.revoke_api_token(*req.actor, req.params["id"]), req); };
  router.add(revoke);
}

void register_users(Router& router, ApiContext& ctx) {
  json page = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", user_schema()}}}, {"total", {{"type", "integer"}}}}}};
  Route list{"GET", "/api/v1/users", "listUsers", "List user accounts (admin)", "users"};
  list.response_schema = page;
  for (auto& p : list_params({"role"})) list.query_parameters.push_back(p);
  list.handler = [&ctx](Request& req) {
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    std::string role = q->filters.count("role") ? q->filters["role"] : "";
    for (const auto& [k, v] : q->filters)
      if (k != "role") return problem(app::Error::BadRequest("'" + k + "' is not a filter of user lists", k, "unknown"), req.request_id);
    return reply(ctx.auth.list_users(*req.actor, q->limit, q->offset, role, q->q), req);
  };
  router.add(list);

  Route create{"POST", "/api/v1/users", "createUser", "Create a user account (admin)", "users"};
  create.success_status = 201;
  create.request_schema = {{"type", "object"},
                           {"required", {"username", "display_name", "role", "password"}},
                           {"additionalProperties", false},
                           {"properties", {{"username", {{"type", "string"}, {"minLength", 2}, {"maxLength", 64}}},
                                           {"display_name", {{"type", "string"}, {"maxLength", 100}}},
                                           {"role", {{"type", "string"}, {"enum", app::all_roles()}}},
                                           {"customer_id", {{"type", {"integer", "null"}}}},
                                           {"password", {{"type", "string"}, {"minLength", 8}, {"maxLength", 256}}},
                                           {"email", {{"type", "string"}, {"format", "email"}, {"maxLength", 200}}},
                                           {"phone", {{"type", "string"}, {"maxLength", 30}}}}}};
  create.response_schema = user_schema();
  create.handler = [&ctx](Request& req) {
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    std::vector<app::FieldError> errors;
    app::NewUser u;
    auto text = [&](const char* k, std::string* out, bool required) {
      if (!body->contains(k)) {
        if (required) errors.push_back({k, "required", "is required"});
        return;
      }
      if (!(*body)[k].is_string()) return errors.push_back({k, "type", "must be a string"});
      *out = (*body)[k].get<std::string>();
    };
    text("username", &u.username, true);
    text("display_name", &u.display_name, true);
    text("role", &u.role, true);
    text("password", &u.password, true);
    text("email", &u.email, false);
    text("phone", &u.phone, false);
    if (body->contains("customer_id") && !(*body)["customer_id"].is_null()) {
      if (!(*body)["customer_id"].is_number_integer()) errors.push_back({"customer_id", "type", "must be an integer"});
      else u.customer_id = (*body)["customer_id"].get<std::int64_t>();
    }
    static const std::set<std::string> known = {"username", "display_name", "role", "password", "email", "phone", "customer_id"};
    for (auto it = body->begin(); it != body->end(); ++it)
      if (!known.count(it.key())) errors.push_back({it.key(), "unknown", "is not a field of a user"});
    if (!errors.empty()) return problem(app::Error::Validation(errors), req.request_id);
    return reply(ctx.auth.create_user(*req.actor, u), req, 201);
  };
  router.add(create);

  Route get{"GET", "/api/v1/users/{id}", "getUser", "Get a user account (admin, or yourself)", "users"};
  get.response_schema = user_schema();
  get.handler = [&ctx](Request& req) {
    auto id = path_id(req, "id", "user");
    if (!id) return problem(id.error(), req.request_id);
    return reply(ctx.auth.get_user(*req.actor, *id), req);
  };
  router.add(get);

  Route patch{"PATCH", "/api/v1/users/{id}", "updateUser",
              "Change a user's name, role, customer, contact or disabled flag (admin; revokes sessions on role change)", "users"};
  patch.request_schema = {{"type", "object"},
                          {"additionalProperties", false},
                          {"properties", {{"display_name", {{"type", "string"}, {"maxLength", 100}}},
                                          {"role", {{"type", "string"}, {"enum", app::all_roles()}}},
                                          {"customer_id", {{"type", {"integer", "null"}}}},
                                          {"email", {{"type", "string"}, {"format", "email"}, {"maxLength", 200}}},
                                          {"phone", {{"type", "string"}, {"maxLength", 30}}},
                                          {"disabled", {{"type", "boolean"}}},
                                          {"version", {{"type", "integer"}}}}}};
  patch.response_schema = user_schema();
  patch.handler = [&ctx](Request& req) {
    auto id = path_id(req, "id", "user");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    auto version = parse_if_match(req);
    if (!version) return problem(version.error(), req.request_id);
    return reply(ctx.auth.update_user(*req.actor, *id, *body, *version), req);
  };
  router.add(patch);

  Route setpw{"POST", "/api/v1/users/{id}/password", "setUserPassword",
              "Set a user's password (admin; ends the user's sessions)", "users"};
  setpw.success_status = 204;
  setpw.request_schema = {{"type", "object"}, {"required", {"password"}}, {"properties", {{"password", {{"type", "string"}}}}}};
  setpw.handler = [&ctx](Request& req) {
    auto id = path_id(req, "id", "user");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    std::vector<app::FieldError> errors;
    if (!body->contains("password") || !(*body)["password"].is_string())
      errors.push_back({"password", "required", "must be a string"});
    unknown_fields(*body, {"password"}, "a password reset", &errors);
    if (!errors.empty()) return problem(app::Error::Validation(errors), req.request_id);
    if (auto e = app::require(*req.actor, app::Permission::kUserAdmin)) return problem(*e, req.request_id);
    return reply(ctx.auth.set_password(*req.actor, *id, (*body)["password"].get<std::string>()), req);
  };
  router.add(setpw);
}

void register_audit(Router& router, ApiContext& ctx) {
  Route list{"GET", "/api/v1/audit", "listAudit", "The audit trail: who changed what, when, before and after", "audit"};
  for (auto& p : list_params({"entity", "entity_id", "actor_user_id"})) list.query_parameters.push_back(p);
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}}}, {"total", {{"type", "integer"}}}}}};
  list.handler = [&ctx](Request& req) {
    if (auto e = app::require(*req.actor, app::Permission::kAuditRead)) return problem(*e, req.request_id);
    auto q = app::parse_list_query(req.query);
    if (!q) return problem(q.error(), req.request_id);
    std::string where = " WHERE 1=1";
    std::vector<store::Value> params;
    for (const auto& [k, v] : q->filters) {
      if (k == "entity") {
        where += " AND entity = ?";
        params.push_back(v);
      } else if (k == "entity_id" || k == "actor_user_id") {
        if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
          return problem(app::Error::BadRequest(k + " must be an integer", k, "type"), req.request_id);
        where += " AND " + k + " = ?";
        params.push_back(static_cast<std::int64_t>(std::stoll(v)));
      } else {
        return problem(app::Error::BadRequest("'" + k + "' is not a filter of the audit trail", k, "unknown"), req.request_id);
      }
    }
    auto out = ctx.db.read([&](store::Connection& c) {
      auto total = c.query("SELECT count(*) AS n FROM audit_log" + where, params);
      auto page = params;
      page.push_back(static_cast<std::int64_t>(q->limit));
      page.push_back(static_cast<std::int64_t>(q->offset));
      auto rows = c.query("SELECT id, at, actor_user_id, actor_name, action, entity, entity_id, before_json, after_json,"
                          " request_id FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", page);
      json items = json::array();
      for (const auto& r : rows.rows) {
        auto parse = [&](const char* col) { return r.is_null(col) ? json(nullptr) : json::parse(r.text(col), nullptr, false); };
        items.push_back({{"id", r.i64("id")}, {"at", format_iso8601(r.i64("at"))},
                         {"actor_user_id", r.is_null("actor_user_id") ? json(nullptr) : json(r.i64("actor_user_id"))},
                         {"actor_name", r.text("actor_name")}, {"action", r.text("action")}, {"entity", r.text("entity")},
                         {"entity_id", r.is_null("entity_id") ? json(nullptr) : json(r.i64("entity_id"))},
                         {"before", parse("before_json")}, {"after", parse("after_json")}, {"request_id", r.text("request_id")}});
      }
      return json{{"items", items}, {"total", total.rows[0].i64("n")}, {"limit", q->limit}, {"offset", q->offset}};
    });
    return Response::json(200, out);
  };
  router.add(list);
}

void register_extras(Router& router, ApiContext& ctx) {
  Route tree{"GET", "/api/v1/projects/{id}/asset-tree", "getAssetTree",
             "The project's locations and equipment as a tree (building › floor › room › equipment)", "assets"};
  tree.response_schema = {{"type", "object"}, {"properties", {{"project_id", {{"type", "integer"}}}, {"nodes", {{"type", "array"}}}}}};
  tree.handler = [&ctx](Request& req) {
    auto id = path_id(req, "id", "project");
    if (!id) return problem(id.error(), req.request_id);
    app::ResourceService projects(app::project_spec(), ctx.db, ctx.clock);
    auto project = projects.get(*req.actor, *id);  // authorisation and customer scope
    if (!project) return problem(project.error(), req.request_id);
    if (auto e = app::require(*req.actor, app::Permission::kAssetRead)) return problem(*e, req.request_id);
    auto rows = ctx.db.read([&](store::Connection& c) {
      return c.query("SELECT id, parent_id, kind, name, category, model, serial_number, critical, warranty_end "
                     "FROM assets WHERE project_id = ? ORDER BY id", {*id});
    });
    std::map<std::int64_t, json> nodes;
    std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> order;
    for (const auto& r : rows.rows) {
      nodes[r.i64("id")] = {{"id", r.i64("id")}, {"kind", r.text("kind")}, {"name", r.text("name")},
                            {"category", r.text("category")}, {"model", r.text("model")},
                            {"serial_number", r.text("serial_number")}, {"critical", r.i64("critical") != 0},
                            {"warranty_end", r.is_null("warranty_end") ? json(nullptr) : json(r.text("warranty_end"))},
                            {"children", json::array()}};
      order.emplace_back(r.i64("id"), r.opt_i64("parent_id"));
    }
    // Attach children bottom-up so each subtree is complete before it is copied into its parent.
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (it->second && nodes.count(*it->second)) {
        auto& siblings = nodes[*it->second]["children"];
        siblings.insert(siblings.begin(), nodes[it->first]);
      }
    json roots = json::array();
    for (const auto& [nid, parent] : order)
      if (!parent || !nodes.count(*parent)) roots.push_back(nodes[nid]);
    return Response::json(200, {{"project_id", *id}, {"nodes", roots}});
  };
  tree.cache_views = true;
  router.add(tree);

  Route dash{"GET", "/api/v1/dashboard", "getDashboard",
             "The manager's figures for requests reported in [from, to) (default: this month in Asia/Shanghai): open by "
             "grade and state, SLA compliance by grade and team, backlog ageing, top natures and locations, satisfaction "
             "by dimension, resolution rate",
             "dashboard"};
  dash.query_parameters = {{{"name", "from"}, {"in", "query"}, {"schema", {{"type", "string"}, {"format", "date-time"}}}},
                           {{"name", "to"}, {"in", "query"}, {"schema", {{"type", "string"}, {"format", "date-time"}}}}};
  dash.response_schema = {{"type", "object"}};
  dash.handler = [&ctx](Request& req) {
    const Millis now = ctx.clock.now_ms();
    // This month, as a service department in China counts it.
    auto zone = date::locate_zone("Asia/Shanghai");
    auto local = date::make_zoned(zone, date::sys_seconds(std::chrono::seconds(now / 1000))).get_local_time();
    date::year_month_day ymd(date::floor<date::days>(local));
    auto first = date::local_days(ymd.year() / ymd.month() / 1);
    auto next = date::local_days((ymd.year() / ymd.month() + date::months(1)) / 1);
    Millis from = date::make_zoned(zone, first).get_sys_time().time_since_epoch().count() * 1000LL;
    Millis to = date::make_zoned(zone, next).get_sys_time().time_since_epoch().count() * 1000LL;
    for (auto [key, target] : {std::pair<const char*, Millis*>{"from", &from}, {"to", &to}}) {
      auto it = req.query.find(key);
      if (it != req.query.end() && !parse_iso8601(it->second, target))
        return problem(app::Error::BadRequest(std::string(key) + " must be an RFC 3339 time", key, "format"), req.request_id);
    }
    auto out = app::dashboard(ctx.db, *req.actor, from, to, now);
    if (!out) return problem(out.error(), req.request_id);
    return Response::json(200, *out);
  };
  dash.cache_views = true;
  router.add(dash);

  Route enums{"GET", "/api/v1/meta/enums", "getEnums", "Code lists: roles, project types, tiers, skills, asset kinds", "meta"};
  enums.response_schema = {{"type", "object"}};
  enums.handler = [](Request&) {
    return Response::json(200, {{"roles", app::all_roles()}, {"project_types", app::project_types()},
                                {"customer_tiers", app::customer_tiers()}, {"skills", app::skills()},
                                {"asset_kinds", app::asset_kinds()}});
  };
  router.add(enums);
}

void register_ops(Router& router, ApiContext& ctx) {
  Route health{"GET", "/healthz", "healthz", "Liveness: the process answers", "operations"};
  health.authenticated = false;
  health.response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}}}}}};
  health.handler = [](Request&) { return Response::json(200, {{"status", "ok"}}); };
  router.add(health);

  Route ready{"GET", "/readyz", "readyz", "Readiness: the database answers and the server is not shutting down", "operations"};
  ready.authenticated = false;
  ready.response_schema = {{"type", "object"}, {"properties", {{"status", {{"type", "string"}}}}}};
  ready.handler = [&ctx](Request& req) {
    try {
      ctx.db.read([](store::Connection& c) { c.query("SELECT 1"); });
    } catch (const std::exception& e) {
      return problem_status(503, "Not ready", std::string("database: ") + e.what(), req.request_id);
    }
    if (ctx.ready && !ctx.ready()) return problem_status(503, "Not ready", "starting or shutting down", req.request_id);
    return Response::json(200, {{"status", "ready"}});
  };
  router.add(ready);

  Route metrics{"GET", "/metrics", "metrics", "Prometheus metrics (text format)", "operations"};
  metrics.authenticated = false;
  metrics.handler = [&ctx](Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ctx.metrics.render();
    return r;
  };
  router.add(metrics);
}

}  // namespace

void register_api(Router& router, ApiContext& ctx) {
  register_ops(router, ctx);
  register_auth(router, ctx);
  register_users(router, ctx);
  for (const auto& m : app::master_data_resources()) register_resource(router, ctx, m);
  register_extras(router, ctx);
  register_audit(router, ctx);
  register_ticket_routes(router, ctx);
  register_follow_up_routes(router, ctx);
  register_complaint_routes(router, ctx);
  register_parts_routes(router, ctx);
  register_dispatch_routes(router, ctx);
  register_attachment_routes(router, ctx);
  register_notification_routes(router, ctx);
  register_docs(router);  // must be last: documents every route above
}

}  // namespace aftersales::http
