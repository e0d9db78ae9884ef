#include "http/pipeline.h"

#include <algorithm>

#include "common/log.h"
#include "http/json_body.h"
#include "store/sql.h"

namespace aftersales::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode(const std::string& in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      char d = static_cast<char>(hi * 16 + lo);
      if (d == '\0') return false;
      out->push_back(d);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

// A route that takes no body (DELETE, logout, send-survey …) accepts none, or an empty JSON
// object: anything else is a client mistake to report, not to ignore while the action goes ahead.
std::optional<Response> refuse_unexpected_body(const Route& route, const Request& req) {
  if (!route.request_schema.is_null() || req.body.empty() || req.method == "GET" || req.method == "HEAD")
    return std::nullopt;
  auto body = parse_json_object(req);
  if (!body) return problem(body.error(), req.request_id);
  if (body->empty()) return std::nullopt;
  std::vector<app::FieldError> errors;
  for (auto it = body->begin(); it != body->end(); ++it)
    errors.push_back({it.key(), "unknown", "this request takes no body"});
  return problem(app::Error::Validation(errors), req.request_id);
}

}  // namespace

bool parse_target(const std::string& target, std::string* path, std::map<std::string, std::string>* query) {
  if (target.empty() || target[0] != '/') return false;
  auto q = target.find('?');
  if (!decode(target.substr(0, q), false, path)) return false;
  if (path->find('\0') != std::string::npos) return false;
  if (q == std::string::npos) return true;
  std::string qs = target.substr(q + 1);
  size_t start = 0;
  while (start <= qs.size()) {
    size_t end = qs.find('&', start);
    if (end == std::string::npos) end = qs.size();
    std::string pair = qs.substr(start, end - start);
    if (!pair.empty()) {
      auto eq = pair.find('=');
      std::string k, v;
      if (!decode(pair.substr(0, eq), true, &k)) return false;
      if (eq != std::string::npos && !decode(pair.substr(eq + 1), true, &v)) return false;
      (*query)[k] = v;
    }
    start = end + 1;
  }
  return true;
}

std::string extract_token(const Request& req) {
  std::string auth = req.header("authorization");
  if (auth.size() > 7 && (auth.rfind("Bearer ", 0) == 0 || auth.rfind("bearer ", 0) == 0)) return auth.substr(7);
  std::string cookies = req.header("cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string item = cookies.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(' '));
    if (item.rfind("as_session=", 0) == 0) return item.substr(11);
    pos = end + 1;
  }
  return {};
}

bool is_routed_path(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path == "/api" || path == "/healthz" || path == "/readyz" ||
         path == "/metrics";
}

std::optional<Response> Pipeline::before_body(Request& req) {
  if (!is_routed_path(req.path)) {
    if (req.method == "GET" || req.method == "HEAD") return std::nullopt;  // static files
    return problem(app::Error(app::Error::Kind::kNotFound, "Not found", "No such resource"), req.request_id);
  }
  std::vector<std::string> allowed;
  const Route* route = router_.match(req.method, req.path, &req.params, &allowed);
  if (!route) {
    if (!allowed.empty()) {
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      std::string allow;
      for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
      Response r = problem_status(405, "Method not allowed", req.method + " is not allowed here; use " + allow,
                                  req.request_id);
      r.set_header("Allow", allow);
      return r;
    }
    return problem(app::Error::NotFound("The API path " + req.path), req.request_id);
  }
  req.route = route;
  req.token = extract_token(req);
  req.body_limit = route->body_limit;
  // The token lookup reads the database. This runs on an I/O thread outside any handler's try
  // block, where an exception would end the process: a database that is down or busy must be
  // answered here, as handle() answers it.
  try {
    if (route->authenticated) {
      auto actor = auth_.authenticate(req.token);
      if (!actor) return problem(actor.error(), req.request_id);
      actor->request_id = req.request_id;
      req.actor = *actor;
    } else if (!req.token.empty()) {
      // Public routes (login, health) still learn who is calling when a valid token is sent.
      auto actor = auth_.authenticate(req.token);
      if (actor) {
        actor->request_id = req.request_id;
        req.actor = *actor;
      }
    }
  } catch (const store::DbError& e) {
    log::error("database error", {{"request_id", req.request_id}, {"error", e.what()}});
    bool transient = e.kind() == store::DbError::Kind::kBusy || e.kind() == store::DbError::Kind::kConnection;
    Response r = transient ? problem_status(503, "Service unavailable",
                                            "The database is busy or unreachable; retry shortly", req.request_id)
                           : problem_status(500, "Internal error",
                                            "The request failed; quote request id " + req.request_id, req.request_id);
    if (transient) r.set_header("Retry-After", "1");
    return r;
  }
  return std::nullopt;
}

