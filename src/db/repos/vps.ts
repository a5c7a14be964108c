import type { Db } from '../open.js';

/** Repository for the `vps` table. */
export function createVpsRepo(db: Db) {
  const insert = db.prepare('INSERT INTO vps (team_id, user_id, added_at, added_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const del = db.prepare('DELETE FROM vps WHERE team_id = ? AND user_id = ?');
  const has = db.prepare('SELECT 1 FROM vps WHERE team_id = ? AND user_id = ?').pluck();
  const list = db.prepare('SELECT user_id FROM vps WHERE team_id = ? ORDER BY user_id').pluck();
  const anonymize = db.prepare('UPDATE vps SET added_by = ? WHERE team_id = ? AND added_by = ?');
  return {
    /** Adds a VP; true when they were not one already. */
    insertVp(teamId: string, userId: string, now: number, addedBy: string): boolean {
      return insert.run(teamId, userId, now, addedBy).changes > 0;
    },
    /** Removes a VP; true when they were one. */
    deleteVp(teamId: string, userId: string): boolean {
      return del.run(teamId, userId).changes > 0;
    },
    /** True when the user is a VP of the team. */
    isVp(teamId: string, userId: string): boolean {
      return has.get(teamId, userId) === 1;
    },
    /** Replaces a forgotten person's id where they added a VP; returns rows touched. */
    anonymizeAddedBy(teamId: string, userId: string, placeholder: string): number {
      return anonymize.run(placeholder, teamId, userId).changes;
    },
    /** The team's VPs. */
    listVps(teamId: string): string[] {
      return list.all(teamId) as string[];
    },
  };
}
