-- Messages to deliver, written in the same transaction as the event that causes them.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at BIGINT NOT NULL,
  event TEXT NOT NULL,
  ticket_id INTEGER,
  customer_id INTEGER,
  payload_json TEXT NOT NULL,
  state TEXT NOT NULL,             -- pending, sent, dead
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  locked_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
