import type { ContactKind } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import { addDays, weekStart } from '../lib/time.js';
import { frozenWeeksOf } from './snoozes.js';

/** Weeks `/trends` shows when none are asked for, and the most it accepts. */
export const DEFAULT_TREND_WEEKS = 8;
export const MAX_TREND_WEEKS = 52;

/** One week of a manager's habit. */
export interface WeekCount {
  weekStart: string;
  count: number;
}

/** A manager's trend as /trends and the Home tab show it. */
export interface PersonalTrend {
  /** Oldest first; the last entry is the current (possibly unfinished) week. */
  weeks: WeekCount[];
  thisWeek: number;
  target: number;
  streak: number;
  distinctAccounts: number;
  byKind: Record<ContactKind, number>;
  total: number;
}

/** How far back a streak is followed. Two years is longer than any streak worth counting exactly. */
export const STREAK_LOOKBACK_WEEKS = 104;

/** The Mondays of the `n` weeks ending with the week of `today`, oldest first. */
export function lastWeekStarts(today: string, n: number): string[] {
  const current = weekStart(today);
  return Array.from({ length: n }, (_, i) => addDays(current, -7 * (n - 1 - i)));
}

/**
 * Consecutive weeks at or above target, counting back from the current week. The current week
 * only adds to the streak once it reaches target; while it is still short it does not break it,
 * because the week is not over. Frozen weeks (snoozed) neither add nor break.
 *
 * Example, target 3, current week 2025-06-16 with 1 so far; earlier weeks 06-09: 3, 06-02: frozen,
 * 05-26: 4, 05-19: 0 → streak 2 (06-09 and 05-26; 06-02 is skipped; 05-19 ends it).
 */
export function computeStreak(
  counts: ReadonlyMap<string, number>,
  currentWeek: string,
  target: number,
  frozenWeeks: ReadonlySet<string> = new Set(),
  lookbackWeeks = STREAK_LOOKBACK_WEEKS,
): number {
  let streak = 0;
  for (let i = 0; i < lookbackWeeks; i++) {
    const week = addDays(currentWeek, -7 * i);
    const count = counts.get(week) ?? 0;
    if (count >= target) streak++;
    else if (i === 0 || frozenWeeks.has(week)) continue;
    else break;
  }
  return streak;
}

/**
 * What computeStreak needs for a streak ending with `week` (a Monday): the manager's weekly counts and
 * snoozed (frozen) weeks over the STREAK_LOOKBACK_WEEKS up to that week.
 */
export async function loadStreakHistory(
  repos: Repos,
  teamId: string,
  userId: string,
  week: string,
): Promise<{ counts: Map<string, number>; frozen: Set<string> }> {
  const from = addDays(week, -7 * (STREAK_LOOKBACK_WEEKS - 1));
  const [weekly, snoozes] = await Promise.all([
    repos.contacts.listWeeklyCounts(teamId, userId, from, week),
    repos.snoozes.listSnoozesBetween(teamId, userId, from, addDays(week, 6)),
  ]);
  return { counts: new Map(weekly.map((w) => [w.weekStart, w.count])), frozen: frozenWeeksOf(snoozes) };
}

const SPARK = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of counts, scaled to the largest (all zeros → a flat baseline). */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 ? SPARK[0] : SPARK[Math.round((c / max) * (SPARK.length - 1))])).join('');
}

/** Computes personal trends from stored conversations. */
export function createTrendService(repos: Repos) {
  return {
    /**
     * Just this week's count and the streak, for the /contact confirmation: the part of
     * personalTrend a confirmation shows, without the per-kind and account counts, because it
     * runs before every ack.
     */
    async weekAndStreak(
      teamId: string,
      userId: string,
      opts: { today: string; target: number },
    ): Promise<{ thisWeek: number; streak: number }> {
      const current = weekStart(opts.today);
      const { counts, frozen } = await loadStreakHistory(repos, teamId, userId, current);
      return { thisWeek: counts.get(current) ?? 0, streak: computeStreak(counts, current, opts.target, frozen) };
    },

    /**
     * The manager's last `weeks` weeks up to the week containing `today` (their local date).
     * Weeks they spent snoozed freeze the streak.
     */
    async personalTrend(teamId: string, userId: string, opts: { today: string; weeks: number; target: number }): Promise<PersonalTrend> {
      const starts = lastWeekStarts(opts.today, Math.max(opts.weeks, 1));
      const current = starts[starts.length - 1];
      const streakFrom = addDays(current, -7 * (STREAK_LOOKBACK_WEEKS - 1));
      // Dates 'YYYY-MM-DD' order as strings: the earlier of the two.
      const from = [starts[0], streakFrom].sort()[0];
      const windowEnd = addDays(current, 6);
      const [weekly, kinds, snoozes, distinctAccounts] = await Promise.all([
        repos.contacts.listWeeklyCounts(teamId, userId, from, current),
        repos.contacts.countByKind(teamId, userId, starts[0], windowEnd),
        repos.snoozes.listSnoozesBetween(teamId, userId, from, windowEnd),
        repos.contacts.countDistinctAccounts(teamId, userId, starts[0], windowEnd),
      ]);
      const counts = new Map(weekly.map((w) => [w.weekStart, w.count]));
      const weeks = starts.map((w) => ({ weekStart: w, count: counts.get(w) ?? 0 }));
      const byKind: Record<ContactKind, number> = { call: 0, video: 0, meeting: 0, visit: 0, other: 0 };
      for (const { kind, count } of kinds) byKind[kind] = count;
      return {
        weeks,
        thisWeek: counts.get(current) ?? 0,
        target: opts.target,
        streak: computeStreak(counts, current, opts.target, frozenWeeksOf(snoozes)),
        distinctAccounts,
        byKind,
        total: weeks.reduce((s, w) => s + w.count, 0),
      };
    },
  };
}

export type TrendService = ReturnType<typeof createTrendService>;
