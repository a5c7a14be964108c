-- Scheduled work. A job claims its period here *before* posting, so a period is posted at most
-- once across restarts, manual runs and several processes sharing this database.
--   job:    'nudges' | 'leaderboard' | 'digest' | 'leaderboard-alert' | …
--   scope:  team id, or 'team:user' for per-manager jobs
--   period: a local date 'YYYY-MM-DD' (nudges) or an ISO week 'YYYY-Www' (weekly jobs)
CREATE TABLE job_claims (
  job         TEXT    NOT NULL,
  scope       TEXT    NOT NULL,
  period      TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('claimed', 'done', 'skipped', 'failed')),
  claimed_at  INTEGER NOT NULL,
  finished_at INTEGER,
  retry_at    INTEGER,            -- a failed claim may be taken again from this instant
  attempts    INTEGER NOT NULL DEFAULT 1,
  detail      TEXT,
  PRIMARY KEY (job, scope, period)
) WITHOUT ROWID;

-- Nudge DMs that went out: "not nudged in the last 3 days", "3 nudges ignored".
CREATE TABLE nudges (
  id         INTEGER PRIMARY KEY,
  team_id    TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  sent_at    INTEGER NOT NULL,
  local_date TEXT    NOT NULL,
  channel    TEXT,
  ts         TEXT,
  answered   TEXT                 -- the button the manager pressed, if any
);
CREATE INDEX nudges_by_user ON nudges (team_id, user_id, sent_at);

-- Pauses of nudges (vacation, or a reason given from a nudge). Dates are the manager's local
-- dates, inclusive. Weeks touched by a snooze freeze the manager's streak.
CREATE TABLE snoozes (
  id         INTEGER PRIMARY KEY,
  team_id    TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  starts_on  TEXT    NOT NULL,
  ends_on    TEXT    NOT NULL,
  reason     TEXT    NOT NULL CHECK (reason IN ('snooze', 'pto', 'travelling', 'pipeline_reset')),
  created_at INTEGER NOT NULL,
  CHECK (ends_on >= starts_on)
);
CREATE INDEX snoozes_by_user ON snoozes (team_id, user_id, ends_on);
