#include "notify/templates.h"

#include <date/tz.h>

#include <array>
#include <map>

#include "common/clock.h"

namespace aftersales::notify {
namespace {

struct Text {
  const char* subject;
  const char* body;
};
struct Template {
  Text zh, en;
};

// One row per event the use cases raise. Keep both languages saying the same thing.
const std::map<std::string_view, Template>& table() {
  static const std::map<std::string_view, Template> t = {
      {"ticket.created",
       {{"【售后服务】已受理您的报修 {{number}}",
         "{{customer_name}}，您好：\n\n我们已受理您的报修，受理单号 {{number}}。\n"
         "项目：{{project_name}}\n问题：{{title}}\n处理时限：{{due_at}}\n\n"
         "请保留单号以便查询进度。"},
        {"[After-sales] We have received your request {{number}}",
         "Dear {{customer_name}},\n\nWe have received your service request, number {{number}}.\n"
         "Project: {{project_name}}\nIssue: {{title}}\nDue by: {{due_at}}\n\n"
         "Please keep the number to follow its progress."}}},
      {"ticket.technician_dispatched",
       {{"【售后服务】{{number}} 已派工",
         "{{customer_name}}，您好：\n\n您的报修 {{number}}（{{title}}）已派给维修人员 {{technician}}，"
         "预计到场时间 {{due_at}}。"},
        {"[After-sales] {{number}}: technician assigned",
         "Dear {{customer_name}},\n\nYour request {{number}} ({{title}}) has been assigned to "
         "{{technician}}, expected on site by {{due_at}}."}}},
      {"ticket.technician_arrived",
       {{"【售后服务】{{number}} 维修人员已到场",
         "{{customer_name}}，您好：\n\n维修人员 {{technician}} 已于 {{arrived_at}} 到达 "
         "{{project_name}} 现场处理报修 {{number}}（{{title}}）。"},
        {"[After-sales] {{number}}: technician on site",
         "Dear {{customer_name}},\n\n{{technician}} arrived at {{project_name}} at {{arrived_at}} "
         "to handle request {{number}} ({{title}})."}}},
      {"ticket.plan_to_confirm",
       {{"【售后服务】{{number}} 维修方案待您确认",
         "{{customer_name}}，您好：\n\n报修 {{number}}（{{title}}）的维修方案已制定，请确认后我们即安排施工。"},
        {"[After-sales] {{number}}: repair plan awaiting your confirmation",
         "Dear {{customer_name}},\n\nThe repair plan for request {{number}} ({{title}}) is ready. "
         "Please confirm it so that we can schedule the work."}}},
      {"ticket.acceptance_to_sign",
       {{"【售后服务】{{number}} 待您验收签字",
         "{{customer_name}}，您好：\n\n报修 {{number}}（{{title}}）的维修已完成，请验收并签字确认。"},
        {"[After-sales] {{number}}: please accept and sign",
         "Dear {{customer_name}},\n\nThe repair for request {{number}} ({{title}}) is complete. "
         "Please inspect it and sign the acceptance."}}},
      {"ticket.survey",
       {{"【售后服务】{{number}} 满意度调查",
         "{{customer_name}}，您好：\n\n感谢您的耐心。请花一分钟评价本次服务（{{number}}）：\n{{survey_url}}"},
        {"[After-sales] {{number}}: how did we do?",
         "Dear {{customer_name}},\n\nThank you for your patience. Please take a minute to rate our "
         "service on request {{number}}:\n{{survey_url}}"}}},
      {"ticket.sla_warning",
       {{"【SLA预警】{{number}} 已用时 {{percent}}%",
         "报修 {{number}}（{{title}}，{{project_name}}）的{{milestone}}时限将至：已用 {{percent}}%，"
         "截止 {{due_at}}。"},
        {"[SLA warning] {{number}} at {{percent}}%",
         "Request {{number}} ({{title}}, {{project_name}}): {{percent}}% of the {{milestone}} time "
         "is used; due by {{due_at}}."}}},
      {"ticket.sla_escalation",
       {{"【SLA升级】{{number}} {{milestone}}已超时",
         "报修 {{number}}（{{title}}，{{project_name}}）的{{milestone}}时限已于 {{due_at}} 到期，"
         "已升级处理（{{percent}}%）。"},
        {"[SLA escalation] {{number}}: {{milestone}} overdue",
         "Request {{number}} ({{title}}, {{project_name}}) passed its {{milestone}} deadline of "
         "{{due_at}} and has been escalated ({{percent}}%)."}}},
      {"ticket.resolved",
       {{"【售后服务】{{number}} 已处理完成",
         "{{customer_name}}，您好：\n\n报修 {{number}}（{{title}}）已处理完成。"},
        {"[After-sales] {{number}} resolved",
         "Dear {{customer_name}},\n\nRequest {{number}} ({{title}}) has been resolved."}}},
      {"ticket.closed",
       {{"【售后服务】{{number}} 已关闭",
         "{{customer_name}}，您好：\n\n报修 {{number}}（{{title}}）已关闭。感谢您的支持。"},
        {"[After-sales] {{number}} closed",
         "Dear {{customer_name}},\n\nRequest {{number}} ({{title}}) is closed. Thank you."}}},
      {"complaint.created",
       {{"【投诉】{{number}} 新投诉",
         "收到客户 {{customer_name}} 关于 {{project_name}} 的投诉 {{number}}：{{title}}\n处理时限：{{due_at}}"},
        {"[Complaint] {{number}} received",
         "Complaint {{number}} from {{customer_name}} about {{project_name}}: {{title}}\n"
         "Due by: {{due_at}}"}}},
  };
  return t;
}

const Template kGeneric = {
    {"【售后服务】{{number}} 通知：{{event}}", "{{title}}\n事件：{{event}}\n单号：{{number}}"},
    {"[After-sales] {{number}} notice: {{event}}", "{{title}}\nEvent: {{event}}\nNumber: {{number}}"}};

std::string scalar_text(const nlohmann::json& v, std::string_view time_zone) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    Millis ms = 0;
    // A full timestamp reads better as local wall time; dates and other text stay as given.
    if (s.size() >= 20 && s[10] == 'T' && parse_iso8601(s, &ms)) {
      try {
        auto tp = std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms));
        auto local = date::make_zoned(date::locate_zone(std::string(time_zone)),
                                      std::chrono::time_point_cast<std::chrono::minutes>(tp));
        return date::format("%Y-%m-%d %H:%M", local);
      } catch (const std::exception&) {
        return s;
      }
    }
    return s;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return "";  // objects and arrays have no sensible one-line form
}

