#include "notify/delivery.h"

#include <gtest/gtest.h>

#include "notify/signing.h"

namespace aftersales::notify {
namespace {

using json = nlohmann::json;

Channel channel(std::int64_t id, std::string kind, json config, std::vector<std::string> events = {}) {
  Channel c;
  c.id = id;
  c.name = kind + std::to_string(id);
  c.kind = std::move(kind);
  c.config = std::move(config);
  c.events = std::move(events);
  return c;
}

OutboxItem item(std::string event) {
  OutboxItem m;
  m.id = 42;
  m.event = std::move(event);
  m.ticket_id = 7;
  m.created_at = 1700000000000;
  m.params = {{"number", "SR-42"}, {"title", "<b>漏水</b> *急*"}, {"survey_url", "/survey/abc"}};
  return m;
}

TEST(Delivery, SubscriptionsMatchExactlyOrByPrefix) {
  Channel c = channel(1, "webhook", json::object(), {"ticket.created", "complaint.*"});
  EXPECT_TRUE(c.subscribes("ticket.created"));
  EXPECT_TRUE(c.subscribes("complaint.created"));
  EXPECT_FALSE(c.subscribes("ticket.closed"));
  EXPECT_TRUE(channel(2, "wecom", json::object()).subscribes("anything.at_all"));
}

TEST(Delivery, FanOutPerChannelAndRecipientWithCustomerMailOnTheFirstEmailChannel) {
  std::vector<Channel> channels = {
      channel(1, "email", {{"recipients", {"ops@example.com"}}, {"recipient_roles", {"service_manager"}}},
              {"ticket.sla_warning"}),
      channel(2, "email", {{"recipients", {"second@example.com"}}}),
      channel(3, "webhook", json::object()),
      channel(4, "dingtalk", json::object(), {"ticket.closed"}),
  };
  std::map<std::string, std::vector<std::string>> roles = {{"service_manager", {"mgr@example.com", "ops@example.com"}}};
  OutboxItem m = item("ticket.created");
  m.to_emails = {"customer@example.com", "not an address", "customer@example.com"};
  auto plan = plan_deliveries(m, channels, roles);
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const auto& p : plan) got.emplace_back(p.channel_id, p.recipient);
  // Channel 1 does not subscribe to ticket.created but carries the customer's mail.
  EXPECT_EQ(got, (std::vector<std::pair<std::int64_t, std::string>>{
                     {2, "second@example.com"}, {3, ""}, {1, "customer@example.com"}}));

  auto sla = plan_deliveries(item("ticket.sla_warning"), channels, roles);
  ASSERT_EQ(sla.size(), 4u);  // ops once (fixed and by role), mgr, second, webhook
  EXPECT_EQ(sla[0].recipient, "ops@example.com");
  EXPECT_EQ(sla[1].recipient, "mgr@example.com");
  EXPECT_TRUE(plan_deliveries(item("x.y"), {}, roles).empty());
}

TEST(Delivery, WebhookRequestIsSignedJson) {
  Channel c = channel(3, "webhook", {{"url", "http://127.0.0.1:9/hook"}});
  c.secret = "s3cret";
  DeliveryContext ctx;
  ctx.public_url = "https://fw.example.com/";
  HttpRequest r = build_http(item("ticket.survey"), c, ctx, 1700000000123);
  json body = json::parse(r.body);
  EXPECT_EQ(body["id"], 42);
  EXPECT_EQ(body["event"], "ticket.survey");
  EXPECT_EQ(body["ticket_id"], 7);
  EXPECT_EQ(body["timestamp"], 1700000000);
  EXPECT_EQ(body["params"]["survey_url"], "https://fw.example.com/survey/abc");
  EXPECT_NE(body["text"].get<std::string>().find("https://fw.example.com/survey/abc"), std::string::npos);
  std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
  EXPECT_EQ(h["X-Aftersales-Signature"], webhook_signature("s3cret", r.body));
  EXPECT_EQ(h["X-Aftersales-Timestamp"], "1700000000");
  EXPECT_EQ(h["X-Aftersales-Event"], "ticket.survey");
  EXPECT_EQ(r.url, "http://127.0.0.1:9/hook");
}

TEST(Delivery, RobotPayloadShapes) {
  DeliveryContext ctx;
  json wecom = robot_payload(item("ticket.created"), channel(1, "wecom", json::object()), ctx);
  EXPECT_EQ(wecom["msgtype"], "markdown");
  std::string content = wecom["markdown"]["content"];
  EXPECT_EQ(content.find("**【售后服务】已受理您的报修 SR-42**"), 0u) << content;
  EXPECT_EQ(content.find("<b>"), std::string::npos);
  EXPECT_NE(content.find("\\*急\\*"), std::string::npos);

  json text = robot_payload(item("ticket.created"), channel(1, "wecom", {{"format", "text"}}), ctx);
  EXPECT_EQ(text["msgtype"], "text");
  EXPECT_NE(text["text"]["content"].get<std::string>().find("<b>漏水</b> *急*"), std::string::npos);

  json ding = robot_payload(item("ticket.created"), channel(2, "dingtalk", json::object()), ctx);
  EXPECT_EQ(ding["msgtype"], "markdown");
  EXPECT_EQ(ding["markdown"]["title"], "【售后服务】已受理您的报修 SR-42");
  EXPECT_EQ(ding["markdown"]["text"].get<std::string>().find("#### 【售后服务】"), 0u);

  Channel signed_ding = channel(2, "dingtalk", {{"url", "http://127.0.0.1:9/robot/send?access_token=t"}});
  signed_ding.secret = "SEC1";
  HttpRequest r = build_http(item("ticket.created"), signed_ding, ctx, 1700000000000);
  EXPECT_EQ(r.url, "http://127.0.0.1:9/robot/send?access_token=t&timestamp=1700000000000&sign=" +
                       dingtalk_sign("SEC1", 1700000000000));
}

TEST(Delivery, EmailUsesTheChannelSenderAndTheMessageLocale) {
  Channel c = channel(5, "email", {{"from", "service@example.com"}, {"from_name", "售后"}});
  OutboxItem m = item("ticket.created");
  m.locale = "en-US";
  MailMessage mail = build_email(m, c, "x@example.com", DeliveryContext{}, 1700000000000);
  EXPECT_EQ(mail.from, "service@example.com");
  EXPECT_EQ(mail.to, std::vector<std::string>{"x@example.com"});
  EXPECT_EQ(mail.subject, "[After-sales] We have received your request SR-42");
  EXPECT_NE(mail.body.find("Issue: <b>漏水</b> *急*"), std::string::npos);  // text/plain: shown, not interpreted
  EXPECT_EQ(mail.message_id, "outbox-42.5.1700000000000@example.com");
}

TEST(Delivery, PayloadDecodingToleratesMissingKeys) {
  OutboxItem m;
  decode_payload(R"({"params":{"number":"SR-1"}})", m);
  EXPECT_EQ(m.locale, "zh-CN");
  EXPECT_EQ(m.params["number"], "SR-1");
  decode_payload("not json", m);
  EXPECT_TRUE(m.to_emails.empty());
}

}  // namespace
}  // namespace aftersales::notify
