import type { Repos } from '../db/repos/index.js';
import { lastWeekStarts } from './trends.js';

/** A team week: conversations, and the share of managers who had at least one. */
export interface TeamWeek {
  weekStart: string;
  total: number;
  managersWithOne: number;
  coverage: number;
}

export interface ManagerRow {
  userId: string;
  counts: number[];
  total: number;
  latest: number;
}

export interface TeamTrend {
  weeks: TeamWeek[];
  managerCount: number;
  /** The managers with the most conversations in the latest week (then the rest), at most `listed` of them. */
  managers: ManagerRow[];
  accountsTouched: number;
  target: number;
}

/** Team-wide views for VPs and admins: `/trends team`, the Home snapshot, the digest. */
export function createTeamService(repos: Repos) {
  return {
    /**
     * The team's last `weeks` weeks up to the week of `lastDay`, oldest first. Totals come from the
     * weekly aggregates and only the listed managers' weeks are read, so the cost stays flat as
     * conversations pile up (docs/performance.md). `listed` is how many managers' rows the caller will
     * show (blocks/team.ts teamTableSize for the table; 0 when only the totals are shown).
     */
    async teamTrend(teamId: string, opts: { lastDay: string; weeks: number; target: number; listed: number }): Promise<TeamTrend> {
      const starts = lastWeekStarts(opts.lastDay, opts.weeks);
      const first = starts[0];
      const last = starts[starts.length - 1];
      const managerCount = await repos.managers.countActiveManagers(teamId);
      const totals = new Map((await repos.contacts.listTeamWeekTotals(teamId, first, last)).map((t) => [t.weekStart, t]));
      const weeks = starts.map((w) => {
        const total = totals.get(w)?.total ?? 0;
        const withOne = totals.get(w)?.managers ?? 0;
        return { weekStart: w, total, managersWithOne: withOne, coverage: managerCount ? withOne / managerCount : 0 };
      });
      const index = new Map(starts.map((w, i) => [w, i]));
      const managers = (opts.listed > 0 ? await repos.contacts.listTeamLeaders(teamId, last, opts.listed) : []).map((l) => ({
        ...l,
        total: 0,
        counts: starts.map(() => 0),
      }));
      const byUser = new Map(managers.map((m) => [m.userId, m]));
      for (const c of await repos.contacts.listWeeklyCountsOf(teamId, [...byUser.keys()], first, last)) {
        const m = byUser.get(c.userId);
        const week = index.get(c.weekStart);
        // The query asked for exactly these managers and weeks.
        if (!m || week === undefined) continue;
        m.counts[week] = c.count;
        m.total += c.count;
      }
      // Among those listed: the latest week first, then the whole window, then id.
      managers.sort((a, b) => b.latest - a.latest || b.total - a.total || a.userId.localeCompare(b.userId));
      return {
        weeks,
        managerCount,
        managers,
        accountsTouched: await repos.contacts.countTeamWeekAccounts(teamId, last),
        target: opts.target,
      };
    },

    /**
     * Every active manager's conversations per week for the `weeks` weeks up to the week of
     * `lastDay`, oldest first, zeros included (the digest's heat map picks its rows from these), and
     * when the earliest of them enrolled (so a chart need not open on weeks before the team began).
     * Two queries whatever the team size: the managers, and the weekly aggregates of the window.
     */
    async weeklyGrid(
      teamId: string,
      opts: { lastDay: string; weeks: number },
    ): Promise<{ weeks: string[]; rows: Array<{ userId: string; counts: number[] }>; firstEnrolledAt: number | null }> {
      const starts = lastWeekStarts(opts.lastDay, opts.weeks);
      const index = new Map(starts.map((w, i) => [w, i]));
      const [managers, weekly] = await Promise.all([
        repos.managers.listActiveManagers(teamId),
        repos.contacts.listTeamWeeklyCounts(teamId, starts[0], starts[starts.length - 1]),
      ]);
      const rows = new Map(managers.map((m) => [m.userId, starts.map(() => 0)]));
      for (const c of weekly) {
        const counts = rows.get(c.userId);
        const i = index.get(c.weekStart);
        if (counts && i !== undefined) counts[i] = c.count;
      }
      const firstEnrolledAt = managers.length ? Math.min(...managers.map((m) => m.enrolledAt)) : null;
      return { weeks: starts, rows: [...rows].map(([userId, counts]) => ({ userId, counts })), firstEnrolledAt };
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
