#include "notify/signing.h"

#include <gtest/gtest.h>

namespace aftersales::notify {
namespace {

TEST(Signing, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signing, WebhookSignatureIsHexHmacOfTheBody) {
  EXPECT_EQ(webhook_signature("topsecret", R"({"a":1})"),
            "sha256=bf1e6501b7fa928ec2391fea9dd90af3c9ad1b7b1ef6ff319c25940cec746bf8");
}

TEST(Signing, DingTalkSignAsDocumented) {
  // base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), then URL-encoded.
  EXPECT_EQ(dingtalk_sign("SEC000test", 1700000000000), "1hLl2KkRX3rps9FaitIUwaac%2BCtAFEaP345jvdrTL7c%3D");
  EXPECT_EQ(dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", "SEC000test", 1700000000000),
            "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000&sign="
            "1hLl2KkRX3rps9FaitIUwaac%2BCtAFEaP345jvdrTL7c%3D");
  EXPECT_EQ(dingtalk_signed_url("http://h/x", "s", 1).find("http://h/x?timestamp=1&sign="), 0u);
}

TEST(Signing, Base64AndUrlEncoding) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(url_encode("a b/c+d~"), "a%20b%2Fc%2Bd~");
}

}  // namespace
}  // namespace aftersales::notify
