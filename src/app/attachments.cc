#include "app/attachments.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "app/access.h"
#include "app/audit.h"
#include "app/content_type.h"
#include "common/crypto.h"

namespace aftersales::app {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const char* kColumns =
    "SELECT a.id AS id, a.sha256 AS sha256, a.size_bytes AS size_bytes, a.content_type AS content_type,"
    " a.filename AS filename, a.ticket_id AS ticket_id, a.purpose AS purpose, a.uploaded_by AS uploaded_by,"
    " a.created_at AS created_at, a.linked_at AS linked_at, t.customer_id AS ticket_customer_id"
    " FROM attachments a LEFT JOIN tickets t ON t.id = a.ticket_id";

json to_json(const store::Row& r) {
  auto id = r.i64("id");
  return {{"id", id},
          {"sha256", r.text("sha256")},
          {"size", r.i64("size_bytes")},
          {"content_type", r.text("content_type")},
          {"filename", r.text("filename")},
          {"ticket_id", r.is_null("ticket_id") ? json(nullptr) : json(r.i64("ticket_id"))},
          {"purpose", r.text("purpose")},
          {"uploaded_by", r.is_null("uploaded_by") ? json(nullptr) : json(r.i64("uploaded_by"))},
          {"created_at", format_iso8601(r.i64("created_at"))},
          {"linked_at", r.is_null("linked_at") ? json(nullptr) : json(format_iso8601(r.i64("linked_at")))},
          {"content_url", "/api/v1/attachments/" + std::to_string(id) + "/content"}};
}

// Staff see everything; a customer user his organisation's linked attachments and his own
// unlinked uploads.
bool visible(const Actor& actor, const store::Row& r) {
  if (!actor.is_customer()) return true;
  if (!r.is_null("ticket_id")) return r.opt_i64("ticket_customer_id") == actor.customer_id && actor.customer_id;
  return r.opt_i64("uploaded_by") == actor.user_id;
}

// One attachment row. Rows point into their Result's column names, so the Result is kept.
struct Found {
  store::Result res;
  explicit operator bool() const { return !res.empty(); }
  const store::Row& operator*() const { return res.rows[0]; }
  const store::Row* operator->() const { return &res.rows[0]; }
};

Found find(store::Connection& tx, std::int64_t id) {
  return Found{tx.query(std::string(kColumns) + " WHERE a.id = ?", {id})};
}

// The ticket exists and lies in the actor's scope (NotFound otherwise, so ids cannot be probed).
std::optional<Error> check_ticket(store::Connection& tx, const Actor& actor, std::int64_t ticket_id) {
  auto res = tx.query("SELECT customer_id FROM tickets WHERE id = ?", {ticket_id});
  if (res.empty()) return Error::NotFound("Service request " + std::to_string(ticket_id));
  if (actor.is_customer() && res.rows[0].opt_i64("customer_id") != actor.customer_id)
    return Error::NotFound("Service request " + std::to_string(ticket_id));
  return std::nullopt;
}

void fsync_path(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("open " + p.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync " + p.string() + ": " + std::strerror(err));
}

int do_link(store::Connection& tx, const Actor& actor, const std::vector<std::int64_t>& ids, std::int64_t ticket_id,
            const std::string& purpose, Millis now) {
  int changed = 0;
  std::set<std::int64_t> done;
  for (auto id : ids) {
    if (!done.insert(id).second) continue;
    auto before = find(tx, id);
    if (!before) continue;
    if (!before->is_null("ticket_id") && before->i64("ticket_id") != ticket_id) continue;
    if (!before->is_null("ticket_id") && before->text("purpose") == purpose) continue;
    auto res = tx.query(
        "UPDATE attachments SET ticket_id = ?, purpose = ?, linked_at = ? WHERE id = ? AND (ticket_id IS NULL OR ticket_id = ?)",
        {ticket_id, purpose, now, id, ticket_id});
    if (res.affected == 0) continue;
    ++changed;
    auto after = find(tx, id);
    write_audit(tx, actor, now, "link", "attachment", id, to_json(*before), to_json(*after));
  }
  return changed;
}

}  // namespace

const std::vector<std::string>& attachment_purposes() {
  static const std::vector<std::string> p = {"intake",     "diagnosis", "plan",      "repair",    "self_check",
                                             "acceptance", "signature", "follow_up", "complaint", "other"};
  return p;
}

bool is_valid_attachment_purpose(std::string_view purpose) {
  const auto& p = attachment_purposes();
  return std::find(p.begin(), p.end(), purpose) != p.end();
}

std::vector<FieldError> check_attachment_ids(store::Connection& tx, const Actor& actor,
                                             const std::vector<std::int64_t>& ids,
                                             std::optional<std::int64_t> ticket_id, const std::string& field) {
  std::vector<FieldError> errors;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string f = field + "[" + std::to_string(i) + "]";
    auto id = ids[i];
    if (!seen.insert(id).second) {
      errors.push_back({f, "duplicate", "attachment " + std::to_string(id) + " is listed twice"});
      continue;
    }
    auto row = id > 0 ? find(tx, id) : Found{};
    if (!row || !visible(actor, *row)) {
      errors.push_back({f, "not_found", "attachment " + std::to_string(id) + " does not exist"});
      continue;
    }
    auto linked = row->opt_i64("ticket_id");
    if (linked && (!ticket_id || *linked != *ticket_id))
      errors.push_back({f, "linked_elsewhere",
                        "attachment " + std::to_string(id) + " belongs to another service request"});
  }
  return errors;
}

