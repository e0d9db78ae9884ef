#include "common/json_writer.h"

#include <gtest/gtest.h>

#include <random>

namespace aftersales {
namespace {

using json = nlohmann::json;

std::string as_nlohmann(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonWriter, WritesStringsAsNlohmannDoes) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("引号\"与反斜杠\\"), std::string("/ and \x7f"),
                        std::string("tab\tnew\nline\rback\bfeed\f"), std::string("\0nul", 4), std::string("\x01\x1f\x1e"),
                        std::string("空调漏水，吊顶渗水 😀 €"), std::string("\xF4\x8F\xBF\xBF"), std::string("\xEF\xBF\xBD")})
    EXPECT_EQ(written(s), as_nlohmann(s)) << s;
  // Every code point, from random well-formed UTF-8 text.
  std::mt19937 rng(11);
  std::uniform_int_distribution<std::uint32_t> cp(0, 0x10FFFF);
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    for (int k = 0; k < 12; ++k) {
      std::uint32_t c = cp(rng) >> (rng() % 21);  // small code points as often as large ones
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      if (c < 0x80) s += static_cast<char>(c);
      else if (c < 0x800) s += {static_cast<char>(0xC0 | c >> 6), static_cast<char>(0x80 | (c & 0x3F))};
      else if (c < 0x10000)
        s += {static_cast<char>(0xE0 | c >> 12), static_cast<char>(0x80 | (c >> 6 & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
      else
        s += {static_cast<char>(0xF0 | c >> 18), static_cast<char>(0x80 | (c >> 12 & 0x3F)),
              static_cast<char>(0x80 | (c >> 6 & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    }
    ASSERT_EQ(written(s), as_nlohmann(s));
  }
}

TEST(JsonWriter, ReplacesEveryByteOfMalformedUtf8) {
  // Overlong, surrogate, above U+10FFFF, truncated, a lone continuation byte, a bare lead byte.
  for (std::string bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8", "a\x80z", "\xFF"}) {
    const std::string out = written(bad);
    ASSERT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;
    const json back = json::parse(out);  // valid JSON, valid UTF-8
    EXPECT_TRUE(back.is_string());
    EXPECT_EQ(written(back.get<std::string>()), out);  // and stable once replaced
  }
  EXPECT_EQ(written("a\x80z"), "\"a\xEF\xBF\xBDz\"");
  EXPECT_EQ(written("\xE4\xB8\xAD\xE4\xB8"), "\"\xE4\xB8\xAD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // 中, then a cut-off one
}

TEST(JsonWriter, WritesNumbersAsNlohmannDoes) {
  for (double d : {0.0, -0.0, 1.0, 31.2, 121.5, 0.1, 1e-5, 1e20, 1.5e300, -2.25, 123456789.125, 0.3333333333333333})
    EXPECT_EQ(JsonWriter().value(d).text(), as_nlohmann(d)) << d;
  EXPECT_EQ(JsonWriter().value(std::nan("")).text(), "null");
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{7200}, INT64_MAX, INT64_MIN})
    EXPECT_EQ(JsonWriter().value(n).text(), as_nlohmann(n));
}

TEST(JsonWriter, NestsWithCommasOnlyBetweenItems) {
  JsonWriter w;
  w.begin_object();
  w.field("id", 7).field("name", "门").field("ok", true).key("none").null();
  w.key("list").begin_array().value(1).begin_object().end_object().begin_array().end_array().value("x").end_array();
  w.key("empty").begin_object().end_object();
  w.field("tree", json{{"b", 1}, {"a", {1, 2}}});
  w.field("maybe", std::optional<std::int64_t>()).field("some", std::optional<std::string>("s"));
  w.end_object();
  const json back = json::parse(w.text());
  EXPECT_EQ(back, (json{{"id", 7}, {"name", "门"}, {"ok", true}, {"none", nullptr},
                        {"list", {1, json::object(), json::array(), "x"}}, {"empty", json::object()},
                        {"tree", {{"a", {1, 2}}, {"b", 1}}}, {"maybe", nullptr}, {"some", "s"}}));
  EXPECT_TRUE(w.text().starts_with(R"({"id":7,"name":"门","ok":true,"none":null,"list":[1,{},[],"x"],)")) << w.text();
  EXPECT_EQ(JsonWriter().begin_array().end_array().text(), "[]");
}

}  // namespace
}  // namespace aftersales
