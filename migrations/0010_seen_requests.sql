-- Replay guard (PRODUCT.md "Request authenticity"): the signatures of signed Slack requests already
-- processed, kept until their timestamp leaves the 5-minute window (then a replay is refused as
-- stale anyway). Only a SHA-256 of the signature: no body, user, team or channel. Requests on the
-- anonymous surfaces (/flag-tactic, Me too, the flag form) are never recorded: they are idempotent,
-- and a row here would date them.
CREATE TABLE seen_requests (
  signature_sha256 TEXT    NOT NULL PRIMARY KEY,
  expires_at       INTEGER NOT NULL            -- epoch seconds: request timestamp + 300
) WITHOUT ROWID;
CREATE INDEX seen_requests_by_expiry ON seen_requests (expires_at);
