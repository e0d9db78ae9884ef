#include "http/message.h"

namespace aftersales::http {

using json = nlohmann::json;

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int status_for(app::Error::Kind kind) {
  using K = app::Error::Kind;
  switch (kind) {
    case K::kValidation: return 422;
    case K::kBadRequest: return 400;
    case K::kUnauthenticated: return 401;
    case K::kForbidden: return 403;
    case K::kNotFound: return 404;
    case K::kConflict: return 409;
    case K::kPreconditionFailed: return 412;
    case K::kPreconditionRequired: return 428;
    case K::kThrottled: return 429;
  }
  return 500;
}

Response problem_status(int status, const std::string& title, const std::string& detail,
                        const std::string& request_id) {
  json body = {{"type", "about:blank"}, {"title", title},     {"status", status},
               {"detail", detail},      {"errors", json::array()}, {"request_id", request_id}};
  Response r = Response::json(status, body);
  r.content_type = "application/problem+json";
  return r;
}

Response problem(const app::Error& error, const std::string& request_id) {
  int status = status_for(error.kind());
  json errors = json::array();
  for (const auto& e : error.errors())
    errors.push_back({{"field", e.field}, {"rule", e.rule}, {"message", e.message}});
  json body = {{"type", "about:blank"},
               {"title", error.title()},
               {"status", status},
               {"detail", error.detail()},
               {"errors", errors},
               {"request_id", request_id}};
  Response r = Response::json(status, body);
  r.content_type = "application/problem+json";
  if (error.retry_after_s() > 0) r.set_header("Retry-After", std::to_string(error.retry_after_s()));
  if (status == 401) r.set_header("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace aftersales::http
