-- PostgreSQL twin of ../0005_team_indexes.sql.
CREATE INDEX contacts_by_team_date ON contacts (team_id, occurred_on);
