-- Follow-ups (回访) after a request closes, with the satisfaction survey and its tokenised link,
-- the tasks a low score opens, and complaints (投诉) with their own workflow and timeline.
CREATE TABLE follow_ups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  offset_months INTEGER NOT NULL,          -- 1, 3, 6: months after closing
  due_date TEXT NOT NULL,                  -- YYYY-MM-DD in the project's time zone
  due_at BIGINT NOT NULL,                  -- the closing time of day on due_date, project zone
  closed_at BIGINT NOT NULL,               -- the close the schedule counts from
  state TEXT NOT NULL DEFAULT 'scheduled', -- scheduled, done, missed, cancelled
  assignee_user_id INTEGER REFERENCES users(id),
  notes TEXT NOT NULL DEFAULT '',          -- the call: how the repair holds up
  repair_status TEXT,                      -- holding, minor_issue, failed
  completed_at BIGINT,
  completed_by INTEGER REFERENCES users(id),
  survey_token_sha256 TEXT UNIQUE,         -- SHA-256 of the link token; the token itself is never stored
  survey_sent_at BIGINT,
  survey_source TEXT,                      -- link (customer, no account) or staff (recorded on the call)
  surveyed_at BIGINT,
  score_response_speed INTEGER,
  score_attitude INTEGER,
  score_competence INTEGER,
  score_effectiveness INTEGER,
  score_communication INTEGER,
  survey_comment TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (ticket_id, offset_months)
);
CREATE INDEX follow_ups_due ON follow_ups(state, due_at);

-- Opened by a low satisfaction score; service managers work through them.
CREATE TABLE follow_up_tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id) ON DELETE CASCADE,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,                    -- which scores were low
  state TEXT NOT NULL DEFAULT 'open',      -- open, resolved
  resolution TEXT,                         -- reopened, complaint, explained, other
  note TEXT NOT NULL DEFAULT '',
  complaint_id INTEGER,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by INTEGER REFERENCES users(id),
  UNIQUE (follow_up_id)
);
CREATE INDEX follow_up_tasks_state ON follow_up_tasks(state, id);

CREATE TABLE complaints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  number TEXT NOT NULL UNIQUE,             -- TS20261123-0001
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  project_id INTEGER NOT NULL REFERENCES projects(id),
  ticket_id INTEGER REFERENCES tickets(id),
  channel TEXT NOT NULL,
  description TEXT NOT NULL,
  demand TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'logged',
  round INTEGER NOT NULL DEFAULT 1,
  filed_by INTEGER REFERENCES users(id),
  team_json TEXT NOT NULL DEFAULT '[]',    -- investigation team: staff ids
  findings TEXT NOT NULL DEFAULT '',
  evidence_json TEXT NOT NULL DEFAULT '[]',-- attachment ids
  cause TEXT,
  responsible_department_id INTEGER REFERENCES departments(id),
  responsible_staff_id INTEGER REFERENCES staff(id),
  opinion TEXT NOT NULL DEFAULT '',        -- first handling opinion
  plan TEXT NOT NULL DEFAULT '',
  plan_reviewed_by INTEGER REFERENCES users(id),
  plan_reviewed_at BIGINT,
  plan_review_comment TEXT NOT NULL DEFAULT '',
  plan_approved_by INTEGER REFERENCES users(id),
  plan_approved_at BIGINT,
  feedback TEXT NOT NULL DEFAULT '',
  feedback_at BIGINT,
  satisfied INTEGER,                       -- NULL until the customer answers
  created_at BIGINT NOT NULL,
  acknowledged_at BIGINT,
  ack_due_at BIGINT NOT NULL,
  first_opinion_at BIGINT,
  first_opinion_due_at BIGINT NOT NULL,
  closed_at BIGINT,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_customer ON complaints(customer_id, id);
CREATE INDEX complaints_state ON complaints(state, id);
CREATE INDEX complaints_created ON complaints(created_at);

CREATE TABLE complaint_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  actor_role TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  round INTEGER NOT NULL,
  data_json TEXT NOT NULL DEFAULT '{}',
  internal INTEGER NOT NULL DEFAULT 0,     -- hidden from customer users
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);
