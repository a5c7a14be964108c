/**
 * `npm run bench`: ack latency against the bare-Bolt floor, scale at 10,000 managers and
 * 1,000,000 conversations, and a rate-limited nudge fan-out to 10,000 managers. Prints markdown
 * tables and writes them to bench/results.md. Not part of `npm test`.
 *
 *   npm run bench                      # everything (a few minutes on 2 cores)
 *   npm run bench -- --only ack,scale  # some parts
 *   npm run bench -- --db /tmp/x.db    # keep (or reuse, with --reuse) the generated database
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AckResult, DEFAULT_ACK, runAckBench, TSX } from './ack.js';
import { CHART_P95_TARGET_MS, type ChartsReport, JOB_TARGET_MS } from './charts.js';
import { fmtMs } from './common.js';
import { DEFAULT_FANOUT, type FanoutResult, runFanoutBench } from './fanout.js';
import type { GenerateStats } from './generate.js';
import type { ScaleReport } from './scale.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ACK_RATIO_TARGET = 2;
const RSS_TARGET_MB = 300;

function args(): { only: Set<string>; db: string | null; reuse: boolean } {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? null : (argv[i + 1] ?? null);
  };
  const only = value('--only');
  return { only: new Set((only ?? 'ack,scale,fanout,charts').split(',')), db: value('--db'), reuse: argv.includes('--reuse') };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Runs a bench script in a process of its own and parses the JSON line it prints. */
async function runChild<T>(script: string, scriptArgs: string[]): Promise<T> {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script), ...scriptArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

function machine(): string {
  const cpuModel = (() => {
    try {
      return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
    } catch {
      return cpus()[0]?.model ?? 'unknown';
    }
  })();
  return `${cpus().length} cores (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform} ${process.arch}`;
}

const ok = (met: boolean) => (met ? 'met' : '**missed**');
const x = (n: number) => `${n.toFixed(2)}×`;

function ackTable(results: AckResult[]): string {
  const rows = [
    '| app | concurrency | requests × rounds | p50 | p99 | mean | req/s | app CPU per request | p50 / floor | p99 / floor | target (≤ 2× floor) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const ratios = r.p50Ratio === null || r.p99Ratio === null ? null : { p50: r.p50Ratio, p99: r.p99Ratio };
    rows.push(
      `| ${r.app} | ${r.concurrency} | ${r.requests} × ${r.rounds.length}${r.errors ? ` (${r.errors} errors)` : ''} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${fmtMs(r.mean)} | ${Math.round(r.rps)} | ${r.cpuMs === null ? 'n/a' : fmtMs(r.cpuMs)} | ${ratios ? x(ratios.p50) : '1'} | ${ratios ? x(ratios.p99) : '1'} | ${ratios ? ok(ratios.p50 <= ACK_RATIO_TARGET && ratios.p99 <= ACK_RATIO_TARGET && r.errors === 0) : ''} |`,
    );
  }
  const perRound = results
    .filter((r) => r.p50Ratio !== null)
    .map((r) => {
      const floor = results.find((f) => f.p50Ratio === null && f.concurrency === r.concurrency)!;
      return `c=${r.concurrency}: ${r.rounds.map((g, i) => `${x(g.p50 / floor.rounds[i].p50)} / ${x(g.p99 / floor.rounds[i].p99)}`).join(', ')}`;
    });
  return `${rows.join('\n')}\n\nValues are medians over the rounds; each ratio is the median of per-round ratios (p50 / p99 per round: ${perRound.join('; ')}).`;
}

function scaleTable(gen: GenerateStats, s: ScaleReport): string {
  const rows = [
    `Data: ${s.managers.toLocaleString('en')} managers, ${s.contacts.toLocaleString('en')} conversations over 52 weeks, ${gen.accountsUsed.toLocaleString('en')} accounts, ${gen.insights.toLocaleString('en')} insights, ${gen.profiles.toLocaleString('en')} cached time zones, ${gen.snoozes} snoozes, ${gen.nudges} past nudges, ${gen.tactics} flagged tactics. Generated through the real migrations and repositories in ${gen.seconds.toFixed(1)} s; file ${Math.round(gen.fileMb)} MB.`,
    '',
    '| computation (Slack calls excluded) | cold (1st run) | median | max | target | | result |',
    '|---|---:|---:|---:|---:|---|---|',
  ];
  for (const r of s.results) {
    rows.push(
      `| ${r.name}: ${r.what} | ${fmtMs(r.coldMs)} | ${fmtMs(r.medianMs)} | ${fmtMs(r.maxMs)} | < ${fmtMs(r.targetMs)} | ${ok(r.medianMs < r.targetMs)} | ${r.detail} |`,
    );
  }
  rows.push(
    `| peak RSS of the measuring process (baseline after start-up: ${Math.round(s.baselineRssMb)} MB) | | ${Math.round(s.peakRssMb)} MB | | < ${RSS_TARGET_MB} MB | ${ok(s.peakRssMb < RSS_TARGET_MB)} | |`,
  );
  return rows.join('\n');
}

