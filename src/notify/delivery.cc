#include "notify/delivery.h"

#include <set>

#include "notify/signing.h"
#include "notify/templates.h"

namespace aftersales::notify {

using json = nlohmann::json;

void decode_payload(const std::string& payload_json, OutboxItem& item) {
  json p = json::parse(payload_json, nullptr, false);
  if (!p.is_object()) return;
  if (p.contains("locale") && p["locale"].is_string()) item.locale = p["locale"].get<std::string>();
  if (p.contains("params") && p["params"].is_object()) item.params = p["params"];
  if (p.contains("to_emails") && p["to_emails"].is_array())
    for (const auto& e : p["to_emails"])
      if (e.is_string()) item.to_emails.push_back(e.get<std::string>());
}

std::vector<PlannedDelivery> plan_deliveries(const OutboxItem& item, const std::vector<Channel>& enabled,
                                             const std::map<std::string, std::vector<std::string>>& role_emails) {
  std::vector<PlannedDelivery> out;
  std::set<std::pair<std::int64_t, std::string>> seen;
  auto add = [&](const Channel& ch, const std::string& recipient) {
    if (seen.insert({ch.id, recipient}).second) out.push_back({ch.id, ch.name, ch.kind, recipient});
  };
  const Channel* first_email = nullptr;
  for (const auto& ch : enabled) {
    if (!ch.enabled) continue;
    if (ch.kind == "email" && !first_email) first_email = &ch;
    if (!ch.subscribes(item.event)) continue;
    if (ch.kind != "email") {
      add(ch, "");
      continue;
    }
    if (ch.config.contains("recipients") && ch.config["recipients"].is_array())
      for (const auto& r : ch.config["recipients"])
        if (r.is_string()) add(ch, r.get<std::string>());
    if (ch.config.contains("recipient_roles") && ch.config["recipient_roles"].is_array())
      for (const auto& role : ch.config["recipient_roles"]) {
        if (!role.is_string()) continue;
        auto it = role_emails.find(role.get<std::string>());
        if (it != role_emails.end())
          for (const auto& a : it->second) add(ch, a);
      }
  }
  if (first_email)
    for (const auto& a : item.to_emails)
      if (plausible_email(a)) add(*first_email, a);
  return out;
}

json effective_params(const OutboxItem& item, const DeliveryContext& ctx) {
  json p = item.params.is_object() ? item.params : json::object();
  if (!ctx.public_url.empty() && p.contains("survey_url") && p["survey_url"].is_string()) {
    std::string u = p["survey_url"].get<std::string>();
    if (!u.empty() && u[0] == '/') {
      std::string base = ctx.public_url;
      while (!base.empty() && base.back() == '/') base.pop_back();
      p["survey_url"] = base + u;
    }
  }
  return p;
}

namespace {
std::string cfg(const Channel& ch, const char* key) {
  return ch.config.contains(key) && ch.config[key].is_string() ? ch.config[key].get<std::string>() : "";
}
}  // namespace

MailMessage build_email(const OutboxItem& item, const Channel& ch, const std::string& recipient,
                        const DeliveryContext& ctx, Millis now) {
  Rendered r = render(item.event, item.locale, effective_params(item, ctx), Format::kText, ctx.time_zone);
  MailMessage m;
  m.from = cfg(ch, "from");
  m.from_name = cfg(ch, "from_name");
  m.to = {recipient};
  m.subject = r.subject;
  m.body = r.body;
  m.date_ms = now;
  std::string domain = m.from.substr(m.from.find('@') + 1);
  m.message_id = "outbox-" + std::to_string(item.id) + "." + std::to_string(ch.id) + "." + std::to_string(now) +
                 "@" + domain;
  return m;
}

std::string webhook_body(const OutboxItem& item, const DeliveryContext& ctx, Millis now) {
  json params = effective_params(item, ctx);
  Rendered r = render(item.event, item.locale, params, Format::kText, ctx.time_zone);
  json body = {{"id", item.id},
               {"event", item.event},
               {"created_at", format_iso8601(item.created_at)},
               {"timestamp", now / 1000},
               {"ticket_id", item.ticket_id ? json(*item.ticket_id) : json(nullptr)},
               {"customer_id", item.customer_id ? json(*item.customer_id) : json(nullptr)},
               {"locale", item.locale},
               {"params", params},
               {"subject", r.subject},
               {"text", r.body}};
  // error_handler_t::replace: a stray invalid UTF-8 byte in a param must not make the message
  // undeliverable forever.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

json robot_payload(const OutboxItem& item, const Channel& ch, const DeliveryContext& ctx) {
  json params = effective_params(item, ctx);
  bool text = cfg(ch, "format") == "text";
  if (text) {
    Rendered r = render(item.event, item.locale, params, Format::kText, ctx.time_zone);
    return {{"msgtype", "text"}, {"text", {{"content", r.subject + "\n" + r.body}}}};
  }
  Rendered r = render(item.event, item.locale, params, Format::kMarkdown, ctx.time_zone);
  // Markdown needs blank lines for line breaks to survive in both robots' renderers.
  std::string md;
  for (char c : r.body) md += c == '\n' ? std::string("  \n") : std::string(1, c);
  if (ch.kind == "dingtalk")
    return {{"msgtype", "markdown"}, {"markdown", {{"title", r.subject}, {"text", "#### " + r.subject + "\n\n" + md}}}};
  return {{"msgtype", "markdown"}, {"markdown", {{"content", "**" + r.subject + "**\n\n" + md}}}};
}

HttpRequest build_http(const OutboxItem& item, const Channel& ch, const DeliveryContext& ctx, Millis now) {
  HttpRequest req;
  req.url = cfg(ch, "url");
  if (ch.kind == "webhook") {
    req.body = webhook_body(item, ctx, now);
    req.headers = {{"X-Aftersales-Event", item.event},
                   {"X-Aftersales-Delivery", std::to_string(item.id)},
                   {"X-Aftersales-Timestamp", std::to_string(now / 1000)},
                   {"X-Aftersales-Signature", webhook_signature(ch.secret, req.body)}};
    return req;
  }
  req.body = robot_payload(item, ch, ctx).dump(-1, ' ', false, json::error_handler_t::replace);
  if (ch.kind == "dingtalk" && !ch.secret.empty()) req.url = dingtalk_signed_url(req.url, ch.secret, now);
  return req;
}

SendResult deliver(const OutboxItem& item, const Channel& ch, const std::string& recipient,
                   const DeliveryContext& ctx, Millis now) {
  if (ch.kind == "email") {
    SmtpRequest s;
    s.url = cfg(ch, "smtp_url");
    s.username = cfg(ch, "username");
    s.password = ch.secret;
    s.starttls = ch.config.contains("starttls") && ch.config["starttls"].is_boolean() && ch.config["starttls"].get<bool>();
    s.from = cfg(ch, "from");
    s.recipients = {recipient};
    s.message = build_mail(build_email(item, ch, recipient, ctx, now));
    return send_smtp(s, ctx.transport);
  }
  SendResult res = post_json(build_http(item, ch, ctx, now), ctx.transport);
  if (res.ok && ch.kind != "webhook") {
    // Robots answer 200 with {"errcode": N, "errmsg": ...}; only 0 means delivered.
    json answer = json::parse(res.body, nullptr, false);
    if (answer.is_object() && answer.contains("errcode") && answer["errcode"] != 0) {
      res.ok = false;
      res.error = ch.kind + ": errcode " + answer["errcode"].dump() + " " +
                  (answer.contains("errmsg") ? answer["errmsg"].dump() : "");
    }
  }
  return res;
}

}  // namespace aftersales::notify
