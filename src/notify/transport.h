// Network I/O for deliveries, over libcurl: SMTP submission and HTTP POST of JSON. Blocking,
// with timeouts, and abortable through `cancel` so a shutting-down worker stops promptly.
// Never called inside a database transaction.
#pragma once
#include <atomic>
#include <string>
#include <utility>
#include <vector>

namespace aftersales::notify {

struct SendResult {
  bool ok = false;
  long status = 0;      // HTTP status (0 for SMTP or when no response came)
  std::string body;     // response body (HTTP), first 4 KiB
  std::string error;    // why it failed, for last_error
};

struct SmtpRequest {
  std::string url;                  // smtp://host:port or smtps://host:port
  std::string username, password;   // optional AUTH
  bool starttls = false;            // require STARTTLS on smtp://
  std::string from;
  std::vector<std::string> recipients;
  std::string message;              // full RFC 5322 text
};

struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                 // JSON
};

struct TransportOptions {
  long connect_timeout_ms = 5000;
  long total_timeout_ms = 15000;
  const std::atomic<bool>* cancel = nullptr;  // aborts the transfer when it becomes true
};

// Call once at start-up, before threads (curl_global_init is not thread-safe).
void init_transport();

SendResult send_smtp(const SmtpRequest& request, const TransportOptions& options);
// ok when the status is 2xx.
SendResult post_json(const HttpRequest& request, const TransportOptions& options);

}  // namespace aftersales::notify
