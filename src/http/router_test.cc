#include "http/router.h"

#include <gtest/gtest.h>

#include "http/api.h"
#include "http/pipeline.h"

namespace aftersales::http {
namespace {

Route route(std::string method, std::string pattern, std::string id) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.operation_id = std::move(id);
  r.summary = "s";
  r.handler = [](Request&) { return Response::no_content(); };
  return r;
}

TEST(Router, MatchesPathParametersAndPrefersLiterals) {
  Router router;
  router.add(route("GET", "/api/v1/users/{id}", "getUser"));
  router.add(route("GET", "/api/v1/users/me", "me"));
  std::map<std::string, std::string> params;
  const Route* r = router.match("GET", "/api/v1/users/42", &params, nullptr);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->operation_id, "getUser");
  EXPECT_EQ(params["id"], "42");
  r = router.match("GET", "/api/v1/users/me", &params, nullptr);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->operation_id, "me");
}

TEST(Router, ReportsAllowedMethodsAndRejectsEmptySegments) {
  Router router;
  router.add(route("GET", "/api/v1/customers", "list"));
  router.add(route("POST", "/api/v1/customers", "create"));
  std::vector<std::string> allowed;
  EXPECT_EQ(router.match("PUT", "/api/v1/customers", nullptr, &allowed), nullptr);
  EXPECT_EQ(allowed, (std::vector<std::string>{"GET", "POST"}));
  router.add(route("GET", "/api/v1/customers/{id}", "get"));
  EXPECT_EQ(router.match("GET", "/api/v1/customers/", nullptr, nullptr), nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/customers/1/extra", nullptr, nullptr), nullptr);
}

TEST(Router, RefusesDuplicateOperationIds) {
  Router router;
  router.add(route("GET", "/a", "x"));
  EXPECT_THROW(router.add(route("GET", "/b", "x")), std::logic_error);
}

TEST(ParseTarget, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(parse_target("/api/v1/customers?q=%E5%AE%A2%E6%88%B7+A&limit=5&flag", &path, &query));
  EXPECT_EQ(path, "/api/v1/customers");
  EXPECT_EQ(query["q"], "客户 A");
  EXPECT_EQ(query["limit"], "5");
  EXPECT_EQ(query["flag"], "");
}

TEST(ParseTarget, RejectsMalformedEncodingAndNul) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(parse_target("/a%zz", &path, &query));
  EXPECT_FALSE(parse_target("/a%2", &path, &query));
  EXPECT_FALSE(parse_target("/a%00b", &path, &query));
  EXPECT_FALSE(parse_target("relative", &path, &query));
  EXPECT_FALSE(parse_target("/a?q=%", &path, &query));
}

TEST(ExtractToken, BearerThenCookie) {
  Request req;
  req.headers["cookie"] = "theme=dark; as_session=ast_cookie; other=1";
  EXPECT_EQ(extract_token(req), "ast_cookie");
  req.headers["authorization"] = "Bearer ast_bearer";
  EXPECT_EQ(extract_token(req), "ast_bearer");
  req.headers["authorization"] = "Basic Zm9vOmJhcg==";
  EXPECT_EQ(extract_token(req), "ast_cookie");
}

TEST(Problem, MapsEveryErrorKindToItsStatus) {
  using K = app::Error::Kind;
  EXPECT_EQ(status_for(K::kValidation), 422);
  EXPECT_EQ(status_for(K::kBadRequest), 400);
  EXPECT_EQ(status_for(K::kUnauthenticated), 401);
  EXPECT_EQ(status_for(K::kForbidden), 403);
  EXPECT_EQ(status_for(K::kNotFound), 404);
  EXPECT_EQ(status_for(K::kConflict), 409);
  EXPECT_EQ(status_for(K::kPreconditionFailed), 412);
  EXPECT_EQ(status_for(K::kPreconditionRequired), 428);
  EXPECT_EQ(status_for(K::kThrottled), 429);
  Response r = problem(app::Error::Validation({{"name", "required", "is required"}}), "rid");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["errors"][0]["field"], "name");
  EXPECT_EQ(body["request_id"], "rid");
}

}  // namespace
}  // namespace aftersales::http
