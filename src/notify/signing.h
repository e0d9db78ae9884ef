// Signatures for outbound HTTP: our own webhook signature and DingTalk's robot "sign".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace aftersales::notify {

// HMAC-SHA256 of `data` under `key` (any length), raw 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hex(std::string_view bytes);
std::string base64(std::string_view bytes);  // standard alphabet, padded
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view s);

// The X-Aftersales-Signature header value for a webhook body: "sha256=" + hex HMAC of the body.
// The body carries the timestamp too, so a captured request cannot be replayed as new.
std::string webhook_signature(std::string_view secret, std::string_view body);

// DingTalk's robot signature: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), URL-encoded,
// and the robot URL with &timestamp=...&sign=... appended.
std::string dingtalk_sign(std::string_view secret, std::int64_t timestamp_ms);
std::string dingtalk_signed_url(std::string_view url, std::string_view secret, std::int64_t timestamp_ms);

}  // namespace aftersales::notify
