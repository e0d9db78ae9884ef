// Routes for attachments: upload (raw body), metadata, content, link to a service request, and
// a service request's list of attachments.
#include <fstream>
#include <memory>

#include "app/attachments.h"
#include "app/content_type.h"
#include "common/log.h"
#include "http/api.h"
#include "http/json_body.h"

namespace aftersales::http {
namespace {

using json = nlohmann::json;

json attachment_schema() {
  return {{"type", "object"},
          {"properties",
           {{"id", {{"type", "integer"}}},
            {"sha256", {{"type", "string"}, {"description", "SHA-256 of the content, lower-case hex; also the ETag"}}},
            {"size", {{"type", "integer"}}},
            {"content_type", {{"type", "string"}, {"description", "sniffed from the content"}}},
            {"filename", {{"type", "string"}}},
            {"ticket_id", {{"type", {"integer", "null"}}}},
            {"purpose", {{"type", "string"}, {"enum", app::attachment_purposes()}}},
            {"uploaded_by", {{"type", {"integer", "null"}}}},
            {"created_at", {{"type", "string"}, {"format", "date-time"}}},
            {"linked_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
            {"content_url", {{"type", "string"}}}}}};
}

json header_param(const std::string& name, const std::string& description, bool required = false) {
  return {{"name", name}, {"in", "header"}, {"required", required}, {"schema", {{"type", "string"}}},
          {"description", description}};
}

template <typename T>
Response plain_reply(const app::Outcome<T>& out, const Request& req, int status = 200) {
  if (!out) return problem(out.error(), req.request_id);
  return Response::json(status, out.value());
}

// Parses "bytes=a-b" / "bytes=a-" / "bytes=-n" (one range). Returns false when the header is
// absent or not a single byte range (the whole content is sent then); sets *unsatisfiable
// when it is a valid range outside the content.
bool parse_range(const std::string& h, std::int64_t size, std::int64_t* first, std::int64_t* last,
                 bool* unsatisfiable) {
  *unsatisfiable = false;
  if (h.rfind("bytes=", 0) != 0) return false;
  std::string spec = h.substr(6);
  if (spec.find(',') != std::string::npos) return false;
  auto dash = spec.find('-');
  if (dash == std::string::npos) return false;
  std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
  auto digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (a.empty()) {
    if (!digits(b)) return false;
    std::int64_t n = std::stoll(b);
    if (n == 0 || size == 0) return *unsatisfiable = true, true;
    *first = std::max<std::int64_t>(0, size - n);
    *last = size - 1;
    return true;
  }
  if (!digits(a) || (!b.empty() && !digits(b))) return false;
  *first = std::stoll(a);
  *last = b.empty() ? size - 1 : std::min<std::int64_t>(std::stoll(b), size - 1);
  if (!b.empty() && std::stoll(b) < *first) return false;
  if (*first >= size) return *unsatisfiable = true, true;
  return true;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  if (if_none_match.empty()) return false;
  std::size_t pos = 0;
  while (pos < if_none_match.size()) {
    auto end = if_none_match.find(',', pos);
    if (end == std::string::npos) end = if_none_match.size();
    std::string tag = if_none_match.substr(pos, end - pos);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == "*" || tag == etag) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

void register_attachment_routes(Router& router, ApiContext& ctx) {
  auto svc = std::make_shared<app::AttachmentService>(ctx.db, ctx.clock, ctx.data_dir);

  Route upload{"POST", "/api/v1/attachments", "uploadAttachment",
               "Upload a photo, video or PDF as the raw body (type checked by content; images up to 20 MiB, "
               "PDF 50 MiB, video 200 MiB)",
               "attachments"};
  upload.success_status = 201;
  upload.body_limit = app::kMaxUploadBytes;
  // The body is the file itself, not JSON: documented as binary under its media types.
  upload.request_schema = {{"x-media-types", {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic",
                                              "video/mp4", "video/quicktime", "application/pdf"}},
                           {"type", "string"}, {"format", "binary"}};
  upload.response_schema = attachment_schema();
  upload.query_parameters = {
      header_param("Content-Type", "the file's type, e.g. image/jpeg (must agree with the content)"),
      header_param("X-Filename", "the file name, percent-encoded UTF-8"),
      header_param("X-Ticket-Id", "link to this service request at once"),
      header_param("X-Purpose", "intake, diagnosis, plan, repair, self_check, acceptance, signature, follow_up, "
                                "complaint or other")};
  upload.handler = [svc](Request& req) {
    app::UploadInput in;
    in.content = req.body;
    in.declared_type = req.header("content-type");
    in.filename = req.header("x-filename");
    in.purpose = req.header("x-purpose");
    std::string ticket = req.header("x-ticket-id");
    if (!ticket.empty()) {
      if (ticket.size() > 18 || ticket[0] == '0' ||
          !std::all_of(ticket.begin(), ticket.end(), [](unsigned char c) { return std::isdigit(c); }))
        return problem(app::Error::BadRequest("X-Ticket-Id must be a service request id", "X-Ticket-Id", "type"),
                       req.request_id);
      in.ticket_id = std::stoll(ticket);
    }
    bool too_large = false;
    auto out = svc->upload(*req.actor, in, &too_large);
    if (!out && too_large) {
      Response r = problem(out.error(), req.request_id);
      json body = json::parse(r.body);
      body["status"] = 413;
      body["title"] = "File too large";
      r = Response::json(413, body);
      r.content_type = "application/problem+json";
      return r;
    }
    Response r = plain_reply(out, req, 201);
    if (out) r.set_header("Location", "/api/v1/attachments/" + std::to_string((*out)["id"].get<std::int64_t>()));
    return r;
  };
  router.add(upload);

  Route get{"GET", "/api/v1/attachments/{id}", "getAttachment", "An attachment's metadata", "attachments"};
  get.response_schema = attachment_schema();
  get.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "Attachment");
    if (!id) return problem(id.error(), req.request_id);
    return plain_reply(svc->get(*req.actor, *id), req);
  };
  router.add(get);

  Route content{"GET", "/api/v1/attachments/{id}/content", "getAttachmentContent",
                "An attachment's bytes (inline, ETag = SHA-256, single byte ranges for video)", "attachments"};
  content.response_schema = {{"type", "string"}, {"format", "binary"}};
  content.query_parameters = {header_param("If-None-Match", "the ETag you have; 304 when unchanged"),
                              header_param("Range", "one byte range, e.g. bytes=0-1048575")};
  content.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "Attachment");
    if (!id) return problem(id.error(), req.request_id);
    auto c = svc->content(*req.actor, *id);
    if (!c) return problem(c.error(), req.request_id);
    const std::string etag = "\"" + c->sha256 + "\"";
    auto common = [&](Response& r) {
      r.set_header("ETag", etag);
      r.set_header("Cache-Control", "private, max-age=3600");
      r.set_header("Accept-Ranges", "bytes");
    };
    if (etag_matches(req.header("if-none-match"), etag)) {
      Response r;
      r.status = 304;
      r.content_type.clear();
      common(r);
      return r;
    }
    std::int64_t first = 0, last = c->size - 1;
    bool unsatisfiable = false;
    bool ranged = parse_range(req.header("range"), c->size, &first, &last, &unsatisfiable);
    if (ranged && unsatisfiable) {
      Response r = problem_status(416, "Range not satisfiable", "The content has " + std::to_string(c->size) + " bytes",
                                  req.request_id);
      r.set_header("Content-Range", "bytes */" + std::to_string(c->size));
      return r;
    }
    std::ifstream in(c->path, std::ios::binary);
    if (!in) {
      log::error("attachment content missing", {{"request_id", req.request_id}, {"path", c->path}});
      return problem_status(500, "Internal error", "The stored file is missing; quote request id " + req.request_id,
                            req.request_id);
    }
    Response r;
    r.status = ranged ? 206 : 200;
    r.content_type = c->content_type;
    std::int64_t length = c->size == 0 ? 0 : last - first + 1;
    r.body.resize(static_cast<std::size_t>(length));
    in.seekg(first);
    in.read(r.body.data(), length);
    if (in.gcount() != length) {
      log::error("attachment content short", {{"request_id", req.request_id}, {"path", c->path}});
      return problem_status(500, "Internal error", "The stored file is damaged; quote request id " + req.request_id,
                            req.request_id);
    }
    common(r);
    r.set_header("Content-Disposition", app::content_disposition("inline", c->filename));
    if (ranged)
      r.set_header("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                        std::to_string(c->size));
    return r;
  };
  router.add(content);