const Route* Pipeline::route_of(Request& req) const {
  if (!req.route) req.route = router_.match(req.method, req.path, &req.params, nullptr);
  return req.route;
}

Response Pipeline::handle(Request& req) {
  if (!is_routed_path(req.path)) {
    Response r = files_.serve(req.path, req.header("if-none-match"));
    return r;
  }
  const Route* route = route_of(req);
  if (!route) return problem(app::Error::NotFound("The API path " + req.path), req.request_id);
  try {
    if (auto refused = refuse_unexpected_body(*route, req)) return *refused;
    if (route->cache_views && req.method == "GET" && views_ && views_->enabled()) {
      const std::string key = view_key(req);
      const Millis now = clock_->now_ms();
      auto look = views_->lookup(key, now);
      if (look.kept) return std::move(*look.kept);
      Response r;
      try {
        r = route->handler(req);
      } catch (...) {
        views_->abandon(key, look.seen);
        throw;
      }
      if (r.status == 200) views_->put(key, r, look.seen, now);
      else views_->abandon(key, look.seen);
      return r;
    }
    return route->handler(req);
  } catch (...) {
    return failure(req, std::current_exception());
  }
}

Response Pipeline::failure(const Request& req, std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const store::DbError& e) {
    log::error("database error", {{"request_id", req.request_id}, {"error", e.what()}});
    if (e.kind() == store::DbError::Kind::kBusy || e.kind() == store::DbError::Kind::kConnection) {
      Response r = problem_status(503, "Service unavailable",
                                  "The database is busy or unreachable; retry shortly", req.request_id);
      r.set_header("Retry-After", "1");
      return r;
    }
  } catch (const std::exception& e) {
    log::error("unhandled exception", {{"request_id", req.request_id}, {"error", e.what()}});
  } catch (...) {
    log::error("unhandled exception", {{"request_id", req.request_id}});
  }
  return problem_status(500, "Internal error", "The request failed; quote request id " + req.request_id,
                        req.request_id);
}

bool Pipeline::handle_async(Request& req, const AsyncFinish& finish) {
  if (!is_routed_path(req.path)) return false;
  const Route* route = route_of(req);
  if (!route || !route->async_handler) return false;
  try {
    if (auto refused = refuse_unexpected_body(*route, req)) {
      finish([r = std::move(*refused)] { return r; });
      return true;
    }
    route->async_handler(req, finish);
  } catch (...) {  // before the handler handed anything on: it answers nothing else
    finish([this, &req, error = std::current_exception()] { return failure(req, error); });
  }
  return true;
}

Response Pipeline::guarded(const Request& req, const MakeResponse& make) {
  try {
    return make();
  } catch (...) {
    return failure(req, std::current_exception());
  }
}

std::optional<Response> Pipeline::answer_at_once(Request& req) {
  if (!is_routed_path(req.path)) return handle(req);
  const Route* route = route_of(req);
  if (!route || !route->authenticated) return handle(req);
  if (route->cache_views && req.method == "GET" && views_ && views_->enabled())
    return views_->peek(view_key(req), clock_->now_ms());
  return std::nullopt;
}

void Pipeline::finish(const Request& req, Response& res, double seconds) {
  res.set_header("X-Request-Id", req.request_id);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
  bool api = is_routed_path(req.path);
  if (api && std::none_of(res.headers.begin(), res.headers.end(),
                          [](const auto& h) { return h.first == "Cache-Control"; }))
    res.set_header("Cache-Control", "no-store");
  std::string route = "static";
  if (api) {
    const Route* r = req.route ? req.route : router_.match(req.method, req.path, nullptr, nullptr);
    route = r ? r->operation_id : "unmatched";
  }
  // The method becomes a label: any other than the standard ones would let every client add
  // series without end (found by fuzz/http_request_fuzzer).
  const std::string& m = req.method;
  const bool standard = m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" ||
                        m == "OPTIONS";
  metrics_.observe(route, standard ? m : "OTHER", res.status, seconds);
  if (!access_log_ && res.status < 500) return;
  log::info("request", {{"request_id", req.request_id},
                        {"method", req.method},
                        {"path", req.path},
                        {"route", route},
                        {"status", res.status},
                        {"duration_ms", static_cast<long long>(seconds * 1e6) / 1000.0},
                        {"bytes", res.body.size()},
                        {"user_id", req.actor ? nlohmann::json(req.actor->user_id) : nlohmann::json(nullptr)},
                        {"client_ip", req.client_ip}});
}

}  // namespace aftersales::http
