// Routes for attachments (filled in by the attachment work).
#include "http/api.h"

namespace aftersales::http {

void register_attachment_routes(Router&, ApiContext&) {}

}  // namespace aftersales::http
