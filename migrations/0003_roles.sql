-- VPs (sales leadership): see team trends, the digest preview, quiet managers; decide on flagged tactics.
-- Admins are not stored: they are ADMIN_USER_IDS plus the workspace's Slack admins and owners.
CREATE TABLE vps (
  team_id  TEXT    NOT NULL,
  user_id  TEXT    NOT NULL,
  added_at INTEGER NOT NULL,
  added_by TEXT    NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;
