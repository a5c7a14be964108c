import type { Db } from '../open.js';

export interface ManagerRow {
  teamId: string;
  userId: string;
  enrolledAt: number;
  active: boolean;
}

/** Repository for the `managers` table. */
export function createManagersRepo(db: Db) {
  const enroll = db.prepare(`INSERT INTO managers (team_id, user_id, enrolled_at, active) VALUES (?, ?, ?, 1)
    ON CONFLICT (team_id, user_id) DO UPDATE SET active = 1 WHERE active = 0`);
  const find = db.prepare(`SELECT team_id AS teamId, user_id AS userId, enrolled_at AS enrolledAt, active
    FROM managers WHERE team_id = ? AND user_id = ?`);
  const listActive = db.prepare(`SELECT team_id AS teamId, user_id AS userId, enrolled_at AS enrolledAt, active
    FROM managers WHERE team_id = ? AND active = 1 ORDER BY user_id`);
  const countActive = db.prepare('SELECT COUNT(*) FROM managers WHERE team_id = ? AND active = 1').pluck();
  const deactivate = db.prepare('UPDATE managers SET active = 0 WHERE team_id = ? AND user_id = ? AND active = 1');
  const del = db.prepare('DELETE FROM managers WHERE team_id = ? AND user_id = ?');
  const teams = db.prepare('SELECT DISTINCT team_id FROM managers WHERE active = 1').pluck();
  // SQLite stores booleans as 0/1.
  const toRow = (r: unknown): ManagerRow | undefined => {
    const row = r as (Omit<ManagerRow, 'active'> & { active: number }) | undefined;
    return row ? { ...row, active: row.active === 1 } : undefined;
  };

  return {
    /** Enrols (or re-activates) a manager; true when this call changed anything. */
    enrollManager(teamId: string, userId: string, now: number): boolean {
      return enroll.run(teamId, userId, now).changes > 0;
    },
    /** The manager row, active or not. */
    findManager(teamId: string, userId: string): ManagerRow | undefined {
      return toRow(find.get(teamId, userId));
    },
    /** All active managers of a team. */
    listActiveManagers(teamId: string): ManagerRow[] {
      return listActive.all(teamId).flatMap((r) => toRow(r) ?? []);
    },
    /** How many active managers a team has. */
    countActiveManagers(teamId: string): number {
      return countActive.get(teamId) as number;
    },
    /** Marks a manager inactive (their history stays); true when they were active. */
    deactivateManager(teamId: string, userId: string): boolean {
      return deactivate.run(teamId, userId).changes > 0;
    },
    /** Deletes the manager row entirely (forget). */
    deleteManager(teamId: string, userId: string): number {
      return del.run(teamId, userId).changes;
    },
    /** Team ids that have at least one active manager. */
    listTeamsWithManagers(): string[] {
      return teams.all() as string[];
    },
  };
}
