-- Weekly aggregates and covering indexes, so the questions asked every week (leaderboard,
-- digest, nudges, /trends) cost in proportion to managers × weeks, not to every conversation
-- ever logged. Measured at 10,000 managers and 1,000,000 conversations (docs/performance.md).
--
-- The aggregates are kept by triggers on `contacts`, so every write path (the one-liner, the
-- modal, Edit, Undo, the list's delete, forget) keeps them exact without knowing they exist.

-- Conversations per manager per week (only weeks that have any).
CREATE TABLE contact_weeks (
  team_id    TEXT    NOT NULL,
  week_start TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  contacts   INTEGER NOT NULL CHECK (contacts > 0),
  PRIMARY KEY (team_id, week_start, user_id)
) WITHOUT ROWID;
-- One person's weeks (personal trend, streaks); covering, so no table look-up.
CREATE INDEX contact_weeks_by_user ON contact_weeks (team_id, user_id, week_start, contacts);

-- Per team and week: conversations, and how many people had at least one. Counts everyone who
-- logged; the team views subtract deactivated managers (few, found through managers_inactive).
CREATE TABLE team_weeks (
  team_id    TEXT    NOT NULL,
  week_start TEXT    NOT NULL,
  contacts   INTEGER NOT NULL,
  managers   INTEGER NOT NULL,
  PRIMARY KEY (team_id, week_start)
) WITHOUT ROWID;

INSERT INTO contact_weeks (team_id, week_start, user_id, contacts)
  SELECT team_id, week_start, user_id, COUNT(*) FROM contacts GROUP BY team_id, week_start, user_id;
INSERT INTO team_weeks (team_id, week_start, contacts, managers)
  SELECT team_id, week_start, SUM(contacts), COUNT(*) FROM contact_weeks GROUP BY team_id, week_start;

CREATE TRIGGER contacts_weeks_after_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_weeks (team_id, week_start, user_id, contacts) VALUES (new.team_id, new.week_start, new.user_id, 1)
    ON CONFLICT (team_id, week_start, user_id) DO UPDATE SET contacts = contacts + 1;
END;

-- A week row disappears with its last conversation (delete first, else decrement).
CREATE TRIGGER contacts_weeks_after_delete AFTER DELETE ON contacts BEGIN
  DELETE FROM contact_weeks WHERE team_id = old.team_id AND week_start = old.week_start AND user_id = old.user_id AND contacts = 1;
  UPDATE contact_weeks SET contacts = contacts - 1 WHERE team_id = old.team_id AND week_start = old.week_start AND user_id = old.user_id;
END;

-- An edit that moves a conversation to another week counts as a delete plus an insert.
CREATE TRIGGER contacts_weeks_after_update AFTER UPDATE OF team_id, week_start, user_id ON contacts
  WHEN old.team_id IS NOT new.team_id OR old.week_start IS NOT new.week_start OR old.user_id IS NOT new.user_id
BEGIN
  DELETE FROM contact_weeks WHERE team_id = old.team_id AND week_start = old.week_start AND user_id = old.user_id AND contacts = 1;
  UPDATE contact_weeks SET contacts = contacts - 1 WHERE team_id = old.team_id AND week_start = old.week_start AND user_id = old.user_id;
  INSERT INTO contact_weeks (team_id, week_start, user_id, contacts) VALUES (new.team_id, new.week_start, new.user_id, 1)
    ON CONFLICT (team_id, week_start, user_id) DO UPDATE SET contacts = contacts + 1;
END;

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

-- Deactivated managers, to take them out of team totals cheaply.
CREATE INDEX managers_inactive ON managers (team_id, user_id) WHERE active = 0;

-- Distinct accounts of a team week (ordered, so counting needs no sort) and per manager.
-- Replaces contacts_by_team_week, whose questions contact_weeks now answers.
DROP INDEX contacts_by_team_week;
CREATE INDEX contacts_by_team_week_account ON contacts (team_id, week_start, account_key, user_id);

-- A manager's accounts and when each was last seen (dormant accounts in nudges).
CREATE INDEX contacts_by_user_account ON contacts (team_id, user_id, account_key, occurred_on);
