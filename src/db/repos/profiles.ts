import type { Db } from '../open.js';

export interface ProfileRow {
  teamId: string;
  userId: string;
  tz: string | null;
  isAdmin: boolean;
  isOwner: boolean;
  displayName: string | null;
  refreshedAt: number;
}

/** Repository for `user_profiles`, the cache of Slack's users.info. */
export function createProfilesRepo(db: Db) {
  const upsert = db.prepare(`INSERT INTO user_profiles (team_id, user_id, tz, is_admin, is_owner, display_name, refreshed_at)
    VALUES (@teamId, @userId, @tz, @isAdmin, @isOwner, @displayName, @refreshedAt)
    ON CONFLICT (team_id, user_id) DO UPDATE SET tz = excluded.tz, is_admin = excluded.is_admin,
      is_owner = excluded.is_owner, display_name = excluded.display_name, refreshed_at = excluded.refreshed_at`);
  const find = db.prepare(`SELECT team_id AS teamId, user_id AS userId, tz, is_admin AS isAdmin, is_owner AS isOwner,
    display_name AS displayName, refreshed_at AS refreshedAt FROM user_profiles WHERE team_id = ? AND user_id = ?`);
  const zones = db.prepare('SELECT user_id AS userId, tz FROM user_profiles WHERE team_id = ? AND tz IS NOT NULL');
  const del = db.prepare('DELETE FROM user_profiles WHERE team_id = ? AND user_id = ?');
  const admins = db
    .prepare('SELECT user_id FROM user_profiles WHERE team_id = ? AND (is_admin = 1 OR is_owner = 1) ORDER BY user_id')
    .pluck();

  return {
    /** Stores a fresh users.info result. */
    upsertProfile(p: ProfileRow): void {
      upsert.run({ ...p, isAdmin: p.isAdmin ? 1 : 0, isOwner: p.isOwner ? 1 : 0 });
    },
    /** The cached profile, or undefined. */
    findProfile(teamId: string, userId: string): ProfileRow | undefined {
      const r = find.get(teamId, userId) as (Omit<ProfileRow, 'isAdmin' | 'isOwner'> & { isAdmin: number; isOwner: number }) | undefined;
      return r ? { ...r, isAdmin: r.isAdmin === 1, isOwner: r.isOwner === 1 } : undefined;
    },
    /** Every cached time zone of a team, by user id (people without one are absent). */
    listTimezones(teamId: string): Map<string, string> {
      return new Map((zones.all(teamId) as Array<{ userId: string; tz: string }>).map((r) => [r.userId, r.tz]));
    },
    /** Users the cache knows to be Slack admins or owners. */
    listAdminUserIds(teamId: string): string[] {
      return admins.all(teamId) as string[];
    },
    /** Removes a cached profile. */
    deleteProfile(teamId: string, userId: string): number {
      return del.run(teamId, userId).changes;
    },
  };
}
