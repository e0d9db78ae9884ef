// The mail intake poller: reads the service mailbox over IMAP (libcurl for the connection,
// TLS and login; the commands ourselves, since libcurl's own FETCH would mark a mail \Seen the
// moment it is read). Each round: SELECT the mailbox, UID SEARCH UNSEEN, UID FETCH each with
// BODY.PEEK[] (leaves it unseen), hand it to app::MailIntake, and only once its request exists
// UID STORE +FLAGS (\Seen). A crash at any point loses nothing: an unseen mail is read again
// next round and its Message-ID finds the request it already made.
//
// Mail that cannot become a request (unknown sender without a fallback project, or rejected)
// stays unseen for a person to look at; it is logged once per process, not every round.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "app/mail_intake.h"

namespace aftersales::jobs {

struct MailPollerOptions {
  std::string url;  // imap://user:password@host:port/INBOX or imaps://…; the mailbox is the path
  long connect_timeout_ms = 10000;
  long io_timeout_ms = 60000;           // one command's reply, or one message
  int max_per_round = 50;               // the rest waits for the next round
  size_t max_message_bytes = 32u << 20; // bigger mail is left unseen with a warning
};

struct PollStats {
  int seen = 0;      // unseen messages found
  int created = 0;   // new requests
  int replayed = 0;  // mails whose request existed already (now marked \Seen)
  int left = 0;      // left unseen (unknown sender, rejected, too big, failed)
};

// Checks the URL's form (scheme imap/imaps, a host); "" when fine, else why not.
std::string check_mail_url(const std::string& url);
// The URL without user name and password, for logs.
std::string redact_mail_url(const std::string& url);

class MailPoller {
 public:
  MailPoller(app::MailIntake& intake, MailPollerOptions options);
  // One round. Throws std::runtime_error when the server cannot be reached or misbehaves
  // (Periodic logs it and tries again next interval).
  PollStats poll_once();
  // Makes a round in progress give up at its next network wait (for shutdown).
  void cancel() { cancel_ = true; }

 private:
  PollStats poll_round();
  app::MailIntake& intake_;
  MailPollerOptions options_;
  std::atomic<bool> cancel_{false};
  std::mutex warned_mu_;
  std::set<std::string> warned_;  // uidvalidity:uid already reported as left unseen
};

// Parsing of IMAP replies, exposed for tests.
// The numbers of "* SEARCH 1 2 3" lines.
std::vector<std::int64_t> parse_search(const std::vector<std::string>& untagged);
// Quotes a mailbox name as an IMAP quoted string.
std::string imap_quote(const std::string& s);

}  // namespace aftersales::jobs
