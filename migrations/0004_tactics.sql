-- Anonymous tactic flags (PRODUCT.md "Anonymity"). Nothing here may identify a rep:
--   * no Slack user id, user name, channel or DM id, and no instant — only ISO weeks 'YYYY-Www';
--   * "who has already counted" is an HMAC of the user id keyed by ANONYMITY_KEY, which lives in
--     the environment, never in this file. The HMAC input differs per table (per tactic for
--     reports, per week for the quota), so the same rep's hashes cannot be joined across tables,
--     tactics or weeks;
--   * reasons carry no hash at all, so a reason cannot be tied to a report;
--   * report, reason and quota rows are WITHOUT ROWID, keyed by a hash or a random id, so the
--     order rows are stored in says nothing about who came first.

-- One row per distinct tactic, grouped on its normalised wording (case, punctuation, spacing).
CREATE TABLE tactics (
  id           INTEGER PRIMARY KEY,
  team_id      TEXT    NOT NULL,
  tactic_key   TEXT    NOT NULL,                   -- normalizeTactic(display_text)
  display_text TEXT    NOT NULL CHECK (length(display_text) BETWEEN 3 AND 80), -- first wording
  created_week TEXT    NOT NULL,
  hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  hidden_week  TEXT,
  decision     TEXT             CHECK (decision IS NULL OR decision IN ('retire', 'keep', 'pilot')),
  decided_week TEXT,
  UNIQUE (team_id, tactic_key)
);

-- Distinct reps behind a tactic: one row per (tactic, rep) whether they flagged it or said "me too".
-- reporter_hash = HMAC(ANONYMITY_KEY, 'tactic:<team>:<tactic id>:<user id>') in hex.
CREATE TABLE tactic_reports (
  tactic_id     INTEGER NOT NULL REFERENCES tactics (id) ON DELETE CASCADE,
  reporter_hash TEXT    NOT NULL,
  kind          TEXT    NOT NULL CHECK (kind IN ('flag', 'me_too')),
  week          TEXT    NOT NULL,
  PRIMARY KEY (tactic_id, reporter_hash)
) WITHOUT ROWID;

-- Why a tactic no longer works and what buyers want instead. Deliberately no reporter column.
CREATE TABLE tactic_reasons (
  id        TEXT    NOT NULL PRIMARY KEY,          -- random hex: storage order is meaningless
  tactic_id INTEGER NOT NULL REFERENCES tactics (id) ON DELETE CASCADE,
  why       TEXT             CHECK (why IS NULL OR length(why) <= 500),
  instead   TEXT             CHECK (instead IS NULL OR length(instead) <= 500),
  week      TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX tactic_reasons_by_tactic ON tactic_reasons (tactic_id);

-- Flags a rep made this ISO week (at most 5). Rows of past weeks are pruned as new flags arrive.
-- reporter_hash = HMAC(ANONYMITY_KEY, 'quota:<team>:<week>:<user id>') in hex.
CREATE TABLE tactic_flag_quota (
  week          TEXT    NOT NULL,
  reporter_hash TEXT    NOT NULL,
  flags         INTEGER NOT NULL CHECK (flags >= 0),
  PRIMARY KEY (week, reporter_hash)
) WITHOUT ROWID;
