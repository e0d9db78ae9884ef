#include "app/ports/outbox.h"

namespace aftersales::app {

void enqueue_notification(store::Connection& tx, const OutboundMessage& m, Millis now) {
  nlohmann::json payload = {{"locale", m.locale}, {"params", m.params}, {"to_emails", m.to_emails}};
  tx.query("INSERT INTO outbox (created_at, event, ticket_id, customer_id, payload_json, state, attempts, "
           "next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)",
           {now, m.event, m.ticket_id ? store::Value(*m.ticket_id) : store::Value(),
            m.customer_id ? store::Value(*m.customer_id) : store::Value(), payload.dump(), now});
}

}  // namespace aftersales::app
