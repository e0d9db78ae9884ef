#include "notify/mail.h"

#include <date/date.h>

#include <chrono>

#include "notify/signing.h"

namespace aftersales::notify {
namespace {

bool needs_encoding(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20 || c == '=' || c == '?' || c == '"') return true;
  return false;
}

std::string rfc5322_date(std::int64_t ms) {
  auto tp = std::chrono::sys_seconds(std::chrono::seconds(ms / 1000));
  return date::format("%a, %d %b %Y %H:%M:%S +0000", tp);
}

}  // namespace

std::string encode_header_word(std::string_view text) {
  if (!needs_encoding(text)) return std::string(text);
  // 75 - len("=?UTF-8?B?") - len("?=") = 63 base64 characters → at most 45 raw bytes per word.
  constexpr size_t kMaxRaw = 45;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + kMaxRaw);
    // Never cut a multi-byte character: back up to the start of one.
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

bool plausible_email(std::string_view a) {
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.size() > 254) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : a)
    if (c <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == 0x7f) return false;
  return a.find('.', at) != std::string_view::npos || a.substr(at + 1) == "localhost";
}

std::string build_mail(const MailMessage& m) {
  std::string h;
  h += "Date: " + rfc5322_date(m.date_ms) + "\r\n";
  h += "From: " + (m.from_name.empty() ? "" : encode_header_word(m.from_name) + " ") + "<" + m.from + ">\r\n";
  std::string to;
  for (const auto& a : m.to) to += (to.empty() ? "" : ", ") + std::string("<") + a + ">";
  h += "To: " + to + "\r\n";
  h += "Subject: " + encode_header_word(m.subject) + "\r\n";
  if (!m.message_id.empty()) h += "Message-ID: <" + m.message_id + ">\r\n";
  h += "MIME-Version: 1.0\r\n";
  h += "Content-Type: text/plain; charset=UTF-8\r\n";
  h += "Content-Transfer-Encoding: base64\r\n";
  h += "Auto-Submitted: auto-generated\r\n";  // RFC 3834: auto-responders should not answer
  h += "\r\n";
  std::string body;
  for (char c : m.body) {
    if (c == '\n') body += "\r\n";  // canonical line ends inside the encoded text (RFC 2046)
    else if (c != '\r') body += c;
  }
  std::string b64 = base64(body);
  for (size_t i = 0; i < b64.size(); i += 76) h += b64.substr(i, 76) + "\r\n";
  return h;
}

}  // namespace aftersales::notify
