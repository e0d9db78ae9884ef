// The request pipeline as layers, outermost first:
//   request id → access log + metrics → routing (404/405) → authentication → handler → errors
// Authentication runs on the headers alone (before_body), so an unauthenticated client cannot
// make the server read, buffer or parse a large body.
#pragma once
#include <exception>
#include <optional>
#include <string>

#include "app/auth.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/view_cache.h"

namespace aftersales::http {

class Pipeline {
 public:
  // All references must outlive the pipeline.
  Pipeline(const Router& router, Metrics& metrics, app::AuthService& auth, const StaticFiles& files)
      : router_(router), metrics_(metrics), auth_(auth), files_(files) {}

  // Called once the headers are in. Returns a response to send without reading the body when
  // the request cannot proceed (unknown route, wrong method, not authenticated).
  std::optional<Response> before_body(Request& req);
  // Runs the handler (or static files) for a request whose body has been read.
  Response handle(Request& req);
  // For a request whose route has an async_handler: starts it (on the calling I/O thread) and
  // returns true; `finish` is then called once, from any thread, with what makes the response,
  // which the caller runs with guarded() on an I/O thread of its own. False for every other
  // request, which the caller passes to handle() on a request thread.
  bool handle_async(Request& req, const AsyncFinish& finish);
  // Runs `make`, answering a database error or any other exception as handle() answers them.
  Response guarded(const Request& req, const MakeResponse& make);
  // For a read on an I/O thread: its response when that needs no database work (static files,
  // public routes such as /healthz, a view kept in the ViewCache); otherwise nothing, and the
  // caller runs handle() on a reader thread.
  std::optional<Response> answer_at_once(Request& req);
  // Adds the common headers, records metrics and writes the access-log line.
  void finish(const Request& req, Response& res, double seconds);
  // Off for benchmarks: one log line per request costs a write to stderr.
  void set_access_log(bool on) { access_log_ = on; }
  // Serves the routes marked cache_views from `cache` (both must outlive the pipeline).
  void set_view_cache(ViewCache* cache, const Clock* clock) {
    views_ = cache;
    clock_ = clock;
  }

 private:
  // The request's route, matched once (by before_body, or here for a caller that skipped it),
  // with its path parameters; null when none matches. Matching walks every route.
  const Route* route_of(Request& req) const;
  // The answer to a request whose handler threw `error`.
  Response failure(const Request& req, std::exception_ptr error);

  const Router& router_;
  Metrics& metrics_;
  app::AuthService& auth_;
  const StaticFiles& files_;
  bool access_log_ = true;
  ViewCache* views_ = nullptr;
  const Clock* clock_ = nullptr;
};

// Splits "/a%20b?x=1&y=2" into a decoded path and query map; false on malformed encoding.
bool parse_target(const std::string& target, std::string* path, std::map<std::string, std::string>* query);
// True for paths the router serves (API, health, metrics); the rest are static files.
bool is_routed_path(const std::string& path);
// The session token from "Authorization: Bearer …" or the as_session cookie.
std::string extract_token(const Request& req);

}  // namespace aftersales::http
