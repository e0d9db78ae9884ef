// The request and response as handlers see them: plain values, no Beast types.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "common/json_writer.h"

namespace aftersales::http {

struct Route;

struct Request {
  std::string method;                              // GET, POST, ...
  std::string path;                                // decoded path, no query
  std::map<std::string, std::string> query;        // decoded query parameters (last wins)
  std::map<std::string, std::string> params;       // path parameters, e.g. {id}
  std::map<std::string, std::string> headers;      // lower-case names
  std::string body;
  std::string request_id;
  std::string client_ip;
  std::string token;                               // bearer or cookie token, if any
  std::optional<app::Actor> actor;                 // set by the auth stage for protected routes
  std::size_t body_limit = 0;                      // the matched route's limit (0 = default)
  const Route* route = nullptr;                    // set once matched (Pipeline::before_body)

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, const nlohmann::json& body);
  static Response no_content();
  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// problem+json for an application error (the single place that maps Error kinds to status).
Response problem(const app::Error& error, const std::string& request_id);
int status_for(app::Error::Kind kind);
// A use case's outcome as a response: problem+json for an error, 204 for Unit, otherwise the
// JSON with its version as ETag when it has one.
template <typename T>
Response reply(const app::Outcome<T>& out, const Request& req, int status = 200) {
  if (!out) return problem(out.error(), req.request_id);
  if constexpr (std::is_same_v<T, app::Unit>) {
    return Response::no_content();
  } else {
    Response r = Response::json(status, out.value());
    if (out.value().is_object() && out.value().contains("version") && out.value()["version"].is_number_integer())
      r.set_header("ETag", "\"" + std::to_string(out.value()["version"].template get<std::int64_t>()) + "\"");
    return r;
  }
}

// The same for an answer already written out (JsonText): its text is moved into the body.
inline Response reply(app::Outcome<JsonText> out, const Request& req, int status = 200) {
  if (!out) return problem(out.error(), req.request_id);
  Response r;
  r.status = status;
  r.body = std::move(out->text);
  if (out->version) r.set_header("ETag", "\"" + std::to_string(*out->version) + "\"");
  return r;
}

// problem+json for protocol-level failures that are not use-case errors (405, 413, 500, 503...).
Response problem_status(int status, const std::string& title, const std::string& detail,
                        const std::string& request_id);

}  // namespace aftersales::http
