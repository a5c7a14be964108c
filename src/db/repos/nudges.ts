import type { Db } from '../open.js';

export interface NudgeRow {
  id: number;
  teamId: string;
  userId: string;
  sentAt: number;
  localDate: string;
  channel: string | null;
  ts: string | null;
  answered: string | null;
}

const COLUMNS = 'id, team_id AS teamId, user_id AS userId, sent_at AS sentAt, local_date AS localDate, channel, ts, answered';

/** Repository for `nudges`, the DMs that went out. */
export function createNudgesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO nudges (team_id, user_id, sent_at, local_date, channel, ts)
    VALUES (@teamId, @userId, @sentAt, @localDate, @channel, @ts)`);
  const lastSentAll = db.prepare(
    'SELECT user_id AS userId, MAX(sent_at) AS sentAt, MAX(local_date) AS localDate FROM nudges WHERE team_id = ? AND sent_at >= ? AND sent_at <= ? GROUP BY user_id',
  );
  const recent = db.prepare(`SELECT ${COLUMNS} FROM nudges WHERE team_id = ? AND user_id = ? ORDER BY sent_at DESC, id DESC LIMIT ?`);
  const markAnswered = db.prepare(`UPDATE nudges SET answered = ? WHERE id = (
    SELECT id FROM nudges WHERE team_id = ? AND user_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1)`);
  const unanswered = db
    .prepare(`SELECT user_id FROM nudges WHERE team_id = ? AND sent_at >= ? AND answered IS NULL
    GROUP BY user_id HAVING COUNT(*) >= ?`)
    .pluck();
  const del = db.prepare('DELETE FROM nudges WHERE team_id = ? AND user_id = ?');
  const count = db.prepare('SELECT COUNT(*) FROM nudges WHERE team_id = ? AND user_id = ? AND local_date = ?').pluck();

  return {
    /** Records a DM that went out. */
    insertNudge(n: Omit<NudgeRow, 'id' | 'answered'>): void {
      insert.run(n);
    },
    /**
     * Per manager of a team, for nudges sent from `since` to `until` (both instants included): the last nudge instant and
     * the latest local day nudged for. A nudge stamped after `until` (a job CLI run with a later --now) is not one "in the
     * last days" of `until`.
     */
    listLastNudgeTimes(teamId: string, since: number, until: number): Map<string, { sentAt: number; localDate: string }> {
      return new Map(
        (lastSentAll.all(teamId, since, until) as Array<{ userId: string; sentAt: number; localDate: string }>).map((r) => [
          r.userId,
          { sentAt: r.sentAt, localDate: r.localDate },
        ]),
      );
    },
    /** The manager's latest nudges, newest first. */
    listRecentNudges(teamId: string, userId: string, limit: number): NudgeRow[] {
      return recent.all(teamId, userId, limit) as NudgeRow[];
    },
    /** Records which button the manager pressed on their latest nudge. */
    markLatestAnswered(teamId: string, userId: string, answer: string): void {
      markAnswered.run(answer, teamId, userId);
    },
    /** How many nudges the manager got on a local date (test and audit helper). */
    countNudgesOn(teamId: string, userId: string, localDate: string): number {
      return count.get(teamId, userId, localDate) as number;
    },
    /** Managers with at least `n` unanswered nudges since `since` (candidates for "nudges ignored"). */
    listUsersWithUnansweredNudges(teamId: string, since: number, n: number): string[] {
      return unanswered.all(teamId, since, n) as string[];
    },
    /** Deletes every nudge of a person. */
    deleteNudgesOf(teamId: string, userId: string): number {
      return del.run(teamId, userId).changes;
    },
  };
}
