-- PostgreSQL twin of ../0013_lean_write_keys.sql: the same keys, so each /contact updates fewer
-- index pages (and writes less WAL). The conflict targets (team_id, week_start, user_id) still
-- match the new primary key: PostgreSQL infers a unique index by its columns in any order.
ALTER TABLE seen_requests DROP CONSTRAINT seen_requests_pkey, ADD PRIMARY KEY (expires_at, signature_sha256);
DROP INDEX seen_requests_by_expiry;
ALTER TABLE contact_weeks DROP CONSTRAINT contact_weeks_pkey, ADD PRIMARY KEY (team_id, user_id, week_start);
DROP INDEX contact_weeks_by_user;
