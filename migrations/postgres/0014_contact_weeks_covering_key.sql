-- PostgreSQL only (see ../0014_contact_weeks_covering_key.sql). Since 0013 contact_weeks is keyed by
-- (team_id, user_id, week_start) and contact_weeks_by_user is gone. On SQLite the key's B-tree is the
-- table (WITHOUT ROWID) and holds the count; a PostgreSQL primary key indexes only its columns, so one
-- person's weeks were read from the heap: /trends team 52 went from 8.6 to 20 ms at 10,000 managers.
-- INCLUDE (contacts) makes those reads index-only again, at no cost to the writes: every count change
-- is a non-HOT update (contacts is in contact_weeks_by_week_count), which writes a new entry in every
-- index anyway.
ALTER TABLE contact_weeks DROP CONSTRAINT contact_weeks_pkey, ADD PRIMARY KEY (team_id, user_id, week_start) INCLUDE (contacts);
