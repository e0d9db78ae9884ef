// Builds the route table of the whole API: every endpoint, its handler and its documentation.
#pragma once
#include <functional>
#include <string>

#include "app/auth.h"
#include "app/tickets.h"
#include "common/clock.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/sql.h"

namespace aftersales::http {

struct ApiContext {
  store::Database& db;
  app::AuthService& auth;
  const Clock& clock;
  Metrics& metrics;
  bool secure_cookies = false;            // add Secure to the session cookie (behind HTTPS)
  Millis session_ttl_ms = 12LL * 3600 * 1000;
  std::function<bool()> ready;            // /readyz: migrations applied and not shutting down
  std::string data_dir = "./data";        // attachments live under <data_dir>/attachments
  app::TicketSettings tickets;             // the request service's settings
};

// Registers every route. The context must outlive the router.
void register_api(Router& router, ApiContext& ctx);

// Route groups, one file each (routes_<group>.cc), called by register_api.
void register_ticket_routes(Router& router, ApiContext& ctx);
void register_follow_up_routes(Router& router, ApiContext& ctx);  // also the public survey links
void register_complaint_routes(Router& router, ApiContext& ctx);
void register_dispatch_routes(Router& router, ApiContext& ctx);
void register_attachment_routes(Router& router, ApiContext& ctx);
void register_notification_routes(Router& router, ApiContext& ctx);
void register_parts_routes(Router& router, ApiContext& ctx);  // stock, repair logs, replaced parts

}  // namespace aftersales::http
