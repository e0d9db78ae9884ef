-- The duplicate check of an intake walks a project's latest requests to its 50 open ones. With the
-- state and the asset in the index it never reads a request row for that walk: the texts it then
-- compares are kept in memory by the server (src/app/request_texts.h), as they never change.
-- Replaces tickets_project_reported, of which it is an extension.
DROP INDEX tickets_project_reported;
CREATE INDEX tickets_project_recent ON tickets(project_id, reported_at, state, asset_id);
