#include "jobs/mail_poller.h"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "common/log.h"
#include "notify/transport.h"

namespace aftersales::jobs {
namespace {

using Clock = std::chrono::steady_clock;

struct UrlParts {
  std::string scheme, host, mailbox;
  std::string connect_url;  // the URL with the path cut to "/"
  std::string display;      // without credentials
};

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

std::optional<std::string> url_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || !out) return std::nullopt;
  std::string s(out);
  curl_free(out);
  return s;
}

std::optional<UrlParts> split_url(const std::string& url, std::string* why) {
  UrlHandle u(curl_url(), &curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    *why = "not a URL";
    return std::nullopt;
  }
  UrlParts p;
  p.scheme = url_part(u.get(), CURLUPART_SCHEME).value_or("");
  if (p.scheme != "imap" && p.scheme != "imaps") {
    *why = "the scheme must be imap:// or imaps://";
    return std::nullopt;
  }
  p.host = url_part(u.get(), CURLUPART_HOST).value_or("");
  if (p.host.empty()) {
    *why = "no host";
    return std::nullopt;
  }
  std::string path = url_part(u.get(), CURLUPART_PATH, CURLU_URLDECODE).value_or("/");
  if (!path.empty() && path[0] == '/') path.erase(0, 1);
  if (auto semi = path.find(';'); semi != std::string::npos) path.resize(semi);  // ;UIDVALIDITY=… and the like
  while (!path.empty() && path.back() == '/') path.pop_back();
  p.mailbox = path.empty() ? "INBOX" : path;
  curl_url_set(u.get(), CURLUPART_PATH, "/", 0);
  curl_url_set(u.get(), CURLUPART_QUERY, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
  p.connect_url = url_part(u.get(), CURLUPART_URL).value_or(url);
  curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_OPTIONS, nullptr, 0);
  p.display = url_part(u.get(), CURLUPART_URL).value_or("imap://?");
  if (!p.display.empty() && p.display.back() == '/') p.display.pop_back();
  p.display += "/" + p.mailbox;
  return p;
}

struct Untagged {
  std::string line;                   // the response with each literal replaced by "{}"
  std::vector<std::string> literals;  // the literals, in order
  bool literal_too_big = false;       // a literal was over the limit and discarded
};

struct Reply {
  std::string status;  // OK, NO or BAD
  std::string text;    // the rest of the tagged line
  std::vector<Untagged> untagged;
  bool ok() const { return status == "OK"; }
};

// One IMAP session: libcurl connects, negotiates TLS (imaps://) and logs in (CONNECT_ONLY);
// then commands go over curl_easy_send/recv.
class Session {
 public:
  Session(const MailPollerOptions& o, const std::atomic<bool>& cancel) : o_(o), cancel_(cancel) {}

