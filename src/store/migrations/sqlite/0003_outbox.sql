-- Notifications: an outbox of messages written in the same transaction as the event that causes
-- them, the channels an administrator configured, and one delivery row per (message, channel,
-- recipient) so that retrying one failed channel never resends what the others already got.

-- Where messages go. Secrets (SMTP password, signing secret) live in their own column so that
-- everything else can be returned by the API as stored.
CREATE TABLE notification_channels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                     -- email, webhook, wecom, dingtalk
  enabled INTEGER NOT NULL DEFAULT 1,
  events_json TEXT NOT NULL DEFAULT '[]', -- events subscribed to; [] = all
  config_json TEXT NOT NULL DEFAULT '{}', -- kind-specific settings without secrets
  secret TEXT NOT NULL DEFAULT '',        -- write-only through the API
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- Messages to deliver. A worker claims due rows by setting locked_until (a lease), delivers
-- outside any transaction, then records the outcome; attempts count failed rounds.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at BIGINT NOT NULL,
  event TEXT NOT NULL,
  ticket_id INTEGER,
  customer_id INTEGER,
  payload_json TEXT NOT NULL,             -- {locale, params, to_emails}
  state TEXT NOT NULL,                    -- pending, sent, skipped (no channel), dead
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  locked_until BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

-- The fan-out of one message, fixed when it is first claimed.
CREATE TABLE outbox_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  channel_id BIGINT REFERENCES notification_channels(id) ON DELETE SET NULL,
  channel_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL DEFAULT '',     -- e-mail address; '' for webhooks and robots
  state TEXT NOT NULL,                    -- pending, sent, dead
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at BIGINT,
  UNIQUE (outbox_id, channel_id, recipient)
);
CREATE INDEX outbox_deliveries_outbox ON outbox_deliveries(outbox_id);
