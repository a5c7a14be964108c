-- contact_weeks_remove (0006) deleted the row when its count was 1, else took 1 off. Two transactions removing
-- two conversations of one manager's week at once (two Undo clicks, Undo beside a list delete) both started
-- from a count of 2: the first took it to 1 and held the row; the second's DELETE, reading 2, passed the row by
-- without waiting, its UPDATE then waited, re-read 1 and wrote 0, which the CHECK (contacts > 0) refused: the
-- second Undo failed with an error. Now the row is locked first (FOR UPDATE waits for the other transaction and
-- returns the count it committed), and that count decides between deleting the row and taking 1 off.
CREATE OR REPLACE FUNCTION contact_weeks_remove(t TEXT, w TEXT, u TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  n INTEGER;
BEGIN
  SELECT contacts INTO n FROM contact_weeks WHERE team_id = t AND user_id = u AND week_start = w FOR UPDATE;
  IF n = 1 THEN
    DELETE FROM contact_weeks WHERE team_id = t AND user_id = u AND week_start = w;
  ELSIF n > 1 THEN
    UPDATE contact_weeks SET contacts = contacts - 1 WHERE team_id = t AND user_id = u AND week_start = w;
  END IF;
END $$;
