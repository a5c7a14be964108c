/**
 * Helpers for fault tests that run the real entry points (src/main.ts, src/cli/job.ts) as child
 * processes, so a test can kill them with SIGKILL and start them again on the same database.
 */

import { openPostgresStorage } from '../../src/db/postgres.js';
import { type AppChild, type Child, spawnApp, spawnScript, waitHealthy } from '../kit/app-process.js';
import { databaseEnv, databaseUrlFor, inspectStore } from '../kit/engine.js';
import type { FakeSlack } from '../kit/fake-slack.js';
import { freePort } from '../kit/net.js';
import { enrollUtcManagers, openTestStorage } from '../kit/storage.js';

export { type AppChild, type Child, ROOT, spawnApp, spawnScript, waitHealthy } from '../kit/app-process.js';
export { freePort };

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

/**
 * Managers of `team` enrolled a month before `now` (so all are due for a nudge), with fresh UTC profiles (no
 * users.info calls), in the store of the run's engine: the job or app child opens the same one (storeEnv).
 */
export async function seedDueManagers(databasePath: string, team: string, users: string[], now: number): Promise<void> {
  const url = await databaseUrlFor(databasePath);
  const storage = url ? (await openPostgresStorage(url)).storage : openTestStorage(databasePath);
  await storage.transaction((tx) =>
    enrollUtcManagers(tx, team, users, { enrolledAt: now - 30 * 86_400_000, refreshedAt: now - 3_600_000 }),
  );
  await storage.close();
}

/** Successful DMs per user so far. */
export function deliveredDms(fake: FakeSlack): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of fake.callsTo('chat.postMessage'))
    if (c.status === 200 && c.response?.ok) m.set(String(c.args.channel), (m.get(String(c.args.channel)) ?? 0) + 1);
  return m;
}

/** The nudge claims in the store, as status → the user ids holding one. */
export const nudgeClaimsByStatus = (databasePath: string) =>
  inspectStore(databasePath, async (db) => {
    const rows = await db.rows<{ scope: string; status: string }>("SELECT scope, status FROM job_claims WHERE job = 'nudges'");
    const by = new Map<string, string[]>();
    for (const r of rows) by.set(r.status, [...(by.get(r.status) ?? []), r.scope.split(':')[1]]);
    return by;
  });
