import type { Config } from '../config.js';
import type { Repos } from '../db/repos/index.js';

/** A team's effective settings: admin overrides on top of the environment defaults. */
export interface TeamSettings {
  weeklyTarget: number;
  nudgeAfterDays: number;
  nudgeHour: number;
  timezone: string;
  leaderboardChannel: string | null;
  digestChannel: string | null;
}

/** Reads a team's effective settings. */
export function createSettingsService(config: Config, repos: Repos) {
  return {
    /** The team's settings, each falling back to its environment default. */
    async forTeam(teamId: string): Promise<TeamSettings> {
      const row = await repos.teams.findTeamSettings(teamId);
      return {
        weeklyTarget: row?.weeklyTarget ?? config.weeklyTarget,
        nudgeAfterDays: row?.nudgeAfterDays ?? config.nudgeAfterDays,
        nudgeHour: config.nudgeHour,
        timezone: row?.timezone ?? config.teamTimezone,
        leaderboardChannel: row?.leaderboardChannel ?? config.leaderboardChannel ?? null,
        digestChannel: row?.digestChannel ?? config.digestChannel ?? null,
      };
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