std::string escape(std::string_view s, Format format) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t') continue;  // control characters never belong in a message
    if (u == 0x7f) continue;
    if (format == Format::kMarkdown && std::string_view("\\`*_[]()<>#!|~").find(c) != std::string_view::npos) {
      if (c == '<') { out += "&lt;"; continue; }   // WeCom/DingTalk read <font> and HTML tags
      if (c == '>') { out += "&gt;"; continue; }
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

}  // namespace

bool has_template(std::string_view event) { return table().count(event) > 0; }

std::string substitute(std::string_view text, const nlohmann::json& params, Format format,
                       std::string_view time_zone) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    auto open = text.find("{{", i);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    std::string name(text.substr(open + 2, close - open - 2));
    if (params.is_object() && params.contains(name))
      out += escape(scalar_text(params[name], time_zone), format);
    i = close + 2;
  }
  out.append(text.substr(i));
  return out;
}

Rendered render(std::string_view event, std::string_view locale, const nlohmann::json& params,
                Format format, std::string_view time_zone) {
  auto it = table().find(event);
  const Template& t = it != table().end() ? it->second : kGeneric;
  const Text& text = locale.substr(0, 2) == "en" ? t.en : t.zh;
  nlohmann::json p = params.is_object() ? params : nlohmann::json::object();
  if (!p.contains("event")) p["event"] = std::string(event);
  Rendered r;
  // Subjects are one header line whatever the params hold.
  r.subject = one_line(substitute(text.subject, p, format, time_zone));
  r.body = substitute(text.body, p, format, time_zone);
  return r;
}

}  // namespace aftersales::notify
