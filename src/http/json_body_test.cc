// Reading request bodies: every malformed body is a 400 naming the body, never an exception.
#include "http/json_body.h"

#include <gtest/gtest.h>

namespace aftersales::http {
namespace {

Request with_body(std::string body, std::string type = "application/json") {
  Request r;
  r.method = "POST";
  r.headers["content-type"] = std::move(type);
  r.body = std::move(body);
  return r;
}

std::string rule_of(const app::Outcome<nlohmann::json>& out) {
  if (out.ok()) return "ok";
  const auto& e = out.error();
  return std::to_string(status_for(e.kind())) + " " + (e.errors().empty() ? "" : e.errors()[0].field + ":" + e.errors()[0].rule);
}

TEST(ParseJsonObject, NumbersBeyondADoubleAreABadBodyNotAnError) {
  EXPECT_EQ(rule_of(parse_json_object(with_body(R"({"latitude": 1e400})"))), "400 body:json");
  EXPECT_EQ(rule_of(parse_json_object(with_body(R"({"a": [-1e999]})"))), "400 body:json");
  // Integers beyond 64 bits are parsed as doubles: the fields' own checks judge them.
  EXPECT_EQ(rule_of(parse_json_object(with_body(R"({"a": 18446744073709551616})"))), "ok");
}

TEST(ParseJsonObject, MalformedBodiesNameTheBody) {
  EXPECT_EQ(rule_of(parse_json_object(with_body("{\"a\": "))), "400 body:json");
  EXPECT_EQ(rule_of(parse_json_object(with_body(std::string("{\"a\":\"\xff\"}")))), "400 body:json");
  EXPECT_EQ(rule_of(parse_json_object(with_body(R"({"a":"\ud800"})"))), "400 body:json");
  EXPECT_EQ(rule_of(parse_json_object(with_body(std::string(100000, '[')))), "400 body:max_depth");
  EXPECT_EQ(rule_of(parse_json_object(with_body("[1]"))), "400 body:type");
  EXPECT_EQ(rule_of(parse_json_object(with_body(""))), "400 body:required");
  EXPECT_EQ(rule_of(parse_json_object(with_body("{}", "text/plain"))), "400 content-type:media_type");
  EXPECT_EQ(rule_of(parse_json_object(with_body(R"({"a": 1})"))), "ok");
}

}  // namespace
}  // namespace aftersales::http
