// Routes for notifications (filled in by the notification work).
#include "http/api.h"

namespace aftersales::http {

void register_notification_routes(Router&, ApiContext&) {}

}  // namespace aftersales::http
