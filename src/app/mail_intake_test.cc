#include "app/mail_intake.h"

#include <gtest/gtest.h>

#include "jobs/mail_poller.h"

namespace aftersales::app {
namespace {

using mail::parse_message;

std::string crlf(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST(MailDecode, EncodedWordsUtf8BandQ) {
  EXPECT_EQ(mail::decode_header("=?UTF-8?B?5rWL6K+V?="), "测试");
  EXPECT_EQ(mail::decode_header("=?utf-8?q?=E7=A9=BA=E8=B0=83_=E6=BC=8F=E6=B0=B4?="), "空调 漏水");
  EXPECT_EQ(mail::decode_header("Re: =?UTF-8?B?5rWL6K+V?= done"), "Re: 测试 done");
  // White space between adjacent encoded-words disappears; a character split across words is whole.
  EXPECT_EQ(mail::decode_header("=?UTF-8?B?5rWL?= =?UTF-8?B?6K+V?="), "测试");
  EXPECT_EQ(mail::decode_header("=?UTF-8?Q?a?=   =?UTF-8?Q?b?="), "ab");
  // Plain text passes through; something that only looks like a word stays.
  EXPECT_EQ(mail::decode_header("Hello world"), "Hello world");
  EXPECT_EQ(mail::decode_header("=?broken"), "=?broken");
  // RFC 2231 language suffix in the charset.
  EXPECT_EQ(mail::decode_header("=?UTF-8*zh?B?5rWL6K+V?="), "测试");
}

TEST(MailDecode, EncodedWordsGb2312AndGbk) {
  // "机房空调" in GB2312, base64 and Q.
  EXPECT_EQ(mail::decode_header("=?GB2312?B?u/q3v7/Vtfc=?="), "机房空调");
  EXPECT_EQ(mail::decode_header("=?gbk?Q?=BB=FA=B7=BF?="), "机房");
  // Undeclared raw GBK bytes in a header read as Chinese, not as garbage.
  EXPECT_EQ(mail::decode_header("\xBB\xFA\xB7\xBF"), "机房");
}

TEST(MailDecode, QuotedPrintable) {
  EXPECT_EQ(mail::decode_quoted_printable("caf=C3=A9 =\r\nau lait"), "café au lait");
  EXPECT_EQ(mail::decode_quoted_printable("a=3Db=\nc"), "a=bc");
  EXPECT_EQ(mail::decode_quoted_printable("soft break with spaces=  \r\nend"), "soft break with spacesend");
  EXPECT_EQ(mail::decode_quoted_printable("stray = sign"), "stray = sign");
}

TEST(MailDecode, Base64) {
  EXPECT_EQ(mail::decode_base64("aGVsbG8gd29y\r\nbGQ="), "hello world");
  EXPECT_EQ(mail::decode_base64("5rWL6K+V"), "测试");
  EXPECT_EQ(mail::decode_base64(""), "");
}

TEST(MailDecode, Charsets) {
  EXPECT_EQ(mail::to_utf8("caf\xE9", "iso-8859-1"), "café");
  EXPECT_EQ(mail::to_utf8("\xBB\xFA\xB7\xBF", "gb2312"), "机房");
  EXPECT_EQ(mail::to_utf8("plain", "no-such-charset"), "plain");
  // Invalid bytes never get through as invalid UTF-8.
  std::string bad = mail::to_utf8("ok \xFF\xFE", "utf-8");
  EXPECT_EQ(bad.substr(0, 3), "ok ");
  EXPECT_EQ(nlohmann::json(bad).dump().empty(), false);  // would throw on invalid UTF-8
}

TEST(MailDecode, HtmlToText) {
  EXPECT_EQ(mail::html_to_text("<html><head><title>x</title><style>p{color:red}</style></head>"
                               "<body><p>第一段&nbsp;text</p><p>A &amp; B &lt;ok&gt; &#26426;&#x623F;</p>"
                               "<script>alert(1)</script>line<br>next</body></html>"),
            "第一段 text\n\nA & B <ok> 机房\nline\nnext");
  EXPECT_EQ(mail::html_to_text("<div>one</div>\n<div>two</div><!-- hidden -->"), "one\ntwo");
}

TEST(MailDecode, Addresses) {
  auto a = mail::parse_address("=?UTF-8?B?5byg5LiJ?= <Zhang.San@Example.com>");
  EXPECT_EQ(a.name, "张三");
  EXPECT_EQ(a.email, "Zhang.San@Example.com");
  a = mail::parse_address("\"Li, Si\" <li@example.com>");
  EXPECT_EQ(a.name, "Li, Si");
  EXPECT_EQ(a.email, "li@example.com");
  a = mail::parse_address("wang@example.com (王五)");
  EXPECT_EQ(a.name, "王五");
  EXPECT_EQ(a.email, "wang@example.com");
  a = mail::parse_address("zhao@example.com");
  EXPECT_EQ(a.name, "");
  EXPECT_EQ(a.email, "zhao@example.com");
  a = mail::parse_address("a@example.com, b@example.com");
  EXPECT_EQ(a.email, "a@example.com");
}

TEST(MailDecode, Dates) {
  // 2024-01-01T02:00:00Z
  EXPECT_EQ(mail::parse_date("Mon, 1 Jan 2024 10:00:00 +0800"), 1704074400000LL);
  EXPECT_EQ(mail::parse_date("1 Jan 2024 02:00:00 GMT"), 1704074400000LL);
  EXPECT_EQ(mail::parse_date("Mon, 01 Jan 2024 10:00 +0800 (CST)"), 1704074400000LL - 0);
  EXPECT_EQ(mail::parse_date("Sun, 31 Dec 2023 21:00:00 -0500"), 1704074400000LL);
  EXPECT_FALSE(mail::parse_date("yesterday"));
  EXPECT_FALSE(mail::parse_date("31 Feb 2024 10:00:00 +0000"));
}

TEST(MailDecode, Truncate) {
  EXPECT_EQ(mail::truncate_utf8("abc", 3, "…"), "abc");
  EXPECT_EQ(mail::truncate_utf8("机房空调漏水", 4, "…"), "机房空…");
  EXPECT_EQ(mail::truncate_utf8("abcdef", 5, "(x)"), "ab(x)");
}

TEST(MailParse, SimplePlainMessage) {
  auto m = parse_message(crlf(
      "From: =?UTF-8?B?5byg5LiJ?= <zhang@example.com>\n"
      "To: service@example.com\n"
      "Subject: =?UTF-8?B?5py65oi/56m66LCD5ryP5rC0?=\n"
      "Date: Mon, 1 Jan 2024 10:00:00 +0800\n"
      "Message-ID: <abc.123@mail.example.com>\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 8bit\n"
      "\n"
      "3号机房空调漏水，\n请尽快处理。\n"));
  EXPECT_EQ(m.subject, "机房空调漏水");
  EXPECT_EQ(m.from.name, "张三");
  EXPECT_EQ(m.from.email, "zhang@example.com");
  EXPECT_EQ(m.date, 1704074400000LL);
  EXPECT_EQ(m.message_id, "abc.123@mail.example.com");
  EXPECT_EQ(m.text, "3号机房空调漏水，\n请尽快处理。");
  EXPECT_FALSE(m.text_from_html);
}

TEST(MailParse, FoldedHeadersAndMissingHeaders) {
  auto m = parse_message("Subject: a long\n subject line\n\nbody");
  EXPECT_EQ(m.subject, "a long subject line");
  EXPECT_EQ(m.from.email, "");
  EXPECT_FALSE(m.date);
  EXPECT_EQ(m.message_id, "");
  EXPECT_EQ(m.text, "body");
  // No headers at all, no body at all: nothing breaks.
  EXPECT_EQ(parse_message("").text, "");
  EXPECT_EQ(parse_message("just text").text, "just text");
  EXPECT_EQ(parse_message("Subject: only headers\n").subject, "only headers");
}

TEST(MailParse, MultipartAlternativePrefersPlainText) {
  auto m = parse_message(crlf(
      "From: li@example.com\n"
      "Subject: =?utf-8?Q?=E5=B9=95=E5=A2=99?=\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"b1\"\n"
      "\n"
      "preamble\n"
      "--b1\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<p>HTML version</p>\n"
      "--b1\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "=E5=B9=95=E5=A2=99=E6=BC=8F=E6=B0=B4 plain=\n"
      " version\n"
      "--b1--\n"
      "epilogue\n"));
  EXPECT_EQ(m.subject, "幕墙");
  EXPECT_EQ(m.text, "幕墙漏水 plain version");
  EXPECT_FALSE(m.text_from_html);
}

TEST(MailParse, HtmlOnlyFallsBackToStrippedHtml) {
  auto m = parse_message(crlf(
      "From: li@example.com\n"
      "Content-Type: multipart/alternative; boundary=xyz\n"
      "\n"
      "--xyz\n"
      "Content-Type: text/html; charset=gb2312\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "PHA+u/q3v7/VtfejrLfnu/q3orP2vOLP7KGjPC9wPg==\n"
      "--xyz--\n"));
  EXPECT_TRUE(m.text_from_html);
  EXPECT_EQ(m.text, "机房空调，风机发出尖响。");
}

TEST(MailParse, MultipartMixedWithAttachmentAndNestedAlternative) {
  auto m = parse_message(crlf(
      "From: \"Wang\" <wang@example.com>\n"
      "Subject: photo attached\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n"
      "\n"
      "--outer\n"
      "Content-Type: multipart/alternative; boundary=\"inner\"\n"
      "\n"
      "--inner\n"
      "Content-Type: text/plain; charset=\"UTF-8\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "5rWL6K+V5q2j5paH\n"
      "--inner\n"
      "Content-Type: text/html; charset=\"UTF-8\"\n"
      "\n"
      "<b>ignored</b>\n"
      "--inner--\n"
      "--outer\n"
      "Content-Type: image/png; name=\"=?UTF-8?B?54Wn54mHLnBuZw==?=\"\n"
      "Content-Disposition: attachment; filename=\"=?UTF-8?B?54Wn54mHLnBuZw==?=\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "iVBORw0KGgo=\n"
      "--outer\n"
      "Content-Type: text/plain; name=notes.txt\n"
      "Content-Disposition: attachment; filename=notes.txt\n"
      "\n"
      "not the body\n"
      "--outer--\n"));
  EXPECT_EQ(m.text, "测试正文");
  ASSERT_EQ(m.attachment_names.size(), 2u);
  EXPECT_EQ(m.attachment_names[0], "照片.png");
  EXPECT_EQ(m.attachment_names[1], "notes.txt");
}

TEST(MailParse, SinglePartBase64AndLatin1) {
  auto m = parse_message(
      "Subject: =?iso-8859-1?Q?caf=E9?=\n"
      "Content-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "caf=E9 cr=E8me\n");
  EXPECT_EQ(m.subject, "café");
  EXPECT_EQ(m.text, "café crème");
}

TEST(MailParse, ControlCharactersAndBlankLinesAreTidied) {
  auto m = parse_message("Subject: a\tb\n\nline 1  \r\n\r\n\r\n\r\nline\x01 2\x7f\n");
  EXPECT_EQ(m.subject, "a b");
  EXPECT_EQ(m.text, "line 1\n\nline 2");
}

TEST(MailProject, ChoosesTaggedNamedOnlyOrLatest) {
  std::vector<ProjectCandidate> ps = {{1, "张江数据中心", 100}, {2, "张江数据中心二期", 200}, {3, "Pudong Tower", 50}};
  auto c = choose_project(ps, "[项目: 张江数据中心] 空调漏水", "");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->project_id, 1);
  EXPECT_TRUE(c->certain);
  c = choose_project(ps, "漏水", "【项目：3】");
  EXPECT_EQ(c->project_id, 3);
  c = choose_project(ps, "[Project: pudong tower] leak", "");
  EXPECT_EQ(c->project_id, 3);
  // The longest name found in the text wins.
  c = choose_project(ps, "张江数据中心二期 空调故障", "");
  EXPECT_EQ(c->project_id, 2);
  c = choose_project(ps, "leak", "at pudong tower, floor 3");
  EXPECT_EQ(c->project_id, 3);
  // Nothing named: the most recent, uncertain.
  c = choose_project(ps, "leak", "water everywhere");
  EXPECT_EQ(c->project_id, 2);
  EXPECT_FALSE(c->certain);
  // Only one project: certain.
  c = choose_project({{7, "Only", 1}}, "leak", "");
  EXPECT_EQ(c->project_id, 7);
  EXPECT_TRUE(c->certain);
  EXPECT_FALSE(choose_project({}, "x", "y"));
}

TEST(MailRequest, BodyFromMessage) {
  mail::Message m;
  m.subject = std::string(300, 'x');
  m.text = std::string(5000, 'y');
  m.from = {"张三", "zhang@example.com"};
  const Millis now = 1704074400000LL;
  m.date = now - 40LL * 86400 * 1000;  // too old: clamped
  auto b = MailIntake::request_body(m, 5, "", "张三", "138 0000 0000", now);
  EXPECT_EQ(b["project_id"], 5);
  EXPECT_EQ(b["channel"], "email");
  EXPECT_EQ(b["title"].get<std::string>().size(), 199u + 3u);  // 199 x and "…"
  std::string d = b["description"];
  EXPECT_EQ(d.size(), 4000u);
  EXPECT_EQ(d.substr(d.size() - 12), "\n(truncated)");
  EXPECT_EQ(b["contact_name"], "张三");
  EXPECT_EQ(b["contact_email"], "zhang@example.com");
  EXPECT_EQ(b["contact_phone"], "138 0000 0000");
  Millis at = 0;
  ASSERT_TRUE(parse_iso8601(b["reported_at"], &at));
  EXPECT_GT(at, now - 30LL * 86400 * 1000);
  EXPECT_LT(at, now - 29LL * 86400 * 1000);
  m.date = now + 3600 * 1000;  // in the future: now
  b = MailIntake::request_body(m, 5, "note", "", "", now);
  EXPECT_EQ(b["reported_at"], format_iso8601(now));
  EXPECT_EQ(b["description"].get<std::string>().rfind("note\n\n", 0), 0u);
  EXPECT_FALSE(b.contains("contact_phone"));
  // No subject and no text.
  mail::Message empty;
  b = MailIntake::request_body(empty, 5, "", "", "", now);
  EXPECT_FALSE(b["title"].get<std::string>().empty());
  EXPECT_FALSE(b["description"].get<std::string>().empty());
  EXPECT_FALSE(b.contains("reported_at"));
  EXPECT_FALSE(b.contains("contact_email"));
}

TEST(MailRequest, IdempotencyKey) {
  mail::Message m;
  m.message_id = "abc@example.com";
  EXPECT_EQ(MailIntake::idempotency_key(m, "raw"), "mail:abc@example.com");
  m.message_id = "";
  EXPECT_EQ(MailIntake::idempotency_key(m, "raw"), MailIntake::idempotency_key(m, "raw"));
  EXPECT_NE(MailIntake::idempotency_key(m, "raw"), MailIntake::idempotency_key(m, "raw2"));
  m.message_id = "含中文@example.com";
  EXPECT_EQ(MailIntake::idempotency_key(m, "raw").rfind("mail:sha256:", 0), 0u);
}

TEST(MailPoller, ImapHelpers) {
  EXPECT_EQ(jobs::parse_search({"* SEARCH 3 1 2", "* OK whatever"}), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(jobs::parse_search({"* SEARCH"}).empty());
  EXPECT_EQ(jobs::imap_quote("INBOX"), "\"INBOX\"");
  EXPECT_EQ(jobs::imap_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(jobs::check_mail_url("imap://u:p@127.0.0.1:143/INBOX"), "");
  EXPECT_EQ(jobs::check_mail_url("imaps://mail.example.com/Service"), "");
  EXPECT_NE(jobs::check_mail_url("http://example.com/"), "");
  EXPECT_NE(jobs::check_mail_url("not a url"), "");
  EXPECT_EQ(jobs::redact_mail_url("imap://user:secret@127.0.0.1:1143/INBOX"), "imap://127.0.0.1:1143/INBOX");
  EXPECT_EQ(jobs::redact_mail_url("imaps://user:secret@mail.example.com"), "imaps://mail.example.com/INBOX");
}

}  // namespace
}  // namespace aftersales::app
