// The route table: method + path pattern ("/api/v1/customers/{id}") → handler, with the
// metadata the OpenAPI document is generated from, so documentation cannot drift from routing.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace aftersales::http {

using Handler = std::function<Response(Request&)>;
// Makes a response; run on an I/O thread, guarded as a Handler is (Pipeline::guarded).
using MakeResponse = std::function<Response()>;
// Takes, once and from any thread, what makes the response of an asynchronous handler.
using AsyncFinish = std::function<void(MakeResponse)>;
// Starts a request on the I/O thread and hands `finish` what makes its response later, without
// a thread waiting meanwhile. The request stays alive until the response is sent.
using AsyncHandler = std::function<void(Request&, AsyncFinish finish)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string operation_id;  // unique, e.g. "listCustomers"; also the metrics label
  std::string summary;
  std::string tag;
  bool authenticated = true;
  nlohmann::json request_schema;   // null when there is no body
  nlohmann::json response_schema;  // schema of the success body (null for 204)
  int success_status = 200;
  std::size_t body_limit = 0;  // bytes; 0 = the server's default (uploads raise it)
  std::vector<nlohmann::json> query_parameters;  // OpenAPI parameter objects
  // GET answers that depend only on the database, the caller and (within a second) the clock:
  // kept in the ViewCache until the next write.
  bool cache_views = false;
  Handler handler;
  // Set where the route can answer without a request thread waiting on the database (a write
  // handed to SQLite's writer thread); the server then uses it instead of `handler`.
  AsyncHandler async_handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

class Router {
 public:
  void add(Route route);
  // The matched route and its path parameters, or nullptr. `method_mismatch` is set when the
  // path exists with other methods (→ 405 with Allow).
  const Route* match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* params, std::vector<std::string>* allowed) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace aftersales::http
