-- Accounts, sessions, audit and master data. Times are Unix milliseconds (UTC); dates are
-- 'YYYY-MM-DD' text; lists of codes are JSON arrays in TEXT.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  tier TEXT NOT NULL DEFAULT 'standard',
  address TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX customers_name ON customers(name);

CREATE TABLE customer_contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_contacts_customer ON customer_contacts(customer_id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  customer_id INTEGER REFERENCES customers(id),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- Session and API tokens, stored only as their SHA-256.
CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,               -- 'session' or 'api'
  name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT,                -- NULL: never (API tokens only)
  revoked_at BIGINT,
  last_used_at BIGINT
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE login_failures (
  username TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_failure_at BIGINT NOT NULL,
  locked_until BIGINT
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  before_json TEXT,
  after_json TEXT,
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE departments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_centres (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE teams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  department_id INTEGER REFERENCES departments(id),
  service_centre_id INTEGER REFERENCES service_centres(id),
  skills TEXT NOT NULL DEFAULT '[]',
  areas TEXT NOT NULL DEFAULT '[]',
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  user_id INTEGER UNIQUE REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  home_centre_id INTEGER REFERENCES service_centres(id),
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  skills TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_team ON staff(team_id);

CREATE TABLE staff_certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  number TEXT NOT NULL DEFAULT '',
  expires_on TEXT
);
CREATE INDEX staff_certificates_staff ON staff_certificates(staff_id);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  completion_date TEXT,
  warranty_months INTEGER NOT NULL DEFAULT 24,
  warranty_scope TEXT NOT NULL DEFAULT '',
  sla_policy TEXT NOT NULL DEFAULT 'default',
  calendar TEXT NOT NULL DEFAULT 'cn-5x8',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  remote INTEGER NOT NULL DEFAULT 0,
  project_manager_id INTEGER REFERENCES users(id),
  handover_documents TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_customer ON projects(customer_id);

-- The original construction/commissioning team, preferred for service.
CREATE TABLE project_staff (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  PRIMARY KEY (project_id, staff_id)
);

CREATE TABLE assets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES assets(id),
  kind TEXT NOT NULL,               -- building, floor, room, rack, equipment, facade, elevation, panel, zone, system
  name TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  serial_number TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL DEFAULT '',
  install_date TEXT,
  warranty_start TEXT,
  warranty_end TEXT,
  critical INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX assets_project ON assets(project_id, parent_id);

-- Service requests: the lifecycle issue extends this table; the foundation keeps what the demo
-- and the lists need.
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  number TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  project_id INTEGER NOT NULL REFERENCES projects(id),
  asset_id INTEGER REFERENCES assets(id),
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  grade TEXT,
  nature TEXT,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  demand TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  reported_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_customer ON tickets(customer_id, created_at);
CREATE INDEX tickets_state ON tickets(state);
