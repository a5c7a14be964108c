import type { Repos } from '../db/repos/index.js';
import { addDays } from '../lib/time.js';
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
  managers: ManagerRow[];
  accountsTouched: number;
  target: number;
}

/** Team-wide views for VPs and admins: `/trends team`, the Home snapshot, the digest. */
export function createTeamService(repos: Repos) {
  return {
    /** The team's last `weeks` weeks up to the week of `lastDay`, oldest first. */
    teamTrend(teamId: string, opts: { lastDay: string; weeks: number; target: number }): TeamTrend {
      const starts = lastWeekStarts(opts.lastDay, opts.weeks);
      const index = new Map(starts.map((w, i) => [w, i]));
      const managers = repos.managers.listActiveManagers(teamId);
      const rows = new Map(managers.map((m) => [m.userId, { userId: m.userId, counts: starts.map(() => 0), total: 0, latest: 0 }]));
      for (const r of repos.contacts.listTeamWeeklyCounts(teamId, starts[0], starts[starts.length - 1])) {
        const row = rows.get(r.userId);
        const i = index.get(r.weekStart);
        if (!row || i === undefined) continue;
        row.counts[i] = r.count;
      }
      const weeks = starts.map((w, i) => {
        let total = 0;
        let withOne = 0;
        for (const row of rows.values()) {
          total += row.counts[i];
          if (row.counts[i] > 0) withOne++;
        }
        return { weekStart: w, total, managersWithOne: withOne, coverage: managers.length ? withOne / managers.length : 0 };
      });
      for (const row of rows.values()) {
        row.total = row.counts.reduce((s, n) => s + n, 0);
        row.latest = row.counts[row.counts.length - 1];
      }
      const last = starts[starts.length - 1];
      return {
        weeks,
        managerCount: managers.length,
        managers: [...rows.values()].sort((a, b) => b.latest - a.latest || b.total - a.total || a.userId.localeCompare(b.userId)),
        accountsTouched: repos.contacts.countTeamDistinctAccounts(teamId, last, addDays(last, 6)),
        target: opts.target,
      };
    },
  };
}

export type TeamService = ReturnType<typeof createTeamService>;
