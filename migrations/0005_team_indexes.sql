-- Team-wide "recent" questions (freshest insights, who logged in the last 14 days) read by date.
CREATE INDEX contacts_by_team_date ON contacts (team_id, occurred_on);
