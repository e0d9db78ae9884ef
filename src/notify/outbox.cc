#include "notify/outbox.h"

#include <mutex>

#include "app/ports/outbox.h"

namespace aftersales::app {

void enqueue_notification(store::Connection& tx, const OutboundMessage& m, Millis now) {
  nlohmann::json payload = {{"locale", m.locale}, {"params", m.params}, {"to_emails", m.to_emails}};
  // Stored with `replace` so that a stray invalid UTF-8 byte in a param cannot fail the caller's
  // transaction; the worker does the rest (it polls, so no wake-up is needed before commit).
  tx.query("INSERT INTO outbox (created_at, event, ticket_id, customer_id, payload_json, state, attempts, "
           "next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)",
           {now, m.event, m.ticket_id ? store::Value(*m.ticket_id) : store::Value(),
            m.customer_id ? store::Value(*m.customer_id) : store::Value(),
            payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now});
}

}  // namespace aftersales::app

namespace aftersales::notify {
namespace {
std::mutex g_mu;
std::function<void()> g_wake;
}  // namespace

void set_outbox_wake(std::function<void()> wake) {
  std::lock_guard lock(g_mu);
  g_wake = std::move(wake);
}

void wake_outbox() {
  std::lock_guard lock(g_mu);
  if (g_wake) g_wake();
}

}  // namespace aftersales::notify
