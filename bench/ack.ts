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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSlack, type FakeSlack } from '../test/kit/fake-slack.js';
import { slashCommand } from '../test/kit/payloads.js';
import { signSlackRequest } from '../test/kit/sign.js';
import { ANONYMITY_KEY, SIGNING_SECRET, quantile } from './common.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** tsx's loader, resolved from here: the children run in a temp folder (no stray .env) that has no node_modules. */
export const TSX = import.meta.resolve('tsx');

export type AckApp = 'bare Bolt (floor)' | 'Gemba';

export interface AckResult {
  app: AckApp;
  concurrency: number;
  requests: number;
  p50: number;
  p99: number;
  mean: number;
  rps: number;
  errors: number;
}

export interface AckOptions {
  warmup: number;
  /** Requests per measured setting, by concurrency. */
  settings: Array<{ concurrency: number; requests: number }>;
  /** Measured rounds per setting, alternating the two apps; the round with the best p50 per app is kept. */
  rounds: number;
}

export const DEFAULT_ACK: AckOptions = {
  warmup: 600,
  settings: [
    { concurrency: 1, requests: 600 },
    { concurrency: 16, requests: 2000 },
  ],
  rounds: 2,
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Spawns `node --import tsx <script>` with the app's environment and waits for /healthz. */
async function spawnServer(script: string, env: Record<string, string>, cwd: string): Promise<Server> {
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|DATABASE_PATH$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$)/.test(k)));
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script)], {
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
      const best = new Map<AckApp, AckResult>();
      for (let round = 0; round < opts.rounds; round++) {
        for (const app of round % 2 === 0 ? apps : [...apps].reverse()) {
          const r = await load(servers[app]!.url, fake, concurrency, requests, checks[app]);
          const result: AckResult = {
            app,
            concurrency,
            requests,
            p50: quantile(r.latencies, 0.5),
            p99: quantile(r.latencies, 0.99),
            mean: r.latencies.reduce((s, x) => s + x, 0) / r.latencies.length,
            rps: r.rps,
            errors: r.errors,
          };
          log(`  ${app} c=${concurrency} round ${round + 1}: p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${Math.round(result.rps)} req/s, ${result.errors} errors`);
          const prev = best.get(app);
          if (!prev || result.p50 < prev.p50) best.set(app, result);
        }
      }
      results.push(...apps.map((a) => best.get(a)!));
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
