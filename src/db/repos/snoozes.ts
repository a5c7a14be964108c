import type { Db } from '../open.js';

export type SnoozeReason = 'snooze' | 'pto' | 'travelling' | 'pipeline_reset';

export interface SnoozeRow {
  id: number;
  teamId: string;
  userId: string;
  startsOn: string;
  endsOn: string;
  reason: SnoozeReason;
  createdAt: number;
}

const COLUMNS = 'id, team_id AS teamId, user_id AS userId, starts_on AS startsOn, ends_on AS endsOn, reason, created_at AS createdAt';

/** Repository for `snoozes`. */
export function createSnoozesRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO snoozes (team_id, user_id, starts_on, ends_on, reason, created_at)
    VALUES (@teamId, @userId, @startsOn, @endsOn, @reason, @createdAt)`);
  const active = db.prepare(`SELECT ${COLUMNS} FROM snoozes WHERE team_id = ? AND user_id = ? AND starts_on <= ? AND ends_on >= ?
    ORDER BY ends_on DESC LIMIT 1`);
  const activeAll = db.prepare(`SELECT ${COLUMNS} FROM snoozes WHERE team_id = ? AND starts_on <= ? AND ends_on >= ?`);
  const overlapping = db.prepare(`SELECT ${COLUMNS} FROM snoozes WHERE team_id = ? AND user_id = ? AND ends_on >= ? AND starts_on <= ?`);
  const overlappingTeam = db.prepare(`SELECT ${COLUMNS} FROM snoozes WHERE team_id = ? AND ends_on >= ? AND starts_on <= ?`);
  const endFrom = db.prepare(`UPDATE snoozes SET ends_on = ? WHERE team_id = ? AND user_id = ? AND starts_on <= ? AND ends_on >= ?`);
  const dropFuture = db.prepare('DELETE FROM snoozes WHERE team_id = ? AND user_id = ? AND starts_on > ?');
  const del = db.prepare('DELETE FROM snoozes WHERE team_id = ? AND user_id = ?');

  return {
    /**
     * Inside a transaction, makes the person's other snooze changes wait until it ends. Nothing to do on SQLite,
     * which runs one write transaction at a time.
     */
    lockSnoozesOf(_teamId: string, _userId: string): void {},
    /** Adds a snooze. */
    insertSnooze(s: Omit<SnoozeRow, 'id'>): void {
      insert.run(s);
    },
    /** The snooze covering `date` for the manager, if any (the longest-running one). */
    findActiveSnooze(teamId: string, userId: string, date: string): SnoozeRow | undefined {
      return active.get(teamId, userId, date, date) as SnoozeRow | undefined;
    },
    /** Every snooze of a team covering `date`. */
    listActiveSnoozes(teamId: string, date: string): SnoozeRow[] {
      return activeAll.all(teamId, date, date) as SnoozeRow[];
    },
    /** The manager's snoozes overlapping [from, to]. */
    listSnoozesBetween(teamId: string, userId: string, from: string, to: string): SnoozeRow[] {
      return overlapping.all(teamId, userId, from, to) as SnoozeRow[];
    },
    /** Every snooze of a team overlapping [from, to]. */
    listTeamSnoozesBetween(teamId: string, from: string, to: string): SnoozeRow[] {
      return overlappingTeam.all(teamId, from, to) as SnoozeRow[];
    },
    /**
     * Ends the manager's snoozes as of `today`: running ones end yesterday (the days already
     * snoozed stay snoozed, for streaks), future ones are dropped. Returns how many changed.
     */
    endSnoozes(teamId: string, userId: string, today: string, yesterday: string): number {
      return db.transaction(() => {
        const ended = endFrom.run(yesterday, teamId, userId, yesterday, today).changes;
        // A snooze that started today has no days left worth keeping.
        const dropped = dropFuture.run(teamId, userId, yesterday).changes;
        return ended + dropped;
      })();
    },
    /** Deletes every snooze of a person. */
    deleteSnoozesOf(teamId: string, userId: string): number {
      return del.run(teamId, userId).changes;
    },
  };
}
