-- Parts and materials (备品备件): the catalogue, stock locations, stock per (part, location)
-- kept by an append-only ledger of movements, repair logs on service requests and the parts
-- they replaced (each with its own warranty). Quantities are whole units of the part's unit.
CREATE TABLE parts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  spec TEXT NOT NULL DEFAULT '',            -- specification / model (规格型号)
  unit TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  supplier TEXT NOT NULL DEFAULT '',
  unit_cost DOUBLE PRECISION,
  warranty_months INTEGER NOT NULL DEFAULT 0,  -- warranty of a part once fitted as a replacement
  safety_stock INTEGER NOT NULL DEFAULT 0,
  reorder_point INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE stock_locations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,                        -- warehouse | service_centre | vehicle
  service_centre_id INTEGER REFERENCES service_centres(id),
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- The balance per (part, location): changed only together with a stock_movements row, by a
-- conditional UPDATE that never lets it go below zero.
CREATE TABLE stock_levels (
  part_id INTEGER NOT NULL REFERENCES parts(id),
  location_id INTEGER NOT NULL REFERENCES stock_locations(id),
  quantity BIGINT NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (part_id, location_id)
);
CREATE INDEX stock_levels_location ON stock_levels(location_id);

CREATE TABLE repair_logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  work_done TEXT NOT NULL,
  problems TEXT NOT NULL DEFAULT '',
  progress_note TEXT NOT NULL DEFAULT '',
  visible_to_customer INTEGER NOT NULL DEFAULT 0,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  staff_ids TEXT NOT NULL DEFAULT '[]',
  materials_json TEXT NOT NULL DEFAULT '[]',   -- free-text materials [{name, quantity, unit}]
  attachment_ids TEXT NOT NULL DEFAULT '[]',
  ticket_state TEXT NOT NULL,                   -- in_repair or rework when logged
  created_by INTEGER REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX repair_logs_ticket ON repair_logs(ticket_id, id);

-- Append-only: rows are never updated or deleted. quantity is signed (+ in, - out).
CREATE TABLE stock_movements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  part_id INTEGER NOT NULL REFERENCES parts(id),
  location_id INTEGER NOT NULL REFERENCES stock_locations(id),
  kind TEXT NOT NULL,             -- receipt, issue, return, transfer_out, transfer_in, adjustment
  quantity BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  repair_log_id INTEGER REFERENCES repair_logs(id),
  related_location_id INTEGER REFERENCES stock_locations(id),  -- the other end of a transfer
  unit_cost DOUBLE PRECISION,
  reason TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',  -- delivery note, stocktake number, ...
  actor_user_id INTEGER,
  actor_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stock_movements_part ON stock_movements(part_id, location_id, id);
CREATE INDEX stock_movements_ticket ON stock_movements(ticket_id);
CREATE INDEX stock_movements_location ON stock_movements(location_id, id);

CREATE TABLE replaced_parts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  repair_log_id INTEGER NOT NULL REFERENCES repair_logs(id),
  part_id INTEGER NOT NULL REFERENCES parts(id),
  asset_id INTEGER REFERENCES assets(id),
  quantity BIGINT NOT NULL,
  replaced_at BIGINT NOT NULL,
  warranty_until TEXT,                 -- 'YYYY-MM-DD' in the project's time zone; NULL = none
  created_at BIGINT NOT NULL
);
CREATE INDEX replaced_parts_asset ON replaced_parts(asset_id, replaced_at);
CREATE INDEX replaced_parts_ticket ON replaced_parts(ticket_id);
