// The outbox port: use cases record messages to send in their own transaction; a background
// worker delivers them (e-mail, webhooks, group robots) with retries. Nothing is sent inline,
// so a failed delivery never fails or slows the request that caused it, and a rolled-back
// request sends nothing.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/sql.h"

namespace aftersales::app {

struct OutboundMessage {
  std::string event;                        // e.g. "ticket.created", "ticket.technician_arrived"
  std::optional<std::int64_t> ticket_id;    // the request it is about, if any
  std::optional<std::int64_t> customer_id;  // whose organisation it concerns
  std::string locale = "zh-CN";             // template language
  nlohmann::json params = nlohmann::json::object();  // template parameters (number, title, due_at, ...)
  std::vector<std::string> to_emails;       // explicit e-mail recipients (e.g. the reporting contact)
};

// Records `message` in the caller's transaction `tx`.
void enqueue_notification(store::Connection& tx, const OutboundMessage& message, Millis now);

}  // namespace aftersales::app
