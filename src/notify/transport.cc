#include "notify/transport.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace aftersales::notify {
namespace {

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t read_cb(char* buf, size_t size, size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t len = std::min(size * n, up->data->size() - up->offset);
  std::memcpy(buf, up->data->data() + up->offset, len);
  up->offset += len;
  return len;
}

size_t write_cb(char* data, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  size_t len = size * n;
  if (out->size() < 4096) out->append(data, std::min(len, 4096 - out->size()));
  return len;
}

int progress_cb(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load() ? 1 : 0;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

Easy make_easy(const std::string& url, const TransportOptions& o, char* errbuf) {
  Easy e(curl_easy_init(), &curl_easy_cleanup);
  if (!e) return e;
  CURL* c = e.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o.connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.total_timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, o.cancel);
  // Only the protocols a channel may use: a URL cannot make us read files or talk gopher.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,smtp,smtps");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  return e;
}

std::string describe(CURLcode rc, const char* errbuf) {
  std::string msg = curl_easy_strerror(rc);
  if (errbuf[0]) msg += std::string(": ") + errbuf;
  return msg;
}

}  // namespace

void init_transport() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendResult send_smtp(const SmtpRequest& r, const TransportOptions& o) {
  init_transport();
  SendResult res;
  char errbuf[CURL_ERROR_SIZE] = {0};
  Easy e = make_easy(r.url, o, errbuf);
  if (!e) return {false, 0, "", "curl_easy_init failed"};
  CURL* c = e.get();
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + r.from + ">").c_str());
  curl_slist* rcpts = nullptr;
  for (const auto& to : r.recipients) rcpts = curl_slist_append(rcpts, ("<" + to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpts, &curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
  if (!r.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, r.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, r.password.c_str());
  }
  if (r.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  Upload up{&r.message};
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.message.size()));
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    res.error = "smtp: " + describe(rc, errbuf) + (code ? " (reply " + std::to_string(code) + ")" : "");
    return res;
  }
  res.ok = true;
  return res;
}

SendResult post_json(const HttpRequest& r, const TransportOptions& o) {
  init_transport();
  SendResult res;
  char errbuf[CURL_ERROR_SIZE] = {0};
  Easy e = make_easy(r.url, o, errbuf);
  if (!e) return {false, 0, "", "curl_easy_init failed"};
  CURL* c = e.get();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
  headers = curl_slist_append(headers, "User-Agent: aftersales-notify/1");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  for (const auto& [k, v] : r.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers, &curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    res.error = "http: " + describe(rc, errbuf);
    return res;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
  res.ok = res.status >= 200 && res.status < 300;
  if (!res.ok) res.error = "http: status " + std::to_string(res.status) + ": " + res.body.substr(0, 200);
  return res;
}

}  // namespace aftersales::notify
