#include "notify/templates.h"

#include <gtest/gtest.h>

namespace aftersales::notify {
namespace {

using json = nlohmann::json;

TEST(Templates, RendersChineseAndEnglishWithParams) {
  json p = {{"number", "SR-2026-0042"}, {"customer_name", "华东置业"}, {"title", "幕墙渗水"},
            {"project_name", "滨江中心"}, {"due_at", "2026-03-01T02:30:00.000Z"}};
  Rendered zh = render("ticket.created", "zh-CN", p);
  EXPECT_EQ(zh.subject, "【售后服务】已受理您的报修 SR-2026-0042");
  EXPECT_NE(zh.body.find("华东置业，您好"), std::string::npos);
  EXPECT_NE(zh.body.find("处理时限：2026-03-01 10:30"), std::string::npos) << "UTC shown in Asia/Shanghai";
  Rendered en = render("ticket.created", "en-US", p);
  EXPECT_EQ(en.subject, "[After-sales] We have received your request SR-2026-0042");
  EXPECT_NE(en.body.find("Due by: 2026-03-01 10:30"), std::string::npos);
}

TEST(Templates, EveryKnownEventHasBothLanguages) {
  for (const char* e : {"ticket.created", "ticket.technician_dispatched", "ticket.technician_arrived",
                        "ticket.plan_to_confirm", "ticket.acceptance_to_sign", "ticket.survey", "ticket.sla_warning",
                        "ticket.sla_escalation", "ticket.resolved", "ticket.closed", "complaint.created"}) {
    EXPECT_TRUE(has_template(e)) << e;
    EXPECT_FALSE(render(e, "zh-CN", json::object()).subject.empty()) << e;
    EXPECT_FALSE(render(e, "en-US", json::object()).body.empty()) << e;
  }
}

TEST(Templates, MissingParamsRenderEmptyAndUnknownEventsGeneric) {
  Rendered r = render("ticket.survey", "en-US", json::object());
  EXPECT_EQ(r.subject, "[After-sales] : how did we do?");
  EXPECT_EQ(r.body.find("{{"), std::string::npos);
  Rendered g = render("ticket.reopened_by_mars", "zh-CN", {{"number", "SR-1"}, {"title", "x"}});
  EXPECT_FALSE(has_template("ticket.reopened_by_mars"));
  EXPECT_NE(g.subject.find("SR-1"), std::string::npos);
  EXPECT_NE(g.body.find("ticket.reopened_by_mars"), std::string::npos);
}

TEST(Templates, NumbersAndOddValues) {
  Rendered r = render("ticket.sla_warning", "en-US", {{"number", "SR-9"}, {"percent", 80}, {"milestone", json::array()}});
  EXPECT_EQ(r.subject, "[SLA warning] SR-9 at 80%");
  EXPECT_NE(r.body.find("of the  time"), std::string::npos) << r.body;  // arrays render empty
}

TEST(Templates, SubjectCannotInjectHeadersAndControlCharactersVanish) {
  Rendered r = render("ticket.created", "en-US", {{"number", "SR-1\r\nBcc: victim@example.com"}, {"title", "a\x01" "b"}});
  EXPECT_EQ(r.subject.find('\n'), std::string::npos);
  EXPECT_EQ(r.subject.find('\r'), std::string::npos);
  EXPECT_NE(r.body.find("Issue: ab"), std::string::npos);
}

TEST(Templates, MarkdownEscapesMarkupFromParams) {
  std::string out = substitute("问题：{{title}}", {{"title", "<font color=\"warning\">[点我](http://x)</font> *急*"}},
                               Format::kMarkdown, "Asia/Shanghai");
  EXPECT_EQ(out.find("<font"), std::string::npos);
  EXPECT_NE(out.find("&lt;font"), std::string::npos);
  EXPECT_NE(out.find("\\[点我\\]\\(http://x\\)"), std::string::npos) << out;
  EXPECT_NE(out.find("\\*急\\*"), std::string::npos);
  // Plain text leaves them alone: e-mail is text/plain, nothing is interpreted.
  EXPECT_EQ(substitute("{{t}}", {{"t", "<b>x</b>"}}, Format::kText, "UTC"), "<b>x</b>");
}

}  // namespace
}  // namespace aftersales::notify
