/**
 * Times the weekly jobs' computations (Slack calls excluded) and /trends on a generated scale
 * database, in a process of its own so its peak RSS is its own.
 *
 *   node --import tsx bench/scale.ts <generated.db>   (prints JSON results)
 *
 * Each measurement: one cold run (first touch of the data in this process), one more warm-up,
 * then the median of several runs.
 */

import { leaderboardMessage } from '../src/blocks/leaderboard.js';
import { teamTableSize, teamTrendMessage } from '../src/blocks/team.js';
import { personalTrendMessage } from '../src/blocks/trends.js';
import { composeDigest } from '../src/jobs/digest.js';
import { localDate } from '../src/lib/time.js';
import { weeklyWindow } from '../src/services/schedule.js';
import { BENCH_NOW, benchContext, median, peakRssMb, TEAM, timeRuns } from './common.js';
import { managerId } from './generate.js';

export interface ScaleResult {
  name: string;
  what: string;
  coldMs: number;
  medianMs: number;
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

/** Runs every scale measurement against the database at `path`. */
export async function measureScale(path: string, runs = 7): Promise<ScaleReport> {
  const { ctx, db } = benchContext(path);
  const { services } = ctx;
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const settings = await services.settings.forTeam(TEAM);
  const target = settings.weeklyTarget;
  const week = weeklyWindow(BENCH_NOW, settings.timezone, 9, 0).reportWeek;
  const today = localDate(BENCH_NOW, settings.timezone);
  const counts = db.prepare('SELECT (SELECT COUNT(*) FROM managers), (SELECT COUNT(*) FROM contacts)').raw().get() as [number, number];
  // The busiest manager is the worst case for a personal trend.
  const busiest =
    (db
      .prepare('SELECT user_id FROM contacts WHERE team_id = ? AND week_start = ? GROUP BY user_id ORDER BY COUNT(*) DESC LIMIT 1')
      .pluck()
      .get(TEAM, week) as string | undefined) ?? managerId(0);

  const results: ScaleResult[] = [];
  const measure = async (name: string, what: string, targetMs: number, fn: () => Promise<string>) => {
    let detail = '';
    const t = await timeRuns(
      async () => {
        detail = await fn();
      },
      { warmup: 2, runs },
    );
    results.push({ name, what, coldMs: t.first, medianMs: median(t.runs), maxMs: Math.max(...t.runs), targetMs, detail });
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
  await measure('/trends team', 'ctx.services.team.teamTrend, 8 weeks + blocks', 10, async () => {
    const t = await services.team.teamTrend(TEAM, { lastDay: today, weeks: 8, target, listed: teamTableSize(8) });
    teamTrendMessage(t);
    return `${t.managerCount} managers, ${t.weeks.reduce((s, w) => s + w.total, 0)} conversations`;
  });
  await measure('/trends team 52', 'ctx.services.team.teamTrend, 52 weeks + blocks', 10, async () => {
    const t = await services.team.teamTrend(TEAM, { lastDay: today, weeks: 52, target, listed: teamTableSize(52) });
    teamTrendMessage(t);
    return `${t.weeks.reduce((s, w) => s + w.total, 0)} conversations`;
  });
  db.close();
  return { results, baselineRssMb, peakRssMb: peakRssMb(), managers: counts[0], contacts: counts[1] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: node --import tsx bench/scale.ts <generated.db>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await measureScale(path))}\n`);
}
