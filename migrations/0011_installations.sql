-- Distribution mode (issue 12): one row per installation of Gemba, in a workspace (team install)
-- or across an Enterprise Grid org (org-wide install). The installation, tokens included, is kept
-- only encrypted (AES-256-GCM with TOKEN_ENCRYPTION_KEY) in `secret`; the plain columns are what
-- look-ups and the retention job need. Timestamps are epoch milliseconds.
CREATE TABLE installations (
  install_key           TEXT PRIMARY KEY,          -- 'T:<team_id>' or 'E:<enterprise_id>' (org-wide)
  team_id               TEXT,                      -- null for org-wide installs
  enterprise_id         TEXT,
  is_enterprise_install INTEGER NOT NULL DEFAULT 0 CHECK (is_enterprise_install IN (0, 1)),
  secret                TEXT NOT NULL,
  installed_at          BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  uninstalled_at        BIGINT                     -- app_uninstalled / tokens_revoked; data erased after the retention window
);
CREATE INDEX installations_enterprise ON installations (enterprise_id);
CREATE INDEX installations_uninstalled ON installations (uninstalled_at);

-- The Enterprise Grid org each workspace belongs to, learned from its requests, so scheduled work
-- for a workspace of an org-wide install finds the org's token.
CREATE TABLE workspaces (
  team_id       TEXT PRIMARY KEY,
  enterprise_id TEXT,
  seen_at       BIGINT NOT NULL
);
CREATE INDEX workspaces_enterprise ON workspaces (enterprise_id);

-- OAuth states handed out by GET /slack/install: each is accepted once, within its lifetime.
CREATE TABLE oauth_states (
  state      TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);
