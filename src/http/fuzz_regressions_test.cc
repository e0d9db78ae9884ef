// Inputs that once broke the request pipeline (found by fuzz/http_request_fuzzer, kept in
// fuzz/regressions/http_request/), replayed in the regular build: each raw request goes through
// Beast's parser with the server's limits, parse_target, Pipeline::before_body and finish, on the
// real route table over a database that is down.
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/asio.h"
#include "http/api.h"
#include "http/pipeline.h"
#include "http/server.h"

namespace aftersales::http {
namespace {

namespace bhttp = boost::beast::http;

// Every statement fails as it does when PostgreSQL is unreachable.
class DownDatabase final : public store::Database {
 public:
  store::Dialect dialect() const override { return store::Dialect::kSqlite; }
  store::PooledConnection acquire() override {
    throw store::DbError(store::DbError::Kind::kConnection, "the database is down");
  }
  void release(std::unique_ptr<store::Connection>) override {}
  store::PoolStats stats() const override { return {}; }
  void backup_to(const std::string&) override {}
  std::string url_for_display() const override { return "down://"; }
};

struct Fixture {
  DownDatabase db;
  SystemClock clock;
  app::AuthService auth{db, clock};
  Metrics metrics;
  ApiContext ctx{db, auth, clock, metrics, false, 3600 * 1000, [] { return true; }, "/nonexistent"};
  Router router;
  StaticFiles files{"/nonexistent"};
  Fixture() { register_api(router, ctx); }
};

Fixture& fixture() {
  static Fixture* f = new Fixture;
  return *f;
}

// Runs one raw request the way the server's session does until the body would be read.
// Returns the response the client gets, or nullopt when the server would just close.
std::optional<Response> replay(const std::string& raw, Metrics& metrics) {
  ServerLimits limits;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.max_body_limit);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
  if (ec || !parser.is_header_done()) return std::nullopt;
  const auto& msg = parser.get();
  Request req;
  req.method = std::string(msg.method_string());
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(f.value());
  }
  req.request_id = "replay";
  Pipeline pipeline(fixture().router, metrics, fixture().auth, fixture().files);
  pipeline.set_access_log(false);
  Response res;
  if (!parse_target(std::string(msg.target()), &req.path, &req.query)) {
    res = problem_status(400, "Bad request", "bad target", req.request_id);
  } else {
    std::optional<Response> early;
    EXPECT_NO_THROW(early = pipeline.before_body(req)) << req.method << " " << req.path;
    if (!early) return std::nullopt;  // would read the body next
    res = *early;
  }
  pipeline.finish(req, res, 0.001);
  return res;
}

std::vector<std::filesystem::path> regression_files() {
  auto dir = std::filesystem::path(__FILE__).parent_path() / "../../fuzz/regressions/http_request";
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.push_back(e.path());
  return out;
}

TEST(FuzzRegressions, HttpRequestsReplayWithoutExceptionsOr500s) {
  auto files = regression_files();
  if (files.empty()) GTEST_SKIP() << "no fuzz/regressions/http_request beside the sources";
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    Metrics metrics;
    auto res = replay(ss.str(), metrics);
    if (res) {
      EXPECT_NE(res->status, 500) << f;
    }
    // Only standard methods (or OTHER) become metrics labels.
    std::istringstream lines(metrics.render());
    for (std::string line; std::getline(lines, line);) {
      auto at = line.find("method=\"");
      if (at == std::string::npos) continue;
      std::string m = line.substr(at + 8, line.find('"', at + 8) - at - 8);
      EXPECT_TRUE(m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" ||
                  m == "OPTIONS" || m == "OTHER")
          << f << ": " << line;
    }
  }
}

TEST(FuzzRegressions, TokenLookupWithTheDatabaseDownIs503) {
  Metrics metrics;
  auto res = replay("GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ast_abc\r\n\r\n", metrics);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

TEST(FuzzRegressions, UnknownMethodsShareOneMetricsLabel) {
  Metrics metrics;
  replay("NGET /s HTTP/1.0\r\n\r\n", metrics);
  replay("BREW /api/v1/tickets HTTP/1.1\r\nHost: x\r\n\r\n", metrics);
  std::string text = metrics.render();
  EXPECT_EQ(text.find("NGET"), std::string::npos);
  EXPECT_EQ(text.find("BREW"), std::string::npos);
  EXPECT_NE(text.find("method=\"OTHER\""), std::string::npos);
}

}  // namespace
}  // namespace aftersales::http
