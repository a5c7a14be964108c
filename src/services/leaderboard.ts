import type { Repos } from '../db/repos/index.js';
import { addDays } from '../lib/time.js';
import { computeStreak, loadStreakHistory } from './trends.js';

export const LEADERBOARD_SIZE = 10;
/** "Most improved" compares a week with the manager's own average of this many weeks before it. */
export const IMPROVEMENT_BASELINE_WEEKS = 4;

export interface LeaderboardEntry {
  rank: number;
  userId: string;
  count: number;
  accounts: number;
  streak: number;
}

/** A week's standings. People at zero are only counted, never listed. */
export interface Leaderboard {
  weekStart: string;
  entries: LeaderboardEntry[];
  mostImproved: { userId: string; count: number; baseline: number } | null;
  teamTotal: number;
  previousTotal: number;
  managerCount: number;
  zeroCount: number;
  /**
   * Managers tied with someone listed (same conversations and accounts) who did not fit in the top
   * LEADERBOARD_SIZE: counted, so a cut in the middle of a tie is said, not hidden.
   * Example: twelve at 3 conversations with 1 account → ten listed, tiedUnlisted 2.
   */
  tiedUnlisted: number;
  target: number;
}

/**
 * Orders managers by conversations, then distinct accounts; equal on both share a rank.
 * Ties beyond that are listed in a stable (user id) order so the post does not shuffle.
 */
export function rankEntries(
  rows: Array<{ userId: string; count: number; accounts: number }>,
): Array<{ rank: number; userId: string; count: number; accounts: number }> {
  const sorted = rows
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || b.accounts - a.accounts || a.userId.localeCompare(b.userId));
  let rank = 0;
  return sorted.map((r, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.count !== r.count || prev.accounts !== r.accounts) rank = i + 1;
    return { ...r, rank };
  });
}

/**
 * The manager whose week beats their own previous-four-week average by the most (only a
 * positive gain counts, and only someone who logged something that week).
 * Example: weeks 1,0,2,1 then 5 → baseline 1.0, gain 4.
 */
export function pickMostImproved(
  current: ReadonlyMap<string, number>,
  history: ReadonlyMap<string, number[]>,
): { userId: string; count: number; baseline: number } | null {
  let best: { userId: string; count: number; baseline: number; gain: number } | null = null;
  for (const [userId, count] of [...current.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (count <= 0) continue;
    const past = history.get(userId) ?? [];
    const baseline = past.reduce((s, n) => s + n, 0) / IMPROVEMENT_BASELINE_WEEKS;
    const gain = count - baseline;
    if (gain > 0 && (!best || gain > best.gain)) best = { userId, count, baseline, gain };
  }
  return best && { userId: best.userId, count: best.count, baseline: best.baseline };
}

/** Computes weekly standings from stored conversations. */
export function createLeaderboardService(repos: Repos) {
  return {
    /**
     * The standings for the week starting on Monday `weekStart`. Slack calls excluded. `complete`:
     * the week is over (the Monday post, `/leaderboard last`), so a streak must include it.
     */
    async compute(teamId: string, week: string, target: number, opts: { complete?: boolean } = {}): Promise<Leaderboard> {
      const baselineFrom = addDays(week, -7 * IMPROVEMENT_BASELINE_WEEKS);
      const [managers, rows, accounts] = await Promise.all([
        repos.managers.listActiveManagers(teamId),
        repos.contacts.listTeamWeeklyCounts(teamId, baselineFrom, week),
        repos.contacts.listWeekAccountCounts(teamId, week),
      ]);
      const active = new Set(managers.map((m) => m.userId));
      const thisWeek = new Map<string, { count: number; accounts: number }>();
      const history = new Map<string, number[]>();
      const previousWeek = addDays(week, -7);
      let teamTotal = 0;
      let previousTotal = 0;
      // One pass over every manager-week of the team (50,000 rows at 10,000 managers): nothing per row but the row.
      for (const r of rows) {
        if (!active.has(r.userId)) continue;
        if (r.weekStart === week) {
          thisWeek.set(r.userId, { count: r.count, accounts: accounts.get(r.userId) ?? 0 });
          teamTotal += r.count;
        } else {
          if (r.weekStart === previousWeek) previousTotal += r.count;
          const past = history.get(r.userId);
          if (past) past.push(r.count);
          else history.set(r.userId, [r.count]);
        }
      }
      const ranked = rankEntries([...thisWeek.entries()].map(([userId, v]) => ({ userId, ...v })));
      const top = ranked.filter((r) => r.rank <= LEADERBOARD_SIZE).slice(0, LEADERBOARD_SIZE);
      const lastListed = top[top.length - 1];
      const tiedUnlisted = lastListed ? ranked.slice(top.length).filter((r) => r.rank === lastListed.rank).length : 0;
      // Streaks only for the people named, so the query cost does not grow with the team.
      const entries = await Promise.all(
        top.map(async (r) => ({ ...r, streak: await streakAt(teamId, r.userId, week, target, opts.complete ?? false) })),
      );
      return {
        weekStart: week,
        entries,
        mostImproved: pickMostImproved(new Map([...thisWeek].map(([u, v]) => [u, v.count])), history),
        teamTotal,
        previousTotal,
        managerCount: managers.length,
        zeroCount: managers.filter((m) => !thisWeek.has(m.userId)).length,
        tiedUnlisted,
        target,
      };
    },
  };

  async function streakAt(teamId: string, userId: string, week: string, target: number, complete: boolean): Promise<number> {
    const { counts, frozen } = await loadStreakHistory(repos, teamId, userId, week);
    // computeStreak forgives the current week for being short because it is not over. A finished
    // week is judged as of the Monday after it: e.g. 1 of 3 last week after two weeks at 3 → streak 0,
    // not a "2-week streak" (the week after has no counts loaded, so it adds nothing).
    return computeStreak(counts, complete ? addDays(week, 7) : week, target, frozen);
  }
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
