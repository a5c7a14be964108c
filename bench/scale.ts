/**
 * Times the weekly jobs' computations (Slack calls excluded) and /trends on a generated scale
 * database, in a process of its own so its peak RSS is its own.
 *
 *   node --import tsx bench/scale.ts <generated.db>   (prints JSON results)
 *
 * Each measurement: one cold run (first touch of the data in this process), one more warm-up,
 * then the median (and p95) of several runs. `measureContext` is engine-neutral: bench/pg-scale.ts
 * runs the same measurements on PostgreSQL through the same services.
 */

import { leaderboardMessage } from '../src/blocks/leaderboard.js';
import { teamTableSize, teamTrendMessage } from '../src/blocks/team.js';
import { personalTrendMessage } from '../src/blocks/trends.js';
import type { AppContext } from '../src/context.js';
import { composeDigest } from '../src/jobs/digest.js';
import { localDate } from '../src/lib/time.js';
import { weeklyWindow } from '../src/services/schedule.js';
import { BENCH_NOW, benchContext, median, peakRssMb, quantile, TEAM, timeRuns } from './common.js';
import { managerId } from './generate.js';

export interface ScaleResult {
  name: string;
  what: string;
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  targetMs: number;
  detail: string;
}

export interface ScaleReport {
  results: ScaleResult[];
  /** RSS once the modules are loaded and the database is open, before any measurement. */
  baselineRssMb: number;
  peakRssMb: number;
  managers: number;
  contacts: number;
}

/** The report week and local day every measurement uses (Monday 09:05 UTC: last week is complete). */
export async function benchWeek(ctx: AppContext): Promise<{ week: string; today: string; target: number }> {
  const settings = await ctx.services.settings.forTeam(TEAM);
  return {
    week: weeklyWindow(BENCH_NOW, settings.timezone, 9, 0).reportWeek,
    today: localDate(BENCH_NOW, settings.timezone),
    target: settings.weeklyTarget,
  };
}

/** Runs every scale measurement against the database at `path`. */
export async function measureScale(path: string, runs = 7): Promise<ScaleReport> {
  const { ctx, db } = benchContext(path);
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const { week } = await benchWeek(ctx);
  const counts = db.prepare('SELECT (SELECT COUNT(*) FROM managers), (SELECT COUNT(*) FROM contacts)').raw().get() as [number, number];
  // The busiest manager is the worst case for a personal trend.
  const busiest =
    (db
      .prepare('SELECT user_id FROM contacts WHERE team_id = ? AND week_start = ? GROUP BY user_id ORDER BY COUNT(*) DESC LIMIT 1')
      .pluck()
      .get(TEAM, week) as string | undefined) ?? managerId(0);
  const results = await measureContext(ctx, { managers: counts[0], busiest }, runs);
  db.close();
  return { results, baselineRssMb, peakRssMb: peakRssMb(), managers: counts[0], contacts: counts[1] };
}

/**
 * The measurements themselves, through the app's services on whatever storage `ctx` has: the
 * weekly jobs' selections (leaderboard, digest, nudges) and /trends (personal and team).
 */
export async function measureContext(ctx: AppContext, data: { managers: number; busiest: string }, runs = 7): Promise<ScaleResult[]> {
  // Issue 11: on PostgreSQL every read is a round trip to another process; /trends team gets 30 ms there.
  const teamTargetMs = ctx.storage.engine === 'postgres' ? 30 : 10;
  const { services } = ctx;
  const { week, today, target } = await benchWeek(ctx);
  const { busiest } = data;
  const counts = [data.managers];

  const results: ScaleResult[] = [];
  const measure = async (name: string, what: string, targetMs: number, fn: () => Promise<string>) => {
    let detail = '';
    const t = await timeRuns(
      async () => {
        detail = await fn();
      },
      { warmup: 2, runs },
    );
    results.push({
      name,
      what,
      coldMs: t.first,
      medianMs: median(t.runs),
      p95Ms: quantile(t.runs, 0.95),
      maxMs: Math.max(...t.runs),
      targetMs,
      detail,
    });
  };

  await measure('leaderboard', 'ctx.services.leaderboard.compute (last week) + blocks', 1000, async () => {
    const lb = await services.leaderboard.compute(TEAM, week, target);
    leaderboardMessage(lb, { title: 'Weekly leaderboard', inProgress: false });
    return `${lb.entries.length} named, ${lb.zeroCount} at zero, total ${lb.teamTotal}`;
  });
  await measure('digest', 'composeDigest (digest.compute + tactics + blocks)', 1000, async () => {
    const m = await composeDigest(ctx, TEAM, week, BENCH_NOW);
    return `${m.blocks?.length ?? 0} blocks; ${m.text.slice(m.text.indexOf(':') + 2)}`;
  });
  await measure('nudge selection', 'ctx.services.nudges.selectDueNudges at Mon 09:05 UTC', 1000, async () => {
    const due = await services.nudges.selectDueNudges(TEAM, BENCH_NOW);
    return `${due.length} of ${counts[0]} managers due`;
  });
  await measure('/trends (one manager)', 'ctx.services.trends.personalTrend, 8 weeks + blocks', 10, async () => {
    const t = await services.trends.personalTrend(TEAM, busiest, { today, weeks: 8, target });
    personalTrendMessage(t);
    return `${busiest}: ${t.total} in 8 weeks, streak ${t.streak}`;
  });
  await measure('/trends 52 (one manager)', 'ctx.services.trends.personalTrend, 52 weeks + blocks', 10, async () => {
    const t = await services.trends.personalTrend(TEAM, busiest, { today, weeks: 52, target });
    personalTrendMessage(t);
    return `${t.total} in 52 weeks`;
  });
  await measure('/trends team', 'ctx.services.team.teamTrend, 8 weeks + blocks', teamTargetMs, async () => {
    const t = await services.team.teamTrend(TEAM, { lastDay: today, weeks: 8, target, listed: teamTableSize(8) });
    teamTrendMessage(t);
    return `${t.managerCount} managers, ${t.weeks.reduce((s, w) => s + w.total, 0)} conversations`;
  });
  await measure('/trends team 52', 'ctx.services.team.teamTrend, 52 weeks + blocks', teamTargetMs, async () => {
    const t = await services.team.teamTrend(TEAM, { lastDay: today, weeks: 52, target, listed: teamTableSize(52) });
    teamTrendMessage(t);
    return `${t.weeks.reduce((s, w) => s + w.total, 0)} conversations`;
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: node --import tsx bench/scale.ts <generated.db>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await measureScale(path))}\n`);
}
