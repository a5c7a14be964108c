-- PostgreSQL twin of ../0012_anonymous_store.sql. The anonymous tables live in their own schema
-- `anon`. PostgreSQL keeps one write-ahead log per cluster, so a schema alone does not keep flags
-- out of the timeline of other writes: docs/anonymity.md ("On PostgreSQL") says what does.
CREATE SCHEMA IF NOT EXISTS anon;

CREATE TABLE anon.tactics (
  id           BIGINT  PRIMARY KEY,                -- random, assigned by the app
  team_id      TEXT    NOT NULL,
  tactic_key   TEXT    NOT NULL,
  display_text TEXT    NOT NULL CHECK (length(display_text) BETWEEN 3 AND 80),
  first_day    TEXT    NOT NULL,
  created_week TEXT    NOT NULL,
  hidden       INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  hidden_week  TEXT,
  decision     TEXT             CHECK (decision IS NULL OR decision IN ('retire', 'keep', 'pilot')),
  decided_week TEXT,
  UNIQUE (team_id, tactic_key)
);

CREATE TABLE anon.tactic_reports (
  tactic_id   BIGINT NOT NULL REFERENCES anon.tactics (id) ON DELETE CASCADE,
  crowd_code  TEXT   NOT NULL CHECK (crowd_code ~ '^[01]*$'),
  kind        TEXT   NOT NULL CHECK (kind IN ('flag', 'me_too')),
  publish_day TEXT   NOT NULL,
  PRIMARY KEY (tactic_id, crowd_code)
);

CREATE TABLE anon.tactic_reasons (
  id          TEXT   NOT NULL PRIMARY KEY,
  tactic_id   BIGINT NOT NULL REFERENCES anon.tactics (id) ON DELETE CASCADE,
  why         TEXT            CHECK (why IS NULL OR length(why) <= 500),
  instead     TEXT            CHECK (instead IS NULL OR length(instead) <= 500),
  publish_day TEXT   NOT NULL
);
CREATE INDEX tactic_reasons_by_tactic ON anon.tactic_reasons (tactic_id);

CREATE TABLE anon.flag_quota (
  team_id    TEXT    NOT NULL,
  week       TEXT    NOT NULL,
  crowd_code TEXT    NOT NULL,
  flags      INTEGER NOT NULL CHECK (flags >= 0),
  PRIMARY KEY (team_id, week, crowd_code)
);

CREATE TABLE anon.crowd_populations (
  team_id     TEXT    NOT NULL PRIMARY KEY,
  source      TEXT    NOT NULL CHECK (source IN ('members', 'group')),
  group_id    TEXT,
  eligible    INTEGER NOT NULL,
  crowd_size  INTEGER NOT NULL,
  computed_on TEXT    NOT NULL
);
CREATE TABLE anon.crowd_codes (
  team_id TEXT    NOT NULL,
  code    TEXT    NOT NULL CHECK (code ~ '^[01]*$'),
  members INTEGER NOT NULL,
  PRIMARY KEY (team_id, code)
);

CREATE TABLE anon.tactic_publications (
  team_id           TEXT NOT NULL PRIMARY KEY,
  published_through TEXT NOT NULL
);

INSERT INTO anon.tactics (id, team_id, tactic_key, display_text, first_day, created_week, hidden, hidden_week, decision, decided_week)
  SELECT id, team_id, tactic_key, display_text, '0000-01-01', created_week, hidden, hidden_week, decision, decided_week FROM public.tactics;
INSERT INTO anon.tactic_reports (tactic_id, crowd_code, kind, publish_day)
  SELECT DISTINCT tactic_id, '', 'flag', '0000-01-01' FROM public.tactic_reports;
INSERT INTO anon.tactic_reasons (id, tactic_id, why, instead, publish_day)
  SELECT id, tactic_id, why, instead, '0000-01-01' FROM public.tactic_reasons;

DROP TABLE public.tactic_flag_quota;
DROP TABLE public.tactic_reasons;
DROP TABLE public.tactic_reports;
DROP TABLE public.tactics;
