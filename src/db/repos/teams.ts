import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.js';

/** Admin-set overrides for a team; null means "the environment default". */
export interface TeamSettingsRow {
  teamId: string;
  weeklyTarget: number | null;
  nudgeAfterDays: number | null;
  timezone: string | null;
  leaderboardChannel: string | null;
  digestChannel: string | null;
}

export type TeamSettingKey = Exclude<keyof TeamSettingsRow, 'teamId'>;

const COLUMN: Record<TeamSettingKey, string> = {
  weeklyTarget: 'weekly_target',
  nudgeAfterDays: 'nudge_after_days',
  timezone: 'timezone',
  leaderboardChannel: 'leaderboard_channel',
  digestChannel: 'digest_channel',
};

/** Repository for the `teams` table (per-team settings). */
export function createTeamsRepo(db: Db) {
  const find = db.prepare(`SELECT team_id AS teamId, weekly_target AS weeklyTarget, nudge_after_days AS nudgeAfterDays,
    timezone, leaderboard_channel AS leaderboardChannel, digest_channel AS digestChannel FROM teams WHERE team_id = ?`);
  const ensure = db.prepare('INSERT INTO teams (team_id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const setters = Object.fromEntries(
    Object.entries(COLUMN).map(([key, col]) => [key, db.prepare(`UPDATE teams SET ${col} = ?, updated_at = ? WHERE team_id = ?`)]),
  ) as Record<TeamSettingKey, Statement<unknown[]>>;
  const all = db.prepare('SELECT team_id FROM teams').pluck();

  return {
    /** The team's overrides, or undefined when none were ever set. */
    findTeamSettings(teamId: string): TeamSettingsRow | undefined {
      return find.get(teamId) as TeamSettingsRow | undefined;
    },
    /** Sets one override (null clears it back to the default). */
    updateTeamSetting(teamId: string, key: TeamSettingKey, value: string | number | null, now: number): void {
      db.transaction(() => {
        ensure.run(teamId, now, now);
        setters[key].run(value, now, teamId);
      })();
    },
    /** Team ids that have a settings row. */
    listTeamIds(): string[] {
      return all.all() as string[];
    },
  };
}
