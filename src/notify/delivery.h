// One delivery: a message of the outbox sent through one channel to one recipient. Building the
// request (e-mail, signed webhook JSON, WeCom/DingTalk robot JSON) is separate from sending it,
// so the shapes are unit-tested without a network.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "notify/channels.h"
#include "notify/mail.h"
#include "notify/transport.h"

namespace aftersales::notify {

// A row of the outbox, decoded.
struct OutboxItem {
  std::int64_t id = 0;
  std::string event;
  std::optional<std::int64_t> ticket_id, customer_id;
  Millis created_at = 0;
  std::string locale = "zh-CN";
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> to_emails;
};

// Decodes payload_json ({locale, params, to_emails}) into `item`; tolerant of missing keys.
void decode_payload(const std::string& payload_json, OutboxItem& item);

// Who gets one message: one entry per (channel, recipient). Recipient "" for webhooks/robots.
struct PlannedDelivery {
  std::int64_t channel_id = 0;
  std::string channel_name, kind, recipient;
};

// The fan-out: every enabled channel subscribed to the event (e-mail channels once per fixed
// recipient and per user of the listed roles), plus the message's own to_emails through the
// first enabled e-mail channel whatever it subscribes to — a customer's mail is not optional.
// `role_emails` maps a role to its users' addresses.
std::vector<PlannedDelivery> plan_deliveries(const OutboxItem& item, const std::vector<Channel>& enabled,
                                             const std::map<std::string, std::vector<std::string>>& role_emails);

struct DeliveryContext {
  std::string time_zone = "Asia/Shanghai";
  std::string public_url;  // makes a relative survey_url absolute
  TransportOptions transport;
};

// Params as the templates see them (links made absolute).
nlohmann::json effective_params(const OutboxItem& item, const DeliveryContext& ctx);

MailMessage build_email(const OutboxItem& item, const Channel& ch, const std::string& recipient,
                        const DeliveryContext& ctx, Millis now);
// The webhook body: event, ids, params, the rendered text and the timestamp (also sent as
// X-Aftersales-Timestamp) that the signature covers.
std::string webhook_body(const OutboxItem& item, const DeliveryContext& ctx, Millis now);
// A WeCom or DingTalk group-robot message ("markdown" unless the channel's format is "text").
nlohmann::json robot_payload(const OutboxItem& item, const Channel& ch, const DeliveryContext& ctx);
// The complete HTTP request for a webhook, wecom or dingtalk channel.
HttpRequest build_http(const OutboxItem& item, const Channel& ch, const DeliveryContext& ctx, Millis now);

// Builds and sends; robots answering 200 with a non-zero errcode count as failures.
SendResult deliver(const OutboxItem& item, const Channel& ch, const std::string& recipient,
                   const DeliveryContext& ctx, Millis now);

}  // namespace aftersales::notify
