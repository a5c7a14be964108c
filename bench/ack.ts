/**
 * Ack latency and throughput of signed /contact requests on loopback: the real app
 * (`node --import tsx src/main.ts`, a fresh database, LOG_LEVEL=warn) against the floor for this
 * stack, a bare Bolt app whose /contact handler only acknowledges (bench/serve-bare.ts).
 *
 * Each app runs in a child process of its own; this process only generates load (and hosts the
 * fake Slack Web API, which the app calls once per user for users.info, after the ack). Latency is
 * measured client-side with performance.now() around fetch (keep-alive connections), from sending
 * the request to reading the whole response.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeSlack, startFakeSlack } from '../test/kit/fake-slack.js';
import { freePort } from '../test/kit/net.js';
import { slashCommand } from '../test/kit/payloads.js';
import { signSlackRequest } from '../test/kit/sign.js';
import { ANONYMITY_KEY, median, quantile, SIGNING_SECRET } from './common.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** tsx's loader, resolved from here: the children run in a temp folder (no stray .env) that has no node_modules. */
export const TSX = import.meta.resolve('tsx');

export type AckApp = 'bare Bolt (floor)' | 'Gemba';

export interface AckRound {
  p50: number;
  p99: number;
  mean: number;
  rps: number;
  errors: number;
  /** CPU time the app's process spent per request (user + system, from /proc), or null off Linux. */
  cpuMs: number | null;
}

/** One app at one concurrency: the median of its rounds, and (for Gemba) its ratio to the floor. */
export interface AckResult extends AckRound {
  app: AckApp;
  concurrency: number;
  requests: number;
  rounds: AckRound[];
  /** Median over rounds of this app's p50 / the floor's p50 in the same round (measured back to back). */
  p50Ratio: number | null;
  p99Ratio: number | null;
}

export interface AckOptions {
  warmup: number;
  /** Requests per measured setting, by concurrency. */
  settings: Array<{ concurrency: number; requests: number }>;
  /**
   * Measured rounds per setting, the two apps back to back in alternating order. Ratios are taken
   * per round and the median reported, so a burst of load from elsewhere on the machine skews one
   * round, not the result.
   */
  rounds: number;
}

export const DEFAULT_ACK: AckOptions = {
  warmup: 600,
  settings: [
    { concurrency: 1, requests: 600 },
    { concurrency: 16, requests: 2000 },
  ],
  rounds: 3,
};

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Spawns `node --import tsx <script>` with the app's environment and waits for /healthz. */
async function spawnServer(script: string, env: Record<string, string>, cwd: string): Promise<Server> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|DATABASE_PATH$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$)/.test(k)),
  );
  // GEMBA_BENCH_CPU_PROF=<dir>: each app writes a V8 CPU profile there when it stops (node --cpu-prof).
  const prof = process.env.GEMBA_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.GEMBA_BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', TSX, join(ROOT, script)], {
    cwd,
    env: { ...clean, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
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
    while (issued < requests) {
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

/** Runs the ack benchmark; both apps are measured in the same run, alternating. */
export async function runAckBench(opts: AckOptions = DEFAULT_ACK, log: (line: string) => void = () => undefined): Promise<AckResult[]> {
  const fake = await startFakeSlack({ defaultTz: 'UTC' });
  const dir = mkdtempSync(join(tmpdir(), 'gemba-bench-ack-'));
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: join(dir, 'gemba.db'),
    ANONYMITY_KEY,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  };
  const servers: Partial<Record<AckApp, Server>> = {};
  try {
    servers['bare Bolt (floor)'] = await spawnServer('bench/serve-bare.ts', env, dir);
    servers.Gemba = await spawnServer('src/main.ts', env, dir);
    // The floor acks with an empty body; Gemba must answer with a confirmation, never a warning.
    const checks: Record<AckApp, (status: number, body: string) => boolean> = {
      'bare Bolt (floor)': (status) => status === 200,
      Gemba: (status, body) => status === 200 && body.includes('Logged') && !body.includes(':warning:'),
    };
    const apps = Object.keys(servers) as AckApp[];
    for (const app of apps) {
      log(`  warm-up ${app}`);
      await load(servers[app]!.url, fake, 16, opts.warmup, checks[app]);
    }
    const results: AckResult[] = [];
    for (const { concurrency, requests } of opts.settings) {
      const rounds = new Map<AckApp, AckRound[]>(apps.map((a) => [a, []]));
      for (let round = 0; round < opts.rounds; round++) {
        for (const app of round % 2 === 0 ? apps : [...apps].reverse()) {
          const cpuBefore = cpuTimeMs(servers[app]!.child.pid);
          const r = await load(servers[app]!.url, fake, concurrency, requests, checks[app]);
          const cpuAfter = cpuTimeMs(servers[app]!.child.pid);
          const result: AckRound = {
            p50: quantile(r.latencies, 0.5),
            p99: quantile(r.latencies, 0.99),
            mean: r.latencies.reduce((sum, x) => sum + x, 0) / r.latencies.length,
            rps: r.rps,
            errors: r.errors,
            cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / requests,
          };
          log(
            `  ${app} c=${concurrency} round ${round + 1}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(result.rps)} req/s, ${result.cpuMs?.toFixed(2) ?? '?'} ms CPU/request, ${result.errors} errors`,
          );
          rounds.get(app)!.push(result);
        }
      }
      const floor = rounds.get('bare Bolt (floor)')!;
      for (const app of apps) {
        const mine = rounds.get(app)!;
        const isFloor = app === 'bare Bolt (floor)';
        results.push({
          app,
          concurrency,
          requests,
          rounds: mine,
          p50: median(mine.map((r) => r.p50)),
          p99: median(mine.map((r) => r.p99)),
          mean: median(mine.map((r) => r.mean)),
          rps: median(mine.map((r) => r.rps)),
          errors: mine.reduce((sum, r) => sum + r.errors, 0),
          cpuMs: mine.every((r) => r.cpuMs !== null) ? median(mine.map((r) => r.cpuMs!)) : null,
          p50Ratio: isFloor ? null : median(mine.map((r, i) => r.p50 / floor[i].p50)),
          p99Ratio: isFloor ? null : median(mine.map((r, i) => r.p99 / floor[i].p99)),
        });
      }
    }
    return results;
  } finally {
    await Promise.all(Object.values(servers).map((s) => stopServer(s!)));
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runAckBench(DEFAULT_ACK, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
