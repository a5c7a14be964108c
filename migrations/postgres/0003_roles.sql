-- PostgreSQL twin of ../0003_roles.sql.
CREATE TABLE vps (
  team_id  TEXT   NOT NULL,
  user_id  TEXT   NOT NULL,
  added_at BIGINT NOT NULL,
  added_by TEXT   NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