int link_attachments(store::Connection& tx, const Actor& actor, const std::vector<std::int64_t>& ids,
                     std::int64_t ticket_id, const std::string& purpose, Millis now) {
  return do_link(tx, actor, ids, ticket_id, purpose, now);
}

int link_attachments(store::Connection& tx, const std::vector<std::int64_t>& ids, std::int64_t ticket_id,
                     const std::string& purpose, Millis now) {
  return do_link(tx, system_actor("attachments"), ids, ticket_id, purpose, now);
}

json ticket_attachments_json(store::Connection& tx, std::int64_t ticket_id) {
  auto res = tx.query(std::string(kColumns) + " WHERE a.ticket_id = ? ORDER BY a.id", {ticket_id});
  json items = json::array();
  for (const auto& r : res.rows) items.push_back(to_json(r));
  return items;
}

AttachmentService::AttachmentService(store::Database& db, const Clock& clock, std::string data_dir)
    : db_(db), clock_(clock), root_((fs::path(data_dir) / "attachments").string()) {}

std::string AttachmentService::blob_path(const std::string& sha256) const {
  return (fs::path(root_) / sha256.substr(0, 2) / sha256.substr(2, 2) / sha256).string();
}

void AttachmentService::store_blob(const std::string& sha256, std::string_view content) const {
  fs::path final_path = blob_path(sha256);
  std::error_code ec;
  // Identical content is stored once. A file at the final path is always complete: it only
  // ever appears there by rename after fsync.
  if (fs::is_regular_file(final_path, ec) && fs::file_size(final_path, ec) == content.size() && !ec) return;
  fs::path dir = final_path.parent_path(), tmp_dir = fs::path(root_) / "tmp";
  bool created = fs::create_directories(dir);
  if (fs::create_directories(tmp_dir)) created = true;
  fs::path tmp = tmp_dir / (sha256 + "." + crypto::random_hex(8) + ".part");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("create " + tmp.string() + ": " + std::strerror(errno));
  auto fail = [&](const std::string& what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw std::runtime_error(what + " " + tmp.string() + ": " + std::strerror(err));
  };
  std::size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, std::min<std::size_t>(content.size() - off, 1 << 20));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw std::runtime_error("close " + tmp.string() + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw std::runtime_error("rename " + tmp.string() + ": " + std::strerror(err));
  }
  fsync_path(dir);
  if (created) {  // new directories must be durable in their parents too
    fsync_path(dir.parent_path());
    fsync_path(root_);
    fsync_path(fs::path(root_).parent_path().empty() ? fs::path(".") : fs::path(root_).parent_path());
  }
}

Outcome<json> AttachmentService::upload(const Actor& actor, const UploadInput& in, bool* too_large) const {
  if (too_large) *too_large = false;
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  std::vector<FieldError> errors;
  std::string purpose = in.purpose.empty() ? (in.ticket_id ? "intake" : "other") : in.purpose;
  if (!is_valid_attachment_purpose(purpose))
    errors.push_back({"X-Purpose", "enum", "must be one of intake, diagnosis, plan, repair, self_check, acceptance,"
                                           " signature, follow_up, complaint, other"});
  if (in.ticket_id) {
    auto scope = db_.read([&](store::Connection& tx) { return check_ticket(tx, actor, *in.ticket_id); });
    if (scope) return *scope;
  }
  Sniff sniff = sniff_content(in.content);
  std::string filename;
  if (!sniff.type) {
    errors.push_back({"content", "type", sniff.reason});
  } else {
    const SniffedType& type = *sniff.type;
    if (auto conflict = declared_type_conflict(in.declared_type, type))
      errors.push_back({"Content-Type", "mismatch", *conflict});
    auto decoded = percent_decode_utf8(in.filename);
    if (!decoded) {
      errors.push_back({"X-Filename", "encoding", "must be the percent-encoded UTF-8 file name"});
    } else {
      auto name = sanitize_filename(*decoded, type);
      if (!name) {
        for (const auto& e : name.error().errors()) errors.push_back(e);
      } else {
        filename = *name;
      }
    }
    if (purpose == "signature" && type.mime != "image/png")
      errors.push_back({"X-Purpose", "type", "a signature must be a PNG image"});
    if (errors.empty() && in.content.size() > max_size_for(type.kind)) {
      if (too_large) *too_large = true;
      return Error::Validation({{"content", "max_size",
                                 std::string("a ") + kind_name(type.kind) + " may be at most " +
                                     std::to_string(max_size_for(type.kind) / (1024 * 1024)) + " MiB; this one is " +
                                     std::to_string(in.content.size()) + " bytes"}});
    }
  }
  if (!errors.empty()) return Error::Validation(errors);

  std::string sha = crypto::sha256_hex(in.content);
  store_blob(sha, in.content);
  Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& tx) -> Outcome<json> {
    store::Value ticket = in.ticket_id ? store::Value(*in.ticket_id) : store::Value();
    store::Value linked = in.ticket_id ? store::Value(now) : store::Value();
    store::Value customer = actor.customer_id ? store::Value(*actor.customer_id) : store::Value();
    auto res = tx.query(
        "INSERT INTO attachments (sha256, size_bytes, content_type, filename, ticket_id, purpose, uploaded_by,"
        " uploader_customer_id, created_at, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {sha, static_cast<std::int64_t>(in.content.size()), sniff.type->mime, filename, ticket, purpose,
         actor.user_id > 0 ? store::Value(actor.user_id) : store::Value(), customer, now, linked});
    auto id = res.rows[0].i64("id");
    json after = to_json(*find(tx, id));
    write_audit(tx, actor, now, "create", "attachment", id, nullptr, after);
    return after;
  });
}