  void connect(const UrlParts& url) {
    notify::init_transport();
    easy_ = curl_easy_init();
    if (!easy_) throw std::runtime_error("curl_easy_init failed");
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(easy_, CURLOPT_URL, url.connect_url.c_str());
    curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(easy_, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, o_.connect_timeout_ms);
    curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, o_.connect_timeout_ms + o_.io_timeout_ms);  // connect + login
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(easy_);
    if (rc != CURLE_OK) {
      std::string msg = curl_easy_strerror(rc);
      if (errbuf[0]) msg += std::string(": ") + errbuf;
      throw std::runtime_error("imap connect/login to " + url.display + " failed: " + msg);
    }
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, nullptr);
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(easy_, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD)
      throw std::runtime_error("imap: no socket after connect");
    sock_ = sock;
  }

  ~Session() {
    if (easy_) curl_easy_cleanup(easy_);  // sends LOGOUT
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Reply command(const std::string& cmd) {
    const std::string tag = "as" + std::to_string(++seq_);
    send_all(tag + " " + cmd + "\r\n");
    deadline_ = Clock::now() + std::chrono::milliseconds(o_.io_timeout_ms);
    Reply reply;
    while (true) {
      std::string line = read_line();
      if (line.rfind(tag + " ", 0) == 0) {
        std::string rest = line.substr(tag.size() + 1);
        auto sp = rest.find(' ');
        reply.status = rest.substr(0, sp);
        reply.text = sp == std::string::npos ? "" : rest.substr(sp + 1);
        return reply;
      }
      if (line.rfind("* ", 0) != 0) continue;  // continuation requests and noise
      Untagged u;
      // Lines ending in {N} (or {N+}) announce N bytes of literal, after which the response
      // goes on with another line.
      while (true) {
        auto n = literal_size(line);
        if (!n) {
          u.line += line;
          break;
        }
        u.line += line.substr(0, line.rfind('{')) + "{}";
        if (*n > o_.max_message_bytes) {
          discard(*n);
          u.literal_too_big = true;
          u.literals.emplace_back();
        } else {
          u.literals.push_back(read_bytes(*n));
        }
        line = read_line();
      }
      reply.untagged.push_back(std::move(u));
    }
  }

 private:
  static std::optional<size_t> literal_size(const std::string& line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    auto open = line.rfind('{');
    if (open == std::string::npos) return std::nullopt;
    std::string digits = line.substr(open + 1, line.size() - open - 2);
    if (!digits.empty() && digits.back() == '+') digits.pop_back();
    if (digits.empty() || digits.size() > 12 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    return static_cast<size_t>(std::stoull(digits));
  }

  void wait(short events) {
    while (true) {
      if (cancel_.load()) throw std::runtime_error("imap: cancelled");
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
      if (left <= 0) throw std::runtime_error("imap: timed out waiting for the server");
      pollfd p{static_cast<int>(sock_), events, 0};
      int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 200)));
      if (r > 0) return;
      if (r < 0 && errno != EINTR) throw std::runtime_error(std::string("imap: poll: ") + std::strerror(errno));
    }
  }

  void send_all(const std::string& data) {
    deadline_ = Clock::now() + std::chrono::milliseconds(o_.io_timeout_ms);
    size_t off = 0;
    while (off < data.size()) {
      size_t sent = 0;
      CURLcode rc = curl_easy_send(easy_, data.data() + off, data.size() - off, &sent);
      if (rc == CURLE_AGAIN) {
        wait(POLLOUT);
        continue;
      }
      if (rc != CURLE_OK) throw std::runtime_error(std::string("imap: send: ") + curl_easy_strerror(rc));
      off += sent;
    }
  }

  // More bytes into buf_ (TLS may hold decrypted bytes the socket no longer signals: try first).
  void fill() {
    char tmp[16384];
    while (true) {
      size_t got = 0;
      CURLcode rc = curl_easy_recv(easy_, tmp, sizeof tmp, &got);
      if (rc == CURLE_AGAIN) {
        wait(POLLIN);
        continue;
      }
      if (rc != CURLE_OK) throw std::runtime_error(std::string("imap: recv: ") + curl_easy_strerror(rc));
      if (got == 0) throw std::runtime_error("imap: the server closed the connection");
      buf_.append(tmp, got);
      return;
    }
  }

  std::string read_line() {
    while (true) {
      auto nl = buf_.find("\r\n", pos_);
      if (nl != std::string::npos) {
        std::string line = buf_.substr(pos_, nl - pos_);
        pos_ = nl + 2;
        compact();
        return line;
      }
      if (buf_.size() - pos_ > (1u << 20)) throw std::runtime_error("imap: reply line over 1 MiB");
      fill();
    }
  }

  std::string read_bytes(size_t n) {
    while (buf_.size() - pos_ < n) fill();
    std::string out = buf_.substr(pos_, n);
    pos_ += n;
    compact();
    return out;
  }

  void discard(size_t n) {
    while (n > 0) {
      if (buf_.size() == pos_) fill();
      size_t take = std::min(n, buf_.size() - pos_);
      pos_ += take;
      n -= take;
      compact();
    }
  }

  void compact() {
    if (pos_ > 65536 && pos_ * 2 > buf_.size()) {
      buf_.erase(0, pos_);
      pos_ = 0;
    }
  }

  const MailPollerOptions& o_;
  const std::atomic<bool>& cancel_;
  CURL* easy_ = nullptr;
  curl_socket_t sock_ = CURL_SOCKET_BAD;
  std::string buf_;
  size_t pos_ = 0;
  int seq_ = 0;
  Clock::time_point deadline_{};
};

std::string uidvalidity_of(const Reply& r) {
  for (const auto& u : r.untagged) {
    auto p = u.line.find("[UIDVALIDITY ");
    if (p == std::string::npos) continue;
    p += 13;
    auto e = u.line.find(']', p);
    return u.line.substr(p, e == std::string::npos ? std::string::npos : e - p);
  }
  return "";
}

const char* kind_name(app::MailIntakeResult::Kind k) {
  switch (k) {
    case app::MailIntakeResult::Kind::kCreated: return "created";
    case app::MailIntakeResult::Kind::kReplayed: return "replayed";
    case app::MailIntakeResult::Kind::kUnknownSender: return "unknown_sender";
    case app::MailIntakeResult::Kind::kRejected: return "rejected";
  }
  return "?";
}

}  // namespace

std::string check_mail_url(const std::string& url) {
  std::string why;
  if (!split_url(url, &why)) return why;
  return "";
}

