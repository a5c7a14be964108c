-- Gemba's first schema. Every table is keyed by Slack team id so one database can serve
-- several workspaces. Instants are epoch milliseconds (INTEGER); calendar dates are the
-- manager's local date as 'YYYY-MM-DD' (TEXT), so weekly arithmetic never re-applies a timezone.

-- Per-team settings set by admins. NULL means "use the environment default".
CREATE TABLE teams (
  team_id             TEXT PRIMARY KEY,
  weekly_target       INTEGER CHECK (weekly_target BETWEEN 1 AND 100),
  nudge_after_days    INTEGER CHECK (nudge_after_days BETWEEN 1 AND 90),
  timezone            TEXT,
  leaderboard_channel TEXT,
  digest_channel      TEXT,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

-- Managers: enrolled by an admin or by logging their first conversation.
CREATE TABLE managers (
  team_id     TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  enrolled_at INTEGER NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

-- Cache of users.info (time zone, Slack admin/owner flags), refreshed at least weekly.
-- Only ever written for managers, VPs and admins: never for someone because they flagged a tactic.
CREATE TABLE user_profiles (
  team_id      TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  tz           TEXT,
  is_admin     INTEGER NOT NULL DEFAULT 0,
  is_owner     INTEGER NOT NULL DEFAULT 0,
  display_name TEXT,
  refreshed_at INTEGER NOT NULL,
  PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

-- One row per direct buyer conversation a manager logged.
CREATE TABLE contacts (
  id           INTEGER PRIMARY KEY,
  team_id      TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  account      TEXT    NOT NULL CHECK (length(account) BETWEEN 1 AND 120),
  account_key  TEXT    NOT NULL,               -- lower-cased, space-collapsed account for "distinct accounts"
  buyer        TEXT             CHECK (buyer IS NULL OR length(buyer) <= 120),
  kind         TEXT    NOT NULL CHECK (kind IN ('call', 'video', 'meeting', 'visit', 'other')),
  duration_min INTEGER          CHECK (duration_min IS NULL OR duration_min BETWEEN 1 AND 600),
  occurred_on  TEXT    NOT NULL,               -- local date in the manager's timezone
  week_start   TEXT    NOT NULL,               -- Monday of occurred_on's week (derived, indexed for weekly roll-ups)
  insight      TEXT             CHECK (insight IS NULL OR length(insight) <= 2000),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX contacts_by_user_date ON contacts (team_id, user_id, occurred_on);
CREATE INDEX contacts_by_team_week ON contacts (team_id, week_start, user_id);

-- Who changed what, for admin actions and moderation.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  team_id  TEXT    NOT NULL,
  actor_id TEXT    NOT NULL,
  action   TEXT    NOT NULL,
  detail   TEXT,
  at       INTEGER NOT NULL
);
CREATE INDEX audit_log_by_team ON audit_log (team_id, at);
