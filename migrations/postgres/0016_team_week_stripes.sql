-- PostgreSQL only (see ../0016_team_week_stripes.sql). Every /contact added to its team's one team_weeks
-- row for the week, and an updated row stays locked until its transaction's commit is flushed: concurrent
-- /contacts of one team queued on that row, one WAL flush after another. Measured on the durable bench
-- server, 16 concurrent inserts of a conversation: 566–855 per second with the one row, 2,529–2,764 with
-- 32 stripes (the count kept elsewhere, as an upper bound: 2,429–2,887).
--
-- team_week_stripes holds the same totals split over 32 stripes per team and week, a manager's changes
-- always in the stripe of their user id, so two managers rarely share a row. Each change is added as a
-- delta (a stripe may go below zero; only the sums mean anything). team_weeks is now a view of the sums:
-- one row per team and week, the same columns and values as the table it replaces.
CREATE TABLE team_week_stripes (
  team_id    TEXT     NOT NULL,
  week_start TEXT     NOT NULL,
  stripe     SMALLINT NOT NULL,
  contacts   INTEGER  NOT NULL,
  managers   INTEGER  NOT NULL,
  PRIMARY KEY (team_id, week_start, stripe)
);
-- The existing totals go into stripe 0; later changes add to the manager's own stripe.
INSERT INTO team_week_stripes (team_id, week_start, stripe, contacts, managers)
  SELECT team_id, week_start, 0, contacts, managers FROM team_weeks;

DROP TRIGGER contact_weeks_team ON contact_weeks;
DROP FUNCTION contact_weeks_team_trigger();
DROP TABLE team_weeks;

CREATE VIEW team_weeks AS
  SELECT team_id, week_start, SUM(contacts)::integer AS contacts, SUM(managers)::integer AS managers
    FROM team_week_stripes GROUP BY team_id, week_start;

-- contact_weeks rows only ever change their count (contact_weeks_add / contact_weeks_remove), as before.
CREATE FUNCTION contact_weeks_stripe_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO team_week_stripes AS s (team_id, week_start, stripe, contacts, managers)
      VALUES (NEW.team_id, NEW.week_start, hashtext(NEW.user_id) & 31, NEW.contacts, 1)
      ON CONFLICT (team_id, week_start, stripe) DO UPDATE SET contacts = s.contacts + excluded.contacts, managers = s.managers + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO team_week_stripes AS s (team_id, week_start, stripe, contacts, managers)
      VALUES (NEW.team_id, NEW.week_start, hashtext(NEW.user_id) & 31, NEW.contacts - OLD.contacts, 0)
      ON CONFLICT (team_id, week_start, stripe) DO UPDATE SET contacts = s.contacts + excluded.contacts;
  ELSE
    -- A removal subtracts from the stripe that holds the manager's additions. Should that stripe be missing
    -- (the totals carried over above sit in stripe 0), the subtraction gets a row of its own, but only while
    -- the team still has a row for that week: when a workspace is erased its stripes are deleted in the same
    -- statement that deletes its weekly counts, and this trigger (run after it) must not leave one behind.
    UPDATE team_week_stripes SET contacts = contacts - OLD.contacts, managers = managers - 1
      WHERE team_id = OLD.team_id AND week_start = OLD.week_start AND stripe = hashtext(OLD.user_id) & 31;
    IF NOT FOUND AND EXISTS (SELECT 1 FROM team_week_stripes WHERE team_id = OLD.team_id AND week_start = OLD.week_start) THEN
      INSERT INTO team_week_stripes AS s (team_id, week_start, stripe, contacts, managers)
        VALUES (OLD.team_id, OLD.week_start, hashtext(OLD.user_id) & 31, -OLD.contacts, -1)
        ON CONFLICT (team_id, week_start, stripe) DO UPDATE SET contacts = s.contacts - OLD.contacts, managers = s.managers - 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER contact_weeks_stripes AFTER INSERT OR DELETE OR UPDATE OF contacts ON contact_weeks
  FOR EACH ROW EXECUTE FUNCTION contact_weeks_stripe_trigger();
