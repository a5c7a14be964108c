-- A claim is 'posting' while its message is on its way to Slack. After a crash that tells the two
-- cases apart: 'claimed' means nothing was sent (retried once the claim is stale), 'posting' means
-- Slack may have delivered it, so it is never resent automatically (only with --force): a post may
-- be lost to a crash at that exact moment, but never sent twice. SQLite cannot alter a CHECK
-- constraint, so the table is rebuilt with the same columns.
CREATE TABLE job_claims_new (
  job         TEXT    NOT NULL,
  scope       TEXT    NOT NULL,
  period      TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('claimed', 'posting', 'done', 'skipped', 'failed')),
  claimed_at  INTEGER NOT NULL,
  finished_at INTEGER,
  retry_at    INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 1,
  detail      TEXT,
  PRIMARY KEY (job, scope, period)
) WITHOUT ROWID;
INSERT INTO job_claims_new (job, scope, period, status, claimed_at, finished_at, retry_at, attempts, detail)
  SELECT job, scope, period, status, claimed_at, finished_at, retry_at, attempts, detail FROM job_claims;
DROP TABLE job_claims;
ALTER TABLE job_claims_new RENAME TO job_claims;
