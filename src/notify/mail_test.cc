#include "notify/mail.h"

#include <gtest/gtest.h>

#include "notify/signing.h"

namespace aftersales::notify {
namespace {

std::string decode_words(const std::string& header) {
  // Minimal RFC 2047 decoder for the test: concatenates the base64 payloads of each word.
  std::string out;
  size_t i = 0;
  while ((i = header.find("=?UTF-8?B?", i)) != std::string::npos) {
    size_t end = header.find("?=", i + 10);
    std::string b64 = header.substr(i + 10, end - i - 10);
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned buf = 0;
    int bits = 0;
    for (char c : b64) {
      if (c == '=') break;
      buf = (buf << 6) | static_cast<unsigned>(alphabet.find(c));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += static_cast<char>((buf >> bits) & 0xFF);
      }
    }
    i = end + 2;
  }
  return out;
}

TEST(Mail, AsciiHeaderStaysPlainUtf8IsEncoded) {
  EXPECT_EQ(encode_header_word("Hello world"), "Hello world");
  EXPECT_EQ(encode_header_word("【售后服务】已受理"), "=?UTF-8?B?44CQ5ZSu5ZCO5pyN5Yqh44CR5bey5Y+X55CG?=");
}

TEST(Mail, LongSubjectsFoldWithoutSplittingCharacters) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "报修";  // 240 bytes of 3-byte characters
  std::string h = encode_header_word(subject);
  size_t start = 0;
  int words = 0;
  while (start < h.size()) {
    size_t end = h.find("\r\n ", start);
    std::string word = h.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u);
    ++words;
    start = end == std::string::npos ? h.size() : end + 3;
  }
  EXPECT_GT(words, 1);
  EXPECT_EQ(decode_words(h), subject);
}

TEST(Mail, BuildsAnRfc5322MessageWithBase64Body) {
  MailMessage m;
  m.from = "service@example.com";
  m.from_name = "售后服务中心";
  m.to = {"li.lei@example.com"};
  m.subject = "受理 SR-1";
  m.body = "第一行\n第二行";
  m.date_ms = 1700000000000;
  m.message_id = "outbox-1.2.3@example.com";
  std::string text = build_mail(m);
  EXPECT_NE(text.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("From: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find(" <service@example.com>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: <li.lei@example.com>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <outbox-1.2.3@example.com>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n" + base64("第一行\r\n第二行") + "\r\n"),
            std::string::npos);
  auto subject_at = text.find("Subject: ");
  EXPECT_EQ(decode_words(text.substr(subject_at, text.find("\r\nMessage-ID") - subject_at)), "受理 SR-1");
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') ASSERT_EQ(text[i - 1], '\r') << "bare LF at " << i;
}

TEST(Mail, PlausibleAddresses) {
  EXPECT_TRUE(plausible_email("a@b.cn"));
  EXPECT_TRUE(plausible_email("ops@localhost"));
  EXPECT_FALSE(plausible_email("a@b.cn>\r\nRCPT TO:<x@y.z"));
  EXPECT_FALSE(plausible_email("no-at.example.com"));
  EXPECT_FALSE(plausible_email("a@@b.cn"));
}

}  // namespace
}  // namespace aftersales::notify
