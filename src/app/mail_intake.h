// Intake by e-mail: a mail in the service mailbox becomes a service request.
//
// Two halves. The pure half reads an RFC 5322 message — headers with RFC 2047 encoded-words,
// MIME multipart bodies, quoted-printable and base64, any charset iconv knows (GB2312/GBK are
// read as GB18030, their superset) — into UTF-8 subject, sender, date, Message-ID and body text
// (text/plain preferred, stripped text/html otherwise). The other half maps the mail to a request:
// sender address → customer contact → that customer's projects → the project named in the mail,
// else the only one, else the most recent with a note asking the agent to confirm; and creates
// it through TicketService::intake as the system actor "mail", keyed by the Message-ID so that a
// mail read twice never makes two requests.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

namespace mail {

struct Address {
  std::string name;   // display name, decoded to UTF-8; may be empty
  std::string email;  // addr-spec as written (compare case-insensitively)
};

struct Message {
  std::string subject;                 // decoded, unfolded; "" when absent
  Address from;
  std::optional<Millis> date;          // the Date header in UTC, when present and readable
  std::string message_id;              // without the angle brackets; "" when absent
  std::string text;                    // the body as plain UTF-8 text, trimmed
  bool text_from_html = false;         // no text/plain part: text is stripped HTML
  std::vector<std::string> attachment_names;  // parts that are not the body (not imported)
};

// Reads one whole message (CRLF or LF line ends). Never throws on malformed input: what
// cannot be read is left empty, and every string in the result is valid UTF-8.
Message parse_message(std::string_view raw);

// The pieces, exposed for tests.
// Decodes RFC 2047 encoded-words (B and Q, any charset) inside an unfolded header value;
// whitespace between adjacent encoded-words is dropped, as the RFC says.
std::string decode_header(std::string_view value);
std::string decode_quoted_printable(std::string_view in);
std::string decode_base64(std::string_view in);
// Converts `data` in `charset` to UTF-8. Unknown charsets and invalid bytes never fail: the
// text is kept as UTF-8 where it is valid, else read as GB18030, with U+FFFD for what is left.
std::string to_utf8(std::string_view data, std::string_view charset);
// Text of an HTML document: no tags, scripts or styles; entities decoded; block ends as newlines.
std::string html_to_text(std::string_view html);
Address parse_address(std::string_view value);
// RFC 5322 date-time ("Mon, 1 Jan 2024 10:00:00 +0800", obsolete zone names too) in UTC ms.
std::optional<Millis> parse_date(std::string_view value);
// At most `max_chars` code points; when cut, ends with `suffix` (counted in the limit).
std::string truncate_utf8(std::string_view s, size_t max_chars, std::string_view suffix = "");

}  // namespace mail

struct MailIntakeSettings {
  // Where mail from unknown senders goes; without it such mail is left unread in the mailbox.
  std::optional<std::int64_t> fallback_project_id;
};

struct MailIntakeResult {
  enum class Kind {
    kCreated,        // a new request
    kReplayed,       // this mail had made a request already
    kUnknownSender,  // no contact has this address and there is no fallback project
    kRejected,       // the request could not be made from this mail (detail says why)
  };
  Kind kind = Kind::kRejected;
  std::int64_t ticket_id = 0;
  std::string number;
  std::int64_t project_id = 0;
  std::string detail;
  // Whether the mail is done with and may be marked \Seen.
  bool done() const { return kind == Kind::kCreated || kind == Kind::kReplayed; }
};

class MailIntake {
 public:
  // `db` and `clock` must outlive this.
  MailIntake(store::Database& db, const Clock& clock, MailIntakeSettings settings = {})
      : db_(db), clock_(clock), settings_(std::move(settings)) {}

  // Makes (or finds) the request for one raw message. Database failures throw.
  MailIntakeResult handle(std::string_view raw);

  // The request body and idempotency key a parsed mail gives for a chosen project (exposed
  // for tests). `note` goes in front of the description when not empty.
  static nlohmann::json request_body(const mail::Message& m, std::int64_t project_id, const std::string& note,
                                     const std::string& contact_name, const std::string& contact_phone, Millis now);
  static std::string idempotency_key(const mail::Message& m, std::string_view raw);

 private:
  store::Database& db_;
  const Clock& clock_;
  MailIntakeSettings settings_;
};

// One project of the sender's customers, as the choice sees it.
struct ProjectCandidate {
  std::int64_t id = 0;
  std::string name;
  Millis created_at = 0;
};

struct ProjectChoice {
  std::int64_t project_id = 0;
  bool certain = false;  // named in the mail, or the customer's only project
};

// Picks the project a mail is about: "[项目: name or id]" / "[project: …]" in the subject or body,
// else a project name appearing in the text (the longest one wins), else the only candidate,
// else the most recently created (not certain). Nothing when there are no candidates.
std::optional<ProjectChoice> choose_project(const std::vector<ProjectCandidate>& candidates, const std::string& subject,
                                            const std::string& body);

}  // namespace aftersales::app