  Route link{"POST", "/api/v1/attachments/{id}/link", "linkAttachment",
             "Link an unlinked upload to a service request (the uploader or staff)", "attachments"};
  link.request_schema = {{"type", "object"},
                         {"required", {"ticket_id"}},
                         {"additionalProperties", false},
                         {"properties", {{"ticket_id", {{"type", "integer"}}},
                                         {"purpose", {{"type", "string"}, {"enum", app::attachment_purposes()}}}}}};
  link.response_schema = attachment_schema();
  link.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "Attachment");
    if (!id) return problem(id.error(), req.request_id);
    auto body = parse_json_object(req);
    if (!body) return problem(body.error(), req.request_id);
    return plain_reply(svc->link(*req.actor, *id, *body), req);
  };
  router.add(link);

  Route list{"GET", "/api/v1/tickets/{id}/attachments", "listTicketAttachments",
             "A service request's attachments, oldest first", "attachments"};
  list.response_schema = {{"type", "object"}, {"properties", {{"items", {{"type", "array"}, {"items", attachment_schema()}}}}}};
  list.handler = [svc](Request& req) {
    auto id = path_id(req, "id", "Service request");
    if (!id) return problem(id.error(), req.request_id);
    return plain_reply(svc->list_for_ticket(*req.actor, *id), req);
  };
  router.add(list);
}

}  // namespace aftersales::http
