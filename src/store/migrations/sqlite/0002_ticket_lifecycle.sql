-- The service request lifecycle: facts the state machine guards on, SLA history, timeline,
-- assignments, visits, and the per-day acceptance-number counter.
ALTER TABLE tickets ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN pause_reason TEXT;
ALTER TABLE tickets ADD COLUMN facts_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tickets ADD COLUMN team_id INTEGER REFERENCES teams(id);
ALTER TABLE tickets ADD COLUMN assignee_staff_id INTEGER REFERENCES staff(id);
ALTER TABLE tickets ADD COLUMN remote_site INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN duplicate_of_id INTEGER REFERENCES tickets(id);
ALTER TABLE tickets ADD COLUMN created_by INTEGER REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN idempotency_key TEXT;
ALTER TABLE tickets ADD COLUMN suggestion_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tickets ADD COLUMN cost_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE tickets ADD COLUMN next_alert_at BIGINT;
ALTER TABLE tickets ADD COLUMN closed_at BIGINT;
ALTER TABLE tickets ADD COLUMN next_due_at BIGINT;        -- the earliest open milestone's due (list sorting)
ALTER TABLE tickets ADD COLUMN next_milestone TEXT;
ALTER TABLE tickets ADD COLUMN next_risk_at BIGINT;       -- when the next milestone turns "at risk" (its first warning)
ALTER TABLE tickets ADD COLUMN sla_grade TEXT;            -- grade the clocks run on (suggested until triage)
-- System actors (mail intake, monitoring) have no user id: 0 stands for them, so their keys are unique too.
CREATE UNIQUE INDEX tickets_idempotency ON tickets((COALESCE(created_by, 0)), idempotency_key);
CREATE INDEX tickets_project ON tickets(project_id, state);
CREATE INDEX tickets_next_alert ON tickets(next_alert_at);
CREATE INDEX tickets_assignee ON tickets(assignee_staff_id, state);

-- Acceptance numbers FWyyyymmdd-NNNN: one counter row per day, incremented inside the
-- creating transaction, so numbers are unique and gap-free across processes.
CREATE TABLE daily_counters (
  day TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

-- The timeline: every state change and every record added, with actor and data.
CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  actor_role TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  action TEXT,
  from_state TEXT,
  to_state TEXT,
  reason TEXT NOT NULL DEFAULT '',
  data_json TEXT NOT NULL DEFAULT '{}',
  internal INTEGER NOT NULL DEFAULT 0,  -- hidden from customer users
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

-- The SLA clock history (created, grade changes, pauses, resumes, milestones).
CREATE TABLE ticket_sla_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  grade TEXT,
  reason TEXT,
  milestone TEXT
);
CREATE INDEX ticket_sla_events_ticket ON ticket_sla_events(ticket_id, at, id);

-- Warnings and escalations that have fired: the unique key makes each fire exactly once,
-- whatever the number of server processes.
CREATE TABLE ticket_alerts (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  milestone TEXT NOT NULL,
  step TEXT NOT NULL,
  fired_at BIGINT NOT NULL,
  notify_role TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (ticket_id, milestone, step)
);

CREATE TABLE ticket_assignments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  lead INTEGER NOT NULL DEFAULT 0,
  assigned_at BIGINT NOT NULL,
  released_at BIGINT,
  assigned_by INTEGER,
  score_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_assignments_ticket ON ticket_assignments(ticket_id);
CREATE INDEX ticket_assignments_staff ON ticket_assignments(staff_id, released_at);

CREATE TABLE visits (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  departed_at BIGINT,
  arrived_at BIGINT,
  left_at BIGINT,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  staff_ids TEXT NOT NULL DEFAULT '[]',
  UNIQUE (ticket_id, seq)
);

-- Records attached to steps: diagnosis, solution plan, repair log entry, acceptance, ...
CREATE TABLE ticket_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,             -- diagnosis, plan, repair_log, self_check, acceptance, ...
  seq INTEGER NOT NULL,           -- 1, 2, ... per (ticket, kind): plan revisions, rework rounds
  data_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by INTEGER,
  internal INTEGER NOT NULL DEFAULT 0,
  UNIQUE (ticket_id, kind, seq)
);