std::string redact_mail_url(const std::string& url) {
  std::string why;
  auto p = split_url(url, &why);
  return p ? p->display : "(invalid URL)";
}

std::vector<std::int64_t> parse_search(const std::vector<std::string>& untagged) {
  std::vector<std::int64_t> out;
  for (const auto& line : untagged) {
    if (line.rfind("* SEARCH", 0) != 0) continue;
    size_t i = 8;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      size_t j = i;
      while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
      if (j > i && j - i < 12) out.push_back(std::stoll(line.substr(i, j - i)));
      if (j == i) break;  // "(MODSEQ …)" and the like end the list
      i = j;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string imap_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\r' || c == '\n') continue;
    out += c;
  }
  return out + "\"";
}

MailPoller::MailPoller(app::MailIntake& intake, MailPollerOptions options)
    : intake_(intake), options_(std::move(options)) {}

PollStats MailPoller::poll_once() {
  try {
    return poll_round();
  } catch (const std::exception&) {
    if (cancel_.load()) return {};  // shutting down: not a failure
    throw;
  }
}

PollStats MailPoller::poll_round() {
  PollStats stats;
  std::string why;
  auto url = split_url(options_.url, &why);
  if (!url) throw std::runtime_error("mail intake URL: " + why);
  Session s(options_, cancel_);
  s.connect(*url);
  Reply sel = s.command("SELECT " + imap_quote(url->mailbox));
  if (!sel.ok()) throw std::runtime_error("imap SELECT " + url->mailbox + ": " + sel.status + " " + sel.text);
  const std::string uidvalidity = uidvalidity_of(sel);
  Reply search = s.command("UID SEARCH UNSEEN");
  if (!search.ok()) throw std::runtime_error("imap UID SEARCH UNSEEN: " + search.status + " " + search.text);
  std::vector<std::string> lines;
  for (const auto& u : search.untagged) lines.push_back(u.line);
  auto uids = parse_search(lines);
  stats.seen = static_cast<int>(uids.size());

  auto warn_once = [&](std::int64_t uid, const std::string& message, nlohmann::json fields) {
    std::string key = uidvalidity + ":" + std::to_string(uid);
    {
      std::lock_guard lock(warned_mu_);
      if (!warned_.insert(key).second) return;
    }
    fields["uid"] = uid;
    fields["mailbox"] = url->display;
    log::warn(message, std::move(fields));
  };

  int handled = 0;
  for (std::int64_t uid : uids) {
    if (cancel_.load() || handled >= options_.max_per_round) break;
    ++handled;
    const std::string id = std::to_string(uid);
    Reply f = s.command("UID FETCH " + id + " (BODY.PEEK[])");
    if (!f.ok()) throw std::runtime_error("imap UID FETCH " + id + ": " + f.status + " " + f.text);
    const Untagged* msg = nullptr;
    for (const auto& u : f.untagged)
      if (u.line.find(" FETCH ") != std::string::npos && !u.literals.empty()) msg = &u;
    if (!msg) continue;  // expunged meanwhile
    if (msg->literal_too_big) {
      ++stats.left;
      warn_once(uid, "mail left unread: message too big", {{"max_bytes", options_.max_message_bytes}});
      continue;
    }
    app::MailIntakeResult r;
    try {
      r = intake_.handle(msg->literals.front());
    } catch (const std::exception& e) {
      // The database failed: the mail stays unseen and is tried again next round.
      ++stats.left;
      log::error("mail intake failed; mail left unread", {{"uid", uid}, {"error", e.what()}});
      continue;
    }
    if (!r.done()) {
      ++stats.left;
      auto m = app::mail::parse_message(msg->literals.front());
      warn_once(uid, "mail left unread: no request made",
                {{"reason", kind_name(r.kind)}, {"detail", r.detail}, {"from", m.from.email},
                 {"subject", m.subject}, {"message_id", m.message_id}});
      continue;
    }
    if (r.kind == app::MailIntakeResult::Kind::kCreated) {
      ++stats.created;
      log::info("request created from mail", {{"uid", uid}, {"ticket_id", r.ticket_id}, {"number", r.number},
                                              {"project_id", r.project_id}});
    } else {
      ++stats.replayed;
    }
    // Only now: the request exists, so the mail may leave the unseen set.
    Reply st = s.command("UID STORE " + id + " +FLAGS.SILENT (\\Seen)");
    if (!st.ok())
      log::warn("could not mark mail seen; it will be matched to its request again",
                {{"uid", uid}, {"status", st.status}, {"text", st.text}});
  }
  return stats;
}

}  // namespace aftersales::jobs
