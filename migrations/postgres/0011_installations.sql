-- PostgreSQL twin of ../0011_installations.sql.
CREATE TABLE installations (
  install_key           TEXT PRIMARY KEY,
  team_id               TEXT,
  enterprise_id         TEXT,
  is_enterprise_install INTEGER NOT NULL DEFAULT 0 CHECK (is_enterprise_install IN (0, 1)),
  secret                TEXT NOT NULL,
  installed_at          BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL,
  uninstalled_at        BIGINT
);
CREATE INDEX installations_enterprise ON installations (enterprise_id);
CREATE INDEX installations_uninstalled ON installations (uninstalled_at);

CREATE TABLE workspaces (
  team_id       TEXT PRIMARY KEY,
  enterprise_id TEXT,
  seen_at       BIGINT NOT NULL
);
CREATE INDEX workspaces_enterprise ON workspaces (enterprise_id);

CREATE TABLE oauth_states (
  state      TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);
