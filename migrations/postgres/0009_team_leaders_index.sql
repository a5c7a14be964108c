-- PostgreSQL twin of ../0009_team_leaders_index.sql.
CREATE INDEX contact_weeks_by_week_count ON contact_weeks (team_id, week_start, contacts DESC, user_id);
