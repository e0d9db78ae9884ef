// Routes for service requests.
#include "http/api.h"

namespace aftersales::http {

void register_ticket_routes(Router&, ApiContext&) {}

}  // namespace aftersales::http
