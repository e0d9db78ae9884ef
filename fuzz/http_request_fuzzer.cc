// Raw bytes off the socket → the steps http/server.cc takes with them:
//   Beast's request_parser with the server's limits (16 KiB of headers, body limit set from the
//   route once the header is in) → parse_target → Pipeline::before_body (routing with the real
//   route table, 404/405, authentication) → the body → the route's handler as an authenticated
//   admin (list queries, path ids, bodies; the database stub stops each at its first statement)
//   or the static files → Pipeline::finish (headers, metrics).
// Findings: crashes and sanitizer reports; an exception escaping before_body (it runs on an I/O
// thread, outside any try: the process would die); a 500 (an exception the handler did not
// expect); a static file served from outside the web root; a metrics label taken verbatim from
// the request method (unbounded series).
#include <boost/beast/http.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/asio.h"
#include "fuzz_support.h"
#include "http/pipeline.h"
#include "http/server.h"
#include "http/static_files.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace aftersales;

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "FINDING: %s\n", what.c_str());
  std::abort();
}

// Feeds `in` to the parser until the header (or the whole message) is done, as async_read_header
// / async_read would with all of `in` arriving at once and then the peer closing.
void feed(bhttp::request_parser<bhttp::string_body>& p, std::string_view& in, bool header_only,
          beast::error_code& ec) {
  while (!(header_only ? p.is_header_done() : p.is_done())) {
    std::size_t n = p.put(asio::buffer(in.data(), in.size()), ec);
    in.remove_prefix(n);
    if (ec == bhttp::error::need_more) {
      ec = {};
      if (!in.empty() && n > 0) continue;
      // Nothing more will come. Beast's read ops report end_of_stream before any byte, else
      // tell the parser about the end (put_eof asserts that some bytes were seen).
      if (!p.got_some()) {
        ec = bhttp::error::end_of_stream;
        return;
      }
      p.put_eof(ec);
      if (!ec && !(header_only ? p.is_header_done() : p.is_done())) ec = bhttp::error::partial_message;
      return;
    }
    if (ec) return;
    if (n == 0 && in.empty() && !(header_only ? p.is_header_done() : p.is_done())) {
      if (!p.got_some()) {
        ec = bhttp::error::end_of_stream;
        return;
      }
      p.put_eof(ec);
      if (!ec) ec = bhttp::error::partial_message;
      return;
    }
  }
}

bool standard_method(const std::string& m) {
  for (const char* k : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"})
    if (m == k) return true;
  return false;
}

void check_response(const fuzz::Api& a, const http::Request& req, const http::Response& res) {
  if (res.status < 100 || res.status > 599) finding("status out of range: " + std::to_string(res.status));
  if (res.status == 500) finding("500 for " + req.method + " " + req.path);
  if (res.status == 200 && res.body.find("SECRET-OUTSIDE-THE-WEB-ROOT") != std::string::npos)
    finding("a file outside the web root was served for " + req.path);
  for (const auto& [k, v] : res.headers)
    if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos)
      finding("header injection in " + k);
}

// Pipeline::finish as the server calls it, then the checks on what was sent and recorded.
void finish(const fuzz::Api& a, http::Pipeline& pipeline, const http::Metrics& metrics, const http::Request& req,
            http::Response& res) {
  pipeline.finish(req, res, 0.001);
  check_response(a, req, res);
  if (!standard_method(req.method) && metrics.render().find("method=\"" + req.method + "\"") != std::string::npos)
    finding("metrics label taken from the request method '" + req.method + "' (unbounded series)");
}

void run(std::string_view input) {
  fuzz::Api& a = fuzz::api();
  static const http::StaticFiles files(a.web_dir);
  const http::ServerLimits limits;
  http::Metrics metrics;  // fresh per input, so its labels show what this request added
  http::Pipeline pipeline(a.router, metrics, a.auth, files);
  pipeline.set_access_log(false);

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.max_body_limit);
  beast::error_code ec;
  feed(parser, input, true, ec);
  if (ec) return;  // the server answers 400/413/431 or closes; nothing of ours ran

  const auto& msg = parser.get();
  http::Request req;
  req.method = std::string(msg.method_string());
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(f.value());
  }
  req.request_id = "fuzz";
  req.client_ip = "127.0.0.1";
  http::Response res;
  if (!http::parse_target(std::string(msg.target()), &req.path, &req.query)) {
    res = http::problem_status(400, "Bad request", "The request target is not a valid URL path", req.request_id);
    return finish(a, pipeline, metrics, req, res);
  }
  // The server calls before_body on an I/O thread outside any try block: whatever it throws
  // would end the process, so no exception may leave it.
  std::optional<http::Response> early;
  try {
    early = pipeline.before_body(req);
  } catch (const std::exception& e) {
    finding(std::string("exception escaped Pipeline::before_body: ") + e.what());
  }
  const http::Route* route = http::is_routed_path(req.path)
                                 ? a.router.match(req.method, req.path, &req.params, nullptr)
                                 : nullptr;
  if (early) {
    finish(a, pipeline, metrics, req, *early);
    // Go on as if the caller had been authenticated as an admin, to reach the handler.
    if (!route || (early->status != 401 && early->status != 503)) return;
    req.body_limit = route->body_limit;
  }
  if (route && route->authenticated && !req.actor) req.actor = fuzz::admin_actor();

  std::size_t body_limit = std::min(req.body_limit > 0 ? req.body_limit : limits.body_limit, limits.max_body_limit);
  if (auto length = parser.content_length(); length && *length > body_limit) return;  // 413
  parser.body_limit(body_limit);
  feed(parser, input, false, ec);
  if (ec) return;  // 400/413 or a closed connection
  req.body = parser.get().body();

  // Uploads store the file before the database is reached; the attachment harness covers them.
  if (route && route->operation_id == "uploadAttachment") return;
  res = pipeline.handle(req);
  if (res.status == 500 && route) {  // run it again unguarded to name the exception
    try {
      route->handler(req);
    } catch (const std::exception& e) {
      finding("500 for " + req.method + " " + req.path + ": " + e.what());
    }
  }
  finish(a, pipeline, metrics, req, res);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::quiet_logs();
  fuzz::api();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