Outcome<json> AttachmentService::get(const Actor& actor, std::int64_t id) const {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  return db_.read([&](store::Connection& tx) -> Outcome<json> {
    auto row = find(tx, id);
    if (!row || !visible(actor, *row)) return Error::NotFound("Attachment " + std::to_string(id));
    return to_json(*row);
  });
}

Outcome<AttachmentContent> AttachmentService::content(const Actor& actor, std::int64_t id) const {
  auto meta = get(actor, id);
  if (!meta) return meta.error();
  AttachmentContent c;
  c.meta = *meta;
  c.sha256 = (*meta)["sha256"].get<std::string>();
  c.content_type = (*meta)["content_type"].get<std::string>();
  c.filename = (*meta)["filename"].get<std::string>();
  c.size = (*meta)["size"].get<std::int64_t>();
  c.path = blob_path(c.sha256);
  return c;
}

Outcome<json> AttachmentService::list_for_ticket(const Actor& actor, std::int64_t ticket_id) const {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  return db_.read([&](store::Connection& tx) -> Outcome<json> {
    if (auto e = check_ticket(tx, actor, ticket_id)) return *e;
    return json{{"items", ticket_attachments_json(tx, ticket_id)}};
  });
}

Outcome<json> AttachmentService::link(const Actor& actor, std::int64_t id, const json& body) const {
  if (auto e = require(actor, Permission::kTicketRead)) return *e;
  std::vector<FieldError> errors;
  std::int64_t ticket_id = 0;
  std::string purpose = "other";
  if (!body.contains("ticket_id")) errors.push_back({"ticket_id", "required", "is required"});
  else if (!body["ticket_id"].is_number_integer() || body["ticket_id"].get<std::int64_t>() <= 0)
    errors.push_back({"ticket_id", "type", "must be a positive integer"});
  else ticket_id = body["ticket_id"].get<std::int64_t>();
  if (body.contains("purpose")) {
    if (!body["purpose"].is_string()) errors.push_back({"purpose", "type", "must be a string"});
    else if (!is_valid_attachment_purpose(purpose = body["purpose"].get<std::string>()))
      errors.push_back({"purpose", "enum", "must be one of intake, diagnosis, plan, repair, self_check, acceptance,"
                                           " signature, follow_up, complaint, other"});
  }
  for (auto it = body.begin(); it != body.end(); ++it)
    if (it.key() != "ticket_id" && it.key() != "purpose")
      errors.push_back({it.key(), "unknown", "is not a field of an attachment link"});
  Millis now = clock_.now_ms();
  return db_.write([&](store::Connection& tx) -> Outcome<json> {
    auto row = find(tx, id);
    if (!row || !visible(actor, *row)) return Error::NotFound("Attachment " + std::to_string(id));
    if (!errors.empty()) return Error::Validation(errors);
    if (auto e = check_ticket(tx, actor, ticket_id)) return *e;
    if (purpose == "signature" && row->text("content_type") != "image/png")
      return Error::Validation({{"purpose", "type", "a signature must be a PNG image"}});
    auto linked = row->opt_i64("ticket_id");
    if (linked && *linked != ticket_id)
      return Error::Conflict("Attachment " + std::to_string(id) + " is linked to another service request",
                             {{"ticket_id", "linked_elsewhere", "the attachment belongs to another service request"}});
    do_link(tx, actor, {id}, ticket_id, purpose, now);
    return to_json(*find(tx, id));
  });
}

}  // namespace aftersales::app
