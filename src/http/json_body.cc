#include "http/json_body.h"

#include <algorithm>

namespace aftersales::http {

using json = nlohmann::json;

app::Outcome<json> parse_json_object(const Request& req) {
  std::string ct = req.header("content-type");
  std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ct.rfind("application/json", 0) != 0 && ct.rfind("application/merge-patch+json", 0) != 0)
    return app::Error::BadRequest("Send the body as application/json", "content-type", "media_type");
  if (req.body.empty()) return app::Error::BadRequest("The body is empty; send a JSON object", "body", "required");
  // nlohmann's parser is iterative, but a limit keeps pathological input cheap to reject.
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : req.body) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') max_depth = std::max(max_depth, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  if (max_depth > 32) return app::Error::BadRequest("The JSON is nested deeper than 32 levels", "body", "max_depth");
  json body;
  try {
    body = json::parse(req.body);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("]: ");
    std::string detail = pos == std::string::npos ? what : what.substr(pos + 3);
    return app::Error::BadRequest("The body is not valid JSON: " + detail, "body", "json");
  } catch (const json::out_of_range&) {
    // A number too large for a double (1e400) is thrown as out_of_range, not as a parse error.
    return app::Error::BadRequest("The body holds a number out of range (larger than a double)", "body", "json");
  }
  if (!body.is_object()) return app::Error::BadRequest("The body must be a JSON object", "body", "type");
  return body;
}

app::Outcome<std::optional<std::int64_t>> parse_if_match(const Request& req) {
  std::string v = req.header("if-match");
  if (v.empty()) return std::optional<std::int64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
    return app::Error::BadRequest("If-Match must be the version number you read, e.g. \"3\"", "If-Match", "format");
  return std::optional<std::int64_t>(std::stoll(v));
}

app::Outcome<std::int64_t> path_id(const Request& req, const std::string& name, const std::string& what) {
  auto it = req.params.find(name);
  std::string v = it == req.params.end() ? "" : it->second;
  if (v.empty() || v.size() > 18 || v[0] == '0' ||
      !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
    return app::Error::NotFound(what + " " + v);
  return std::stoll(v);
}

}  // namespace aftersales::http
