// Attachments: photos, video and PDF documents attached to service requests at intake and at
// later steps (diagnosis, repair, acceptance, signatures).
//
// The bytes are stored once per content, by SHA-256, outside the database:
//   <data_dir>/attachments/<aa>/<bb>/<sha256>
// written to a temporary file, fsynced, renamed into place and the directory fsynced, so an
// acknowledged upload survives a crash. Each upload gets its own metadata row (name, type,
// uploader, linked request, purpose); identical content shares one file.
//
// Visibility: staff see every attachment. A customer user sees attachments linked to his own
// organisation's requests, and unlinked uploads he made himself; anything else answers 404.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/error.h"
#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

// intake, diagnosis, plan, repair, self_check, acceptance, signature, follow_up, complaint, other.
const std::vector<std::string>& attachment_purposes();
bool is_valid_attachment_purpose(std::string_view purpose);

// --- For other use cases (ticket steps), inside their own transaction -----------------------

// Checks that every id names an attachment the actor may see and that may be linked to
// `ticket_id` (unlinked, or already linked to that same ticket; with no ticket yet — intake —
// unlinked only). Returns one FieldError per bad id, field "<field>[i]", rule "not_found",
// "linked_elsewhere" or "duplicate"; empty when all are fine.
std::vector<FieldError> check_attachment_ids(store::Connection& tx, const Actor& actor,
                                             const std::vector<std::int64_t>& ids,
                                             std::optional<std::int64_t> ticket_id,
                                             const std::string& field = "attachment_ids");

// Links the attachments to the ticket with the purpose (ids already linked to it keep their
// link and get the new purpose) and writes an audit row for each. Call check_attachment_ids
// first; ids linked to another ticket are left alone. Returns how many rows were changed.
int link_attachments(store::Connection& tx, const Actor& actor, const std::vector<std::int64_t>& ids,
                     std::int64_t ticket_id, const std::string& purpose, Millis now);
// The same, audited as the system (for callers without an actor at hand).
int link_attachments(store::Connection& tx, const std::vector<std::int64_t>& ids, std::int64_t ticket_id,
                     const std::string& purpose, Millis now);

// Metadata of the attachments linked to a ticket, oldest first (no authorisation: the caller
// has checked the ticket's scope).
nlohmann::json ticket_attachments_json(store::Connection& tx, std::int64_t ticket_id);

// --- The use cases behind the attachment API --------------------------------------------------

struct UploadInput {
  std::string_view content;             // the raw body
  std::string declared_type;            // Content-Type header (may be empty)
  std::string filename;                 // X-Filename, still percent-encoded
  std::optional<std::int64_t> ticket_id;
  std::string purpose;                  // X-Purpose; "" = intake when linked, else other
};

struct AttachmentContent {
  nlohmann::json meta;
  std::string path;          // the stored file
  std::string sha256;
  std::string content_type;
  std::string filename;
  std::int64_t size = 0;
};

class AttachmentService {
 public:
  AttachmentService(store::Database& db, const Clock& clock, std::string data_dir);

  // Sniffs, validates, stores the bytes and writes the metadata row and its audit. A file over
  // its type's size limit is a Validation error (field "content", rule "max_size") and sets
  // *too_large, so the HTTP layer can answer 413.
  Outcome<nlohmann::json> upload(const Actor& actor, const UploadInput& in, bool* too_large = nullptr) const;
  Outcome<nlohmann::json> get(const Actor& actor, std::int64_t id) const;
  Outcome<AttachmentContent> content(const Actor& actor, std::int64_t id) const;
  Outcome<nlohmann::json> list_for_ticket(const Actor& actor, std::int64_t ticket_id) const;
  // body: {"ticket_id": int, "purpose": string (optional, default "other")}
  Outcome<nlohmann::json> link(const Actor& actor, std::int64_t id, const nlohmann::json& body) const;

  // Where content with this hash lives.
  std::string blob_path(const std::string& sha256) const;
  const std::string& root() const { return root_; }

 private:
  // Writes the blob unless it is already there; throws std::runtime_error on I/O failure.
  void store_blob(const std::string& sha256, std::string_view content) const;

  store::Database& db_;
  const Clock& clock_;
  std::string root_;  // <data_dir>/attachments
};

}  // namespace aftersales::app
