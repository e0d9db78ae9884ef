// The OpenAPI 3.1 document, generated from the route table (so every route is documented by
// construction, and a test checks each one has a summary and schemas), and /api/docs.
#pragma once
#include <nlohmann/json.hpp>

#include "app/resource.h"
#include "http/router.h"

namespace aftersales::http {

// JSON Schema of a master-data resource: as read (`for_write` false) or as written.
nlohmann::json resource_schema(const app::ResourceSpec& spec, bool for_write);
nlohmann::json openapi_document(const Router& router);
// Adds GET /api/openapi.json and GET /api/docs (a readable reference page).
void register_docs(Router& router);

}  // namespace aftersales::http
