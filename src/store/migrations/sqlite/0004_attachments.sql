-- Attachments: photos, video and PDF documents. The bytes live outside the database under
-- <data_dir>/attachments/<aa>/<bb>/<sha256>, stored once per content; each upload has a row.
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sha256 TEXT NOT NULL,                  -- lower-case hex of the content; names the stored file
  size_bytes BIGINT NOT NULL,
  content_type TEXT NOT NULL,            -- sniffed from the content, never the client's claim
  filename TEXT NOT NULL,                -- sanitised; its extension matches content_type
  ticket_id INTEGER REFERENCES tickets(id),  -- NULL until linked to a service request
  purpose TEXT NOT NULL,                 -- intake, diagnosis, repair, acceptance, signature, other, ...
  uploaded_by INTEGER REFERENCES users(id),
  uploader_customer_id INTEGER REFERENCES customers(id),  -- set when a customer user uploaded it
  created_at BIGINT NOT NULL,
  linked_at BIGINT
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_uploader ON attachments(uploaded_by, created_at);
