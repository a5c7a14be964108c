import type { ContactRow } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import type { SnoozeReason } from '../db/repos/snoozes.js';
import { addDays, daysBetween, localDate } from '../lib/time.js';
import { WEEKLY_POSTS, weeklyWindow } from './schedule.js';
import type { SettingsService } from './settings.js';
import type { DigestTactics, TacticService } from './tactics.js';
import type { TeamService, TeamTrend } from './team.js';

/** A manager is quiet after this many days without a conversation… */
export const QUIET_AFTER_DAYS = 14;
/** …or after ignoring this many nudges in a row. */
export const IGNORED_NUDGES = 3;
export const DIGEST_WEEKS = 8;
export const DIGEST_INSIGHTS = 5;

export interface QuietManager {
  userId: string;
  /** Days since the last conversation, or null when they never logged one. */
  daysQuiet: number | null;
  ignoredNudges: boolean;
  /** The latest reason they gave from a nudge (PTO, travelling, pipeline reset), if any. */
  reason: SnoozeReason | null;
}

export interface DigestData {
  reportWeek: string;
  trend: TeamTrend;
  insights: ContactRow[];
  quiet: QuietManager[];
  /** Managers currently paused, with the reason they gave. */
  snoozed: Array<{ userId: string; reason: SnoozeReason; endsOn: string }>;
}

/** Everything the VP digest shows: the team's week, and the tactics past the anonymity threshold. */
export interface DigestContent {
  data: DigestData;
  tactics: DigestTactics;
}

/** Gathers the VP digest's content (Slack calls excluded); blocks/digest.ts renders it. */
export function createDigestService(deps: {
  repos: Repos;
  team: TeamService;
  settings: SettingsService;
  tactics: TacticService;
  /** Reporters a tactic needs before the digest shows it (config.anonymityMinReports). */
  minReports: number;
}) {
  const { repos, team } = deps;
  const service = {
    /** The digest about the week starting `reportWeek`, as of `now`, in the team's time zone and target. */
    async forWeek(teamId: string, reportWeek: string, now: number): Promise<DigestContent> {
      const settings = await deps.settings.forTeam(teamId);
      const [data, tactics] = await Promise.all([
        service.compute(teamId, {
          reportWeek,
          today: localDate(now, settings.timezone),
          target: settings.weeklyTarget,
          now,
          timezone: settings.timezone,
        }),
        deps.tactics.digestTactics(teamId, deps.minReports),
      ]);
      return { data, tactics };
    },

    /** The digest a post made at `now` would carry (`/gemba digest preview`): the week before this one. */
    async current(teamId: string, now: number): Promise<DigestContent> {
      const { timezone } = await deps.settings.forTeam(teamId);
      const { hour, minute } = WEEKLY_POSTS.digest;
      return service.forWeek(teamId, weeklyWindow(now, timezone, hour, minute).reportWeek, now);
    },

    /**
     * The digest for the week starting `reportWeek`, as seen on `today` (team-local date).
     * Example: posted Mon 2026-11-30 → reportWeek 2026-11-23, trend 2026-10-05 … 2026-11-23.
     */
    async compute(
      teamId: string,
      p: { reportWeek: string; today: string; target: number; now: number; timezone: string },
    ): Promise<DigestData> {
      const [trend, insights, active, quiet] = await Promise.all([
        // The digest shows the team's totals, not the per-manager table.
        team.teamTrend(teamId, { lastDay: p.reportWeek, weeks: DIGEST_WEEKS, target: p.target, listed: 0 }),
        repos.contacts.listRecentInsights(teamId, addDays(p.today, -QUIET_AFTER_DAYS), DIGEST_INSIGHTS),
        repos.snoozes.listActiveSnoozes(teamId, p.today),
        service.quietManagers(teamId, p),
      ]);
      const snoozed = active
        .map((s) => ({ userId: s.userId, reason: s.reason, endsOn: s.endsOn }))
        .sort((a, b) => a.userId.localeCompare(b.userId));
      return { reportWeek: p.reportWeek, trend, insights, quiet, snoozed };
    },

    /**
     * Active managers who have gone quiet as of `today` (team-local): no conversation in the last
     * 14 days (and enrolled at least that long), or their last 3 nudges ignored. Longest-quiet first.
     * Shared by the digest and the Home tab's team snapshot so both count the same people.
     */
    async quietManagers(teamId: string, p: { today: string; now: number; timezone: string }): Promise<QuietManager[]> {
      const [managers, recent, candidates, snoozes] = await Promise.all([
        repos.managers.listActiveManagers(teamId),
        repos.contacts.listUsersActiveSince(teamId, addDays(p.today, -(QUIET_AFTER_DAYS - 1))),
        repos.nudges.listUsersWithUnansweredNudges(teamId, p.now - 30 * 86_400_000, IGNORED_NUDGES),
        repos.snoozes.listTeamSnoozesBetween(teamId, addDays(p.today, -30), p.today),
      ]);
      // Independent reads per candidate, side by side (PostgreSQL's pool answers them in parallel).
      const ignored = await Promise.all(
        candidates.map(async (u) => {
          const last = await repos.nudges.listRecentNudges(teamId, u, IGNORED_NUDGES);
          return (
            last.length === IGNORED_NUDGES &&
            last.every((n) => !n.answered) &&
            !(await repos.contacts.hasLoggedAfter(teamId, u, last[IGNORED_NUDGES - 1].sentAt))
          );
        }),
      );
      const ignoring = new Set(candidates.filter((_, i) => ignored[i]));
      const latestReason = new Map<string, SnoozeReason>();
      for (const s of [...snoozes].sort((a, b) => a.createdAt - b.createdAt))
        if (s.reason !== 'snooze') latestReason.set(s.userId, s.reason);
      const quietIds = managers
        .filter(
          (m) =>
            ignoring.has(m.userId) ||
            (!recent.has(m.userId) && daysBetween(localDate(m.enrolledAt, p.timezone), p.today) >= QUIET_AFTER_DAYS),
        )
        .map((m) => m.userId);
      // Their last conversation dates in one read (one round trip on PostgreSQL, not one per manager).
      const lastOf = await repos.contacts.findLastContactDates(teamId, quietIds);
      const quiet: QuietManager[] = quietIds.map((userId) => {
        const last = lastOf.get(userId);
        return {
          userId,
          daysQuiet: last ? daysBetween(last, p.today) : null,
          ignoredNudges: ignoring.has(userId),
          reason: latestReason.get(userId) ?? null,
        };
      });
      quiet.sort((a, b) => (b.daysQuiet ?? Infinity) - (a.daysQuiet ?? Infinity) || a.userId.localeCompare(b.userId));
      return quiet;
    },
  };
  return service;
}

export type DigestService = ReturnType<typeof createDigestService>;
