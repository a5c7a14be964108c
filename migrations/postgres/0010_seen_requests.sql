-- PostgreSQL twin of ../0010_seen_requests.sql.
CREATE TABLE seen_requests (
  signature_sha256 TEXT   NOT NULL PRIMARY KEY,
  expires_at       BIGINT NOT NULL
);
CREATE INDEX seen_requests_by_expiry ON seen_requests (expires_at);
