// Reading JSON request bodies and version preconditions, with problem-ready errors.
#pragma once
#include <nlohmann/json.hpp>

#include <optional>

#include "app/error.h"
#include "http/message.h"

namespace aftersales::http {

// The body as a JSON object. 400 for a wrong content type, malformed JSON, invalid UTF-8,
// nesting deeper than 32 levels, or a non-object.
app::Outcome<nlohmann::json> parse_json_object(const Request& req);
// If-Match: "3", W/"3" or 3 → 3. BadRequest for anything else; nullopt when absent.
app::Outcome<std::optional<std::int64_t>> parse_if_match(const Request& req);
// A positive integer path parameter; NotFound for anything else (ids are not guessable input).
app::Outcome<std::int64_t> path_id(const Request& req, const std::string& name, const std::string& what);

}  // namespace aftersales::http
