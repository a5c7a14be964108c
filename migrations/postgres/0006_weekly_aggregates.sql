-- PostgreSQL twin of ../0006_weekly_aggregates.sql: the same aggregates, kept by PL/pgSQL triggers.
CREATE TABLE contact_weeks (
  team_id    TEXT    NOT NULL,
  week_start TEXT    NOT NULL,
  user_id    TEXT    NOT NULL,
  contacts   INTEGER NOT NULL CHECK (contacts > 0),
  PRIMARY KEY (team_id, week_start, user_id)
);
CREATE INDEX contact_weeks_by_user ON contact_weeks (team_id, user_id, week_start, contacts);

CREATE TABLE team_weeks (
  team_id    TEXT    NOT NULL,
  week_start TEXT    NOT NULL,
  contacts   INTEGER NOT NULL,
  managers   INTEGER NOT NULL,
  PRIMARY KEY (team_id, week_start)
);

INSERT INTO contact_weeks (team_id, week_start, user_id, contacts)
  SELECT team_id, week_start, user_id, COUNT(*) FROM contacts GROUP BY team_id, week_start, user_id;
INSERT INTO team_weeks (team_id, week_start, contacts, managers)
  SELECT team_id, week_start, SUM(contacts), COUNT(*) FROM contact_weeks GROUP BY team_id, week_start;

CREATE FUNCTION contact_weeks_add(t TEXT, w TEXT, u TEXT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO contact_weeks (team_id, week_start, user_id, contacts) VALUES (t, w, u, 1)
    ON CONFLICT (team_id, week_start, user_id) DO UPDATE SET contacts = contact_weeks.contacts + 1;
$$;
CREATE FUNCTION contact_weeks_remove(t TEXT, w TEXT, u TEXT) RETURNS void LANGUAGE sql AS $$
  DELETE FROM contact_weeks WHERE team_id = t AND week_start = w AND user_id = u AND contacts = 1;
  UPDATE contact_weeks SET contacts = contacts - 1 WHERE team_id = t AND week_start = w AND user_id = u;
$$;

CREATE FUNCTION contacts_weeks_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM contact_weeks_add(NEW.team_id, NEW.week_start, NEW.user_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM contact_weeks_remove(OLD.team_id, OLD.week_start, OLD.user_id);
  ELSIF (OLD.team_id, OLD.week_start, OLD.user_id) IS DISTINCT FROM (NEW.team_id, NEW.week_start, NEW.user_id) THEN
    PERFORM contact_weeks_remove(OLD.team_id, OLD.week_start, OLD.user_id);
    PERFORM contact_weeks_add(NEW.team_id, NEW.week_start, NEW.user_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER contacts_weeks AFTER INSERT OR DELETE OR UPDATE OF team_id, week_start, user_id ON contacts
  FOR EACH ROW EXECUTE FUNCTION contacts_weeks_trigger();

CREATE FUNCTION contact_weeks_team_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO team_weeks (team_id, week_start, contacts, managers) VALUES (NEW.team_id, NEW.week_start, NEW.contacts, 1)
      ON CONFLICT (team_id, week_start) DO UPDATE SET contacts = team_weeks.contacts + excluded.contacts, managers = team_weeks.managers + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE team_weeks SET contacts = contacts + NEW.contacts - OLD.contacts WHERE team_id = NEW.team_id AND week_start = NEW.week_start;
  ELSE
    UPDATE team_weeks SET contacts = contacts - OLD.contacts, managers = managers - 1
      WHERE team_id = OLD.team_id AND week_start = OLD.week_start;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER contact_weeks_team AFTER INSERT OR DELETE OR UPDATE OF contacts ON contact_weeks
  FOR EACH ROW EXECUTE FUNCTION contact_weeks_team_trigger();

CREATE INDEX managers_inactive ON managers (team_id, user_id) WHERE active = 0;
DROP INDEX contacts_by_team_week;
CREATE INDEX contacts_by_team_week_account ON contacts (team_id, week_start, account_key, user_id);
CREATE INDEX contacts_by_user_account ON contacts (team_id, user_id, account_key, occurred_on);
