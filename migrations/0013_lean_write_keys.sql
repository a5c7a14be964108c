-- Fewer pages written by every /contact (docs/performance.md "The lean ack"): each page a write
-- touches is one WAL frame, and on SQLite each frame is two write calls inside the commit.
--
-- 1. seen_requests is keyed by (expires_at, signature_sha256) instead of a random digest with a
--    second index on the expiry. A replay carries the same signature, and the signature covers the
--    timestamp the expiry comes from (expires_at = timestamp + 300), so the pair is unique exactly
--    when the signature is: replays are refused as before. New rows land at the key's right end and
--    the prune takes expired ones from its left end: two pages a claim instead of four or five.
CREATE TABLE seen_requests_new (
  expires_at       INTEGER NOT NULL,           -- epoch seconds: request timestamp + 300
  signature_sha256 TEXT    NOT NULL,
  PRIMARY KEY (expires_at, signature_sha256)
) WITHOUT ROWID;
INSERT INTO seen_requests_new (expires_at, signature_sha256) SELECT expires_at, signature_sha256 FROM seen_requests;
DROP TABLE seen_requests;
ALTER TABLE seen_requests_new RENAME TO seen_requests;

-- 2. contact_weeks is keyed by person first, (team_id, user_id, week_start), which is what
--    contact_weeks_by_user held: that index goes, and one person's weeks are still one range of the
--    table itself. Team-and-week questions read contact_weeks_by_week_count, which holds every column.
--    The table is rebuilt in place (the triggers on contacts name it); its own triggers are recreated
--    after the copy, so team_weeks is not counted twice.
CREATE TEMP TABLE contact_weeks_copy AS SELECT team_id, week_start, user_id, contacts FROM contact_weeks;
DROP TABLE contact_weeks;
CREATE TABLE contact_weeks (
  team_id    TEXT    NOT NULL,
  week_start TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  contacts   INTEGER NOT NULL CHECK (contacts > 0),
  PRIMARY KEY (team_id, user_id, week_start)
) WITHOUT ROWID;
INSERT INTO contact_weeks (team_id, week_start, user_id, contacts) SELECT team_id, week_start, user_id, contacts FROM temp.contact_weeks_copy;
DROP TABLE temp.contact_weeks_copy;
CREATE INDEX contact_weeks_by_week_count ON contact_weeks (team_id, week_start, contacts DESC, user_id);

CREATE TRIGGER contact_weeks_after_insert AFTER INSERT ON contact_weeks BEGIN
  INSERT INTO team_weeks (team_id, week_start, contacts, managers) VALUES (new.team_id, new.week_start, new.contacts, 1)
    ON CONFLICT (team_id, week_start) DO UPDATE SET contacts = contacts + excluded.contacts, managers = managers + 1;
END;

CREATE TRIGGER contact_weeks_after_update AFTER UPDATE OF contacts ON contact_weeks BEGIN
  UPDATE team_weeks SET contacts = contacts + new.contacts - old.contacts WHERE team_id = new.team_id AND week_start = new.week_start;
END;

CREATE TRIGGER contact_weeks_after_delete AFTER DELETE ON contact_weeks BEGIN
  UPDATE team_weeks SET contacts = contacts - old.contacts, managers = managers - 1 WHERE team_id = old.team_id AND week_start = old.week_start;
END;