function fanoutTable(f: FanoutResult): string {
  const exact =
    f.missing === 0 &&
    f.duplicates === 0 &&
    f.strangers === 0 &&
    f.managersWithOne === f.managers &&
    f.nudgeRows === f.managers &&
    f.doneClaims === f.managers &&
    f.rerunPosted === 0;
  return [
    '| managers due | fake Slack limit | job wall time | posting time | 429 answers (each waited out, then retried) | postMessage attempts | delivered | exactly one DM | duplicated | lost | nudges rows / done claims | rerun posted | target |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
    `| ${f.managers.toLocaleString('en')} | ${f.perSecond}/s, Retry-After ${f.retryAfter} s | ${f.jobSeconds.toFixed(1)} s | ${f.postingSeconds.toFixed(1)} s | ${f.rateLimited} | ${f.postAttempts} | ${f.delivered} | ${f.managersWithOne} | ${f.duplicates} | ${f.missing + f.strangers} | ${f.nudgeRows} / ${f.doneClaims} | ${f.rerunPosted} (${f.rerunSeconds.toFixed(1)} s) | ${ok(exact)} |`,
    '',
    `Job report: \`${f.reportLine}\`.`,
  ].join('\n');
}

function chartsTable(r: ChartsReport): string {
  const charts = [
    '| chart | p50 | p95 | max | CPU p50 | CPU p95 | target (p95) | | PNG |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
    ...r.charts.map(
      (c) =>
        `| ${c.chart} | ${fmtMs(c.p50)} | ${fmtMs(c.p95)} | ${fmtMs(c.max)} | ${fmtMs(c.cpuP50)} | ${fmtMs(c.cpuP95)} | < ${CHART_P95_TARGET_MS} ms | ${ok(c.p95 < CHART_P95_TARGET_MS)} | ${c.pixels}, ${(c.bytes / 1024).toFixed(1)} KB |`,
    ),
  ];
  const jobs = [
    '| job, end to end against the fake Slack | cold (1st run) | median | max | CPU (median run) | target | | what went out |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    ...r.jobs.map(
      (j) =>
        `| ${j.job} (${r.managers.toLocaleString('en')} managers) | ${fmtMs(j.coldMs)} | ${fmtMs(j.medianMs)} | ${fmtMs(j.maxMs)} | ${fmtMs(j.cpuMedianMs)} | < ${JOB_TARGET_MS} ms | ${ok(j.maxMs < JOB_TARGET_MS && j.coldMs < JOB_TARGET_MS)} | ${j.detail} |`,
    ),
  ];
  return `Load average when measured: ${r.load.toFixed(2)} on 2 cores (wall times grow with other load; CPU times much less).\n\nEach chart drawn from 60 managers × 12 weeks, 40 runs after 3 warm-ups (SVG, text layout, resvg, PNG encoding).\n\n${charts.join('\n')}\n\nJobs: ${r.managers.toLocaleString('en')} managers, ${r.contacts.toLocaleString('en')} conversations over 16 weeks; \`run<Job>(ctx, now, { force: true })\` timed from start to report (queries, text post, charts drawn, external upload flow), 1 cold + 5 runs.\n\n${jobs.join('\n')}`;
}

async function main(): Promise<void> {
  const { only, db, reuse } = args();
  const sections: string[] = [
    `# Gemba benchmark\n\nRun ${new Date().toISOString()} on ${machine()}.\nReproduce: \`npm run bench\` (writes this file, bench/results.md).`,
  ];
  const print = (section: string) => {
    sections.push(section);
    process.stdout.write(`\n${section}\n`);
  };
  process.stdout.write(`${sections[0]}\n`);

  if (only.has('ack')) {
    log('ack latency: /contact on loopback, Gemba vs bare Bolt …');
    const results = await runAckBench(DEFAULT_ACK, log);
    print(
      `## /contact ack latency and throughput\n\nSigned \`/contact\` one-liners over keep-alive HTTP on loopback; each app in its own process, the load generator in this one. ${DEFAULT_ACK.warmup} warm-up requests per app, then ${DEFAULT_ACK.rounds} rounds per setting with the two apps back to back, in alternating order.\n\n${ackTable(results)}`,
    );
  }

  if (only.has('scale')) {
    const dir = db ? null : mkdtempSync(join(tmpdir(), 'gemba-bench-scale-'));
    const path = db ?? join(dir!, 'scale.db');
    try {
      let gen: GenerateStats;
      const statsFile = `${path}.stats.json`;
      if (reuse && existsSync(path) && existsSync(statsFile)) {
        log(`scale: reusing ${path}`);
        gen = JSON.parse(readFileSync(statsFile, 'utf8')) as GenerateStats;
      } else {
        log('scale: generating 10,000 managers and 1,000,000 conversations …');
        gen = await runChild<GenerateStats>('bench/generate.ts', [path]);
        writeFileSync(statsFile, JSON.stringify(gen));
      }
      log('scale: measuring (own process) …');
      const report = await runChild<ScaleReport>('bench/scale.ts', [path]);
      print(`## Scale\n\n${scaleTable(gen, report)}`);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }

  if (only.has('fanout')) {
    log(`fan-out: nudging ${DEFAULT_FANOUT.managers} managers through a rate-limited fake Slack …`);
    const result = await runFanoutBench(DEFAULT_FANOUT, log);
    print(`## Nudge fan-out under rate limiting\n\n${fanoutTable(result)}`);
  }

  if (only.has('charts')) {
    log('charts: rendering, then the digest and leaderboard jobs for 10,000 managers (own process) …');
    const result = await runChild<ChartsReport>('bench/charts.ts', []);
    print(`## Charts\n\n${chartsTable(result)}`);
  }
  writeFileSync(join(ROOT, 'bench/results.md'), `${sections.join('\n\n')}\n`);
  log('\nwritten to bench/results.md');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
