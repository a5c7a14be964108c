-- The anonymous store (PRODUCT.md "Anonymity", docs/anonymity.md). Tactic flags move out of the
-- main file into `anon`, a second SQLite file next to it (DATABASE_PATH with ".anon" before the
-- extension, attached by openDatabase). That file has no timestamped neighbours: other tables'
-- writes go to the main file and its WAL, so a copy taken while the app runs cannot date a flag
-- between them. It runs a rollback journal (TRUNCATE), not a WAL, so no log of frames keeps the
-- order of writes, and secure_delete, so deletes erase. Nothing here holds a Slack user id or an
-- instant; the finest date is a publish day 'YYYY-MM-DD'; ids are random; who counted is a crowd
-- code shared by at least ANONYMITY_CROWD eligible people.

-- One row per distinct tactic, grouped on its normalised wording. `id` is random (the app picks it),
-- so ids say nothing about which tactic came first.
CREATE TABLE anon.tactics (
  id           INTEGER PRIMARY KEY,
  team_id      TEXT    NOT NULL,
  tactic_key   TEXT    NOT NULL,
  display_text TEXT    NOT NULL CHECK (length(display_text) BETWEEN 3 AND 80),
  first_day    TEXT    NOT NULL,        -- publish day of its first flag; invisible before that publish
  created_week TEXT    NOT NULL,        -- ISO week of first_day, shown as "since 2026-W48"
  hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  hidden_week  TEXT,
  decision     TEXT             CHECK (decision IS NULL OR decision IN ('retire', 'keep', 'pilot')),
  decided_week TEXT,
  UNIQUE (team_id, tactic_key)
);

-- Crowds behind a tactic: one row per (tactic, crowd code), flag or "me too". A code is a prefix of
-- a public hash of the user id (services/crowds.ts); '' is everyone.
CREATE TABLE anon.tactic_reports (
  tactic_id   INTEGER NOT NULL REFERENCES tactics (id) ON DELETE CASCADE,
  crowd_code  TEXT    NOT NULL CHECK (crowd_code NOT GLOB '*[^01]*'),
  kind        TEXT    NOT NULL CHECK (kind IN ('flag', 'me_too')),
  publish_day TEXT    NOT NULL,
  PRIMARY KEY (tactic_id, crowd_code)
) WITHOUT ROWID;

-- Why a tactic no longer works and what buyers want instead. No crowd code, no reporter at all.
CREATE TABLE anon.tactic_reasons (
  id          TEXT    NOT NULL PRIMARY KEY,           -- random hex: storage order is meaningless
  tactic_id   INTEGER NOT NULL REFERENCES tactics (id) ON DELETE CASCADE,
  why         TEXT             CHECK (why IS NULL OR length(why) <= 500),
  instead     TEXT             CHECK (instead IS NULL OR length(instead) <= 500),
  publish_day TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX anon.tactic_reasons_by_tactic ON tactic_reasons (tactic_id);

-- Flags per crowd per ISO week (the weekly allowance is per crowd). Past weeks are pruned.
CREATE TABLE anon.flag_quota (
  team_id    TEXT    NOT NULL,
  week       TEXT    NOT NULL,
  crowd_code TEXT    NOT NULL,
  flags      INTEGER NOT NULL CHECK (flags >= 0),
  PRIMARY KEY (team_id, week, crowd_code)
) WITHOUT ROWID;

-- The eligible population and the crowds cut from it (a prefix tree of the public hash; every leaf
-- holds at least crowd_size eligible people). Recomputed from the member list, never from flags.
CREATE TABLE anon.crowd_populations (
  team_id     TEXT    NOT NULL PRIMARY KEY,
  source      TEXT    NOT NULL CHECK (source IN ('members', 'group')),
  group_id    TEXT,
  eligible    INTEGER NOT NULL,
  crowd_size  INTEGER NOT NULL,
  computed_on TEXT    NOT NULL                        -- 'YYYY-MM-DD'
) WITHOUT ROWID;
CREATE TABLE anon.crowd_codes (
  team_id TEXT    NOT NULL,
  code    TEXT    NOT NULL CHECK (code NOT GLOB '*[^01]*'),
  members INTEGER NOT NULL,
  PRIMARY KEY (team_id, code)
) WITHOUT ROWID;

-- The last publish day per team: reports and reasons with publish_day <= it are visible.
CREATE TABLE anon.tactic_publications (
  team_id           TEXT NOT NULL PRIMARY KEY,
  published_through TEXT NOT NULL
) WITHOUT ROWID;

-- Existing flags move over. Their keyed hashes cannot be turned into crowd codes, so each tactic
-- keeps one report under the root code '' (counted as one crowd: never more than is certain), and
-- everything moved is published already ('0000-01-01').
INSERT INTO anon.tactics (id, team_id, tactic_key, display_text, first_day, created_week, hidden, hidden_week, decision, decided_week)
  SELECT id, team_id, tactic_key, display_text, '0000-01-01', created_week, hidden, hidden_week, decision, decided_week FROM main.tactics;
INSERT INTO anon.tactic_reports (tactic_id, crowd_code, kind, publish_day)
  SELECT DISTINCT tactic_id, '', 'flag', '0000-01-01' FROM main.tactic_reports;
INSERT INTO anon.tactic_reasons (id, tactic_id, why, instead, publish_day)
  SELECT id, tactic_id, why, instead, '0000-01-01' FROM main.tactic_reasons;

-- The old tables go (secure_delete zeroes their pages): their HMACs named reps to whoever held the key.
DROP TABLE main.tactic_flag_quota;
DROP TABLE main.tactic_reasons;
DROP TABLE main.tactic_reports;
DROP TABLE main.tactics;
