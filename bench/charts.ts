/**
 * Charts: render time of each chart at 60 managers × 12 weeks (p50 / p95 over many runs, PNG size),
 * and the digest and leaderboard jobs end to end for 10,000 managers against the fake Slack (text
 * post + chart drawing + the external upload flow), in a process of its own.
 *
 *   node --import tsx bench/charts.ts [scratch.db]   (prints a JSON line; npm run bench -- --only charts)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Chart, heatMapChart, leaderboardChart, personalChart, teamTrendChart } from '../src/charts/index.js';
import { runDigest } from '../src/jobs/digest.js';
import { runLeaderboard } from '../src/jobs/leaderboard.js';
import { heatMap64, leaderboard, managers, personal, teamTrend, WEEKS_12 } from '../test/charts/fixtures.js';
import { startFakeSlack } from '../test/kit/fake-slack.js';
import { BENCH_NOW, benchContext, median, quantile } from './common.js';
import { generateDatabase } from './generate.js';

export const CHART_P95_TARGET_MS = 100;
export const JOB_TARGET_MS = 2000;

export interface ChartTiming {
  chart: string;
  p50: number;
  p95: number;
  max: number;
  /** CPU time of this process per render (user + system), which other load on the machine inflates far less. */
  cpuP50: number;
  cpuP95: number;
  bytes: number;
  pixels: string;
}

export interface JobTiming {
  job: string;
  coldMs: number;
  medianMs: number;
  maxMs: number;
  /** CPU time of this process (app and fake Slack share it) for the median run. */
  cpuMedianMs: number;
  detail: string;
}

export interface ChartsReport {
  /** 1-minute load average when the measurements started (2 cores shared with other work). */
  load: number;
  charts: ChartTiming[];
  jobs: JobTiming[];
  managers: number;
  contacts: number;
}

function timeChart(name: string, draw: () => Chart, runs = 40): ChartTiming {
  let chart = draw();
  for (let i = 0; i < 3; i++) draw();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    chart = draw();
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const png = chart.png;
  return {
    chart: name,
    p50: median(times),
    p95: quantile(times, 0.95),
    max: Math.max(...times),
    cpuP50: median(cpu),
    cpuP95: quantile(cpu, 0.95),
    bytes: png.length,
    pixels: `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`,
  };
}

const SYLLABLES = 'an bo ca del eri fa gus hil ira jo ka lin mo nes ol pe qui ra sol ta ul vi wen xa yo zen'.split(' ');
let nameSeed = 0;

/**
 * 60 managers whose names no chart has drawn before (a new team's first digest): made-up
 * "Forename Surname" strings from syllables, plus a per-call number, so every call is a cache miss.
 */
function newTeam(): Array<{ label: string; counts: number[] }> {
  const run = nameSeed++;
  const word = (k: number, len: number) => {
    let w = '';
    for (let i = 0; i < len; i++) w += SYLLABLES[(k * 7 + i * 11 + run * 5) % SYLLABLES.length];
    return w.charAt(0).toUpperCase() + w.slice(1);
  };
  return managers(60).map((m, i) => ({ ...m, label: `${word(i, 2)} ${word(i * 3 + 1, 3)} ${run}.${i}` }));
}

/** Every chart drawn from 60 managers × 12 weeks (the heat map from 60 rows, so two full panels). */
export function measureCharts(): ChartTiming[] {
  const sixty = managers(60);
  const weeks12 = { ...teamTrend, managerCount: 60 };
  return [
    timeChart('team trend (12 weeks, 60 managers)', () => teamTrendChart(weeks12)),
    timeChart('heat map (60 managers × 12 weeks)', () =>
      heatMapChart({ ...heatMap64, rows: sixty, topAndBottom: false, managerCount: 60 }),
    ),
    timeChart('heat map 60×12, first render (60 new names each run)', () =>
      heatMapChart({ ...heatMap64, rows: newTeam(), topAndBottom: false, managerCount: 60 }),
    ),
    timeChart('heat map (top/bottom 30 of 64)', () => heatMapChart(heatMap64)),
    timeChart('leaders (top 10 of 60)', () => leaderboardChart({ ...leaderboard, managerCount: 60 })),
    timeChart('personal (12 weeks)', () =>
      personalChart({ ...personal, weeks: WEEKS_12.map((weekStart, i) => ({ weekStart, count: (i * 5) % 7 })) }),
    ),
  ];
}

/** The digest and leaderboard jobs for 10,000 managers, end to end against the fake Slack. */
export async function measureJobs(path: string, runs = 5): Promise<{ jobs: JobTiming[]; managers: number; contacts: number }> {
  if (!existsSync(path)) await generateDatabase(path, { managers: 10_000, contacts: 250_000, weeks: 16 });
  const fake = await startFakeSlack({ defaultTz: 'UTC' });
  try {
    const now = BENCH_NOW + 30 * 60_000; // Monday 09:35 UTC: both posts due
    const { ctx, db } = benchContext(path, {
      now,
      env: { SLACK_API_URL: fake.apiUrl, DIGEST_CHANNEL: 'CDIGEST', LEADERBOARD_CHANNEL: 'CLEAD' },
    });
    const [managerCount, contacts] = db.prepare('SELECT (SELECT COUNT(*) FROM managers), (SELECT COUNT(*) FROM contacts)').raw().get() as [
      number,
      number,
    ];
    const jobs: JobTiming[] = [];
    for (const [job, run] of [
      ['digest', runDigest],
      ['leaderboard', runLeaderboard],
    ] as const) {
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i <= runs; i++) {
        fake.reset();
        const c = process.cpuUsage();
        const t = performance.now();
        const report = await run(ctx, now, { force: true });
        times.push(performance.now() - t);
        const used = process.cpuUsage(c);
        cpu.push((used.user + used.system) / 1000);
        const completed = fake.callsTo('files.completeUploadExternal').filter((c) => c.response?.ok);
        if (report.posted.length !== 1 || completed.length !== 1) throw new Error(`${job}: expected one post and one chart share`);
      }
      const files = fake
        .callsTo('files.getUploadURLExternal')
        .map((c) => `${c.args.filename} ${(Number(c.args.length) / 1024).toFixed(0)} KB`);
      const warm = times.slice(1);
      jobs.push({
        job,
        coldMs: times[0],
        medianMs: median(warm),
        maxMs: Math.max(...warm),
        cpuMedianMs: median(cpu.slice(1)),
        detail: `1 post + ${files.join(', ')}`,
      });
    }
    db.close();
    return { jobs, managers: managerCount, contacts };
  } finally {
    await fake.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const given = process.argv[2];
  const dir = given ? null : mkdtempSync(join(tmpdir(), 'gemba-bench-charts-'));
  const path = given ?? join(dir as string, 'charts.db');
  try {
    const load = loadavg()[0];
    const charts = measureCharts();
    const { jobs, managers: m, contacts } = await measureJobs(path);
    const report: ChartsReport = { load, charts, jobs, managers: m, contacts };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
