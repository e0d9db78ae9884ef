// RFC 5322 messages for the SMTP channel: UTF-8 subject as RFC 2047 encoded-words, UTF-8 text
// body in base64 (safe through any relay, lines of 76).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aftersales::notify {

struct MailMessage {
  std::string from;                 // address only: service@example.com
  std::string from_name;            // display name, may be UTF-8
  std::vector<std::string> to;
  std::string subject;              // UTF-8
  std::string body;                 // UTF-8 plain text, '\n' line ends
  std::int64_t date_ms = 0;         // Date header
  std::string message_id;           // without <>, e.g. "outbox-12.3@aftersales"
};

// The full message with CRLF line ends, ready for CURLOPT_READFUNCTION.
std::string build_mail(const MailMessage& m);

// "=?UTF-8?B?...?=" words of at most 75 characters, split on UTF-8 character boundaries and
// joined by CRLF + space (header folding); plain ASCII without specials is returned as is.
std::string encode_header_word(std::string_view text);

// A bare address check good enough to refuse obvious mistakes and header injection.
bool plausible_email(std::string_view address);

}  // namespace aftersales::notify
