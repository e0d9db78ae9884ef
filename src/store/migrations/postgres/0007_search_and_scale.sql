-- Full-text search of request texts and the indexes that keep lists and dashboards fast with a
-- million requests stored.
--
-- search_terms holds the character-pair terms of the request's number, title and description
-- (see src/app/search_terms.h); a GIN index answers "which requests contain all these terms"
-- (search_terms @> ARRAY[...]) and the exact substring is then confirmed on the row. NULL
-- until indexed: requests created before this migration are indexed at start-up.
ALTER TABLE tickets ADD COLUMN search_terms TEXT[];
CREATE INDEX tickets_search ON tickets USING GIN (search_terms);

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
-- Requests still to be indexed (found at start-up without reading the table).
CREATE INDEX tickets_unindexed ON tickets(id) WHERE search_terms IS NULL;
