-- Full-text search of request texts and the indexes that keep lists and dashboards fast with a
-- million requests stored.
--
-- ticket_search holds, per request (rowid = tickets.id), the character-pair terms of its
-- number, title and description (see src/app/search_terms.h). Contentless and without
-- positions: it only answers "which requests contain all these terms"; the exact substring is
-- then confirmed on the request itself. Requests are never deleted and their texts never
-- change, so rows are only ever added, in the transaction that creates the request.
CREATE VIRTUAL TABLE ticket_search USING fts5(terms, content='', detail=none);

-- Covering indexes: the dashboard's aggregates over open work and over a month read only these,
-- never the (wide) request rows.
DROP INDEX tickets_state;
CREATE INDEX tickets_state ON tickets(state, grade, reported_at);
CREATE INDEX tickets_reported ON tickets(reported_at, state, grade, sla_grade, nature, team_id, asset_id);
CREATE INDEX tickets_customer_reported ON tickets(customer_id, reported_at);
CREATE INDEX tickets_project_reported ON tickets(project_id, reported_at);
-- Lists sorted by the next due time put requests without one last, in either dialect.
CREATE INDEX tickets_due_order ON tickets((next_due_at IS NULL), next_due_at);
-- The dashboard's satisfaction of the month.
CREATE INDEX follow_ups_surveyed ON follow_ups(surveyed_at);
