/**
 * Helpers for fault tests that run the real entry points (src/main.ts, src/cli/job.ts) as child
 * processes, so a test can kill them with SIGKILL and start them again on the same database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from '../kit/engine.js';
import { freePort } from '../kit/net.js';

export { freePort };

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader, resolved from here: children run in a temp folder (no stray .env), which has no node_modules. */
const TSX = import.meta.resolve('tsx');
export const FAULT_SECRET = 'fault-test-signing-secret';
export const FAULT_ANONYMITY_KEY = 'fault-test-anonymity-key-0123456789';

/** The app's environment for a child process (nothing inherited that could point elsewhere), on SQLite. */
export function appEnv(p: { apiUrl: string; databasePath: string; port?: number }): Record<string, string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined &&
        !/^(SLACK_|PORT$|DATABASE_PATH$|DATABASE_URL$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$|ADMIN_USER_IDS$|TEAM_TIMEZONE$)/.test(e[0]),
    ),
  );
  return {
    ...inherited,
    SLACK_BOT_TOKEN: 'xoxb-fault-test',
    SLACK_SIGNING_SECRET: FAULT_SECRET,
    SLACK_API_URL: p.apiUrl,
    DATABASE_PATH: p.databasePath,
    ANONYMITY_KEY: FAULT_ANONYMITY_KEY,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    TEAM_TIMEZONE: 'UTC',
    ...(p.port !== undefined ? { PORT: String(p.port) } : {}),
  };
}

/** appEnv on the engine of the run: on the PostgreSQL pass DATABASE_URL names the store's database (test/kit/engine.ts). */
export async function storeEnv(p: { apiUrl: string; databasePath: string; port?: number }): Promise<Record<string, string>> {
  return { ...appEnv(p), ...(await databaseEnv(p.databasePath)) };
}

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `node --import tsx [--import <preload>…] <script> …args` in `cwd`. */
export function spawnScript(script: string, args: string[], env: Record<string, string>, cwd: string, preload: string[] = []): Child {
  const imports = ['--import', TSX, ...preload.flatMap((p) => ['--import', p])];
  const proc = spawn(process.execPath, [...imports, join(ROOT, script), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { proc, output: () => out, exited };
}

export type AppChild = Child & { url: string };

/** Starts src/main.ts (`preload` modules imported first) listening on `port`, with `env`; does not wait for it. */
export function spawnApp(p: { env: Record<string, string>; cwd: string; port: number; preload?: string[] }): AppChild {
  const child = spawnScript('src/main.ts', [], { ...p.env, PORT: String(p.port) }, p.cwd, p.preload);
  return { ...child, url: `http://127.0.0.1:${p.port}` };
}

/** Waits until the app answers 200 on /healthz; throws with its output if it exits first or does not answer in time. */
export async function waitHealthy(app: AppChild, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.proc.exitCode !== null) throw new Error(`app exited with ${app.proc.exitCode}:\n${app.output()}`);
    try {
      if ((await fetch(`${app.url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`app did not answer /healthz:\n${app.output()}`);
}

/** Starts src/main.ts on a free port and waits until /healthz answers 200. */
export async function startApp(p: { apiUrl: string; databasePath: string; cwd: string }): Promise<AppChild> {
  const app = spawnApp({ env: await storeEnv(p), cwd: p.cwd, port: await freePort() });
  try {
    await waitHealthy(app);
  } catch (err) {
    app.proc.kill('SIGKILL');
    throw err;
  }
  return app;
}

/** Stops a child this test started: SIGTERM, then SIGKILL if it lingers. */
export async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 5_000);
  await child.exited;
  clearTimeout(timer);
}

/** Runs `npm run job -- <job> …` to completion; resolves with its stdout+stderr, rejects on a non-zero exit. */
export async function runJob(job: string, args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  const child = spawnScript('src/cli/job.ts', [job, ...args], env, cwd);
  const code = await child.exited;
  if (code !== 0) throw new Error(`job ${job} exited with ${code}:\n${child.output()}`);
  return child.output();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds (or throws after `timeoutMs`). */
export async function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
