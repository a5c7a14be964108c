/**
 * Fan-out: 10,000 managers all due a nudge at Monday 09:05 UTC, sent by the real job CLI
 * (`node --import tsx src/cli/job.ts nudges --now …`, its own process) through the fake Slack Web
 * API, which enforces a rate limit on chat.postMessage with HTTP 429 + Retry-After. Then the job
 * is run again, as a scheduler's next tick would.
 *
 * Proof of "exactly once": every manager has exactly one successful chat.postMessage to their DM,
 * one `nudges` row and one `done` claim, nobody else got one, and the rerun posts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteRepos } from '../src/db/repos/index.js';
import { addDays, localDate, weekStart } from '../src/lib/time.js';
import { accountKey } from '../src/services/contacts.js';
import { startFakeSlack } from '../test/kit/fake-slack.js';
import { TSX } from './ack.js';
import {
  ANONYMITY_KEY,
  BENCH_NOW,
  benchContext,
  type DeliveryTally,
  deliveredPosts,
  SIGNING_SECRET,
  TEAM,
  tallyDeliveries,
} from './common.js';
import { managerId } from './generate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface FanoutOptions {
  managers: number;
  perSecond: number;
  retryAfter: number;
}

export const DEFAULT_FANOUT: FanoutOptions = { managers: 10_000, perSecond: 300, retryAfter: 1 };

export interface FanoutResult extends DeliveryTally {
  managers: number;
  perSecond: number;
  retryAfter: number;
  /** Wall time of the job process, start-up included. */
  jobSeconds: number;
  /** 429 answers the fake gave, each one a retry by the client. */
  rateLimited: number;
  nudgeRows: number;
  doneClaims: number;
  reportLine: string;
  rerunPosted: number;
  rerunSeconds: number;
}

/**
 * A database where every manager is due: enrolled 60 days ago, last conversations 20–40 days ago, time
 * zone (UTC) looked up yesterday. Without a cached zone, all but the first PROFILE_REFRESH_BATCH would
 * wait for a later run to learn theirs, and the bench would measure look-ups, not the DMs' fan-out.
 */
export async function seed(path: string, managers: number): Promise<void> {
  const { ctx, db } = benchContext(path);
  const repos = createSqliteRepos(db);
  const today = localDate(BENCH_NOW, 'UTC');
  db.transaction(() => {
    for (let i = 0; i < managers; i++) {
      const userId = managerId(i);
      repos.managers.enrollManager(TEAM, userId, BENCH_NOW - 60 * 86_400_000);
      repos.profiles.upsertProfile({
        teamId: TEAM,
        userId,
        tz: 'UTC',
        isAdmin: false,
        isOwner: false,
        displayName: null,
        refreshedAt: BENCH_NOW - 86_400_000,
      });
      for (const [k, back] of [
        [0, 40],
        [1, 20],
      ] as const) {
        const occurredOn = addDays(today, -back - (i % 5));
        const account = `Account ${(i * 7 + k) % 50_000}`;
        repos.contacts.insertContact({
          teamId: TEAM,
          userId,
          account,
          accountKey: accountKey(account),
          buyer: null,
          kind: 'call',
          durationMin: null,
          occurredOn,
          weekStart: weekStart(occurredOn),
          insight: null,
          now: BENCH_NOW - back * 86_400_000,
        });
      }
    }
  })();
  // The storage, not just `db`: its checkpoint worker keeps a connection of its own to the file, and
  // db:copy's path (pg-fanout) refuses a file another connection still has open.
  await ctx.storage.close();
}

/** The job runner's environment: the fake Slack at `apiUrl`, the store named by `database` (DATABASE_PATH or DATABASE_URL). */
export function jobEnv(apiUrl: string, database: Record<string, string>): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    ...database,
    ANONYMITY_KEY,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    TEAM_TIMEZONE: 'UTC',
  };
}

/** The ids of `n` seeded managers (bench/generate.ts managerId). */
export const managerIds = (n: number): string[] => Array.from({ length: n }, (_, i) => managerId(i));

/** Runs `npm run job -- nudges --now …` as its own process; resolves with its stdout and wall time. */
export async function runJob(env: Record<string, string>, cwd: string): Promise<{ stdout: string; seconds: number }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|DATABASE_PATH$|DATABASE_URL$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$)/.test(k)),
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', TSX, join(ROOT, 'src/cli/job.ts'), 'nudges', '--now', new Date(BENCH_NOW).toISOString()],
    {
      cwd,
      env: { ...clean, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`job exited with ${code}:\n${stderr.slice(-4000)}`);
  return { stdout, seconds: (performance.now() - started) / 1000 };
}

/** Runs the fan-out benchmark and checks exactly-once delivery. */
export async function runFanoutBench(
  opts: FanoutOptions = DEFAULT_FANOUT,
  log: (line: string) => void = () => undefined,
): Promise<FanoutResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-bench-fanout-'));
  const fake = await startFakeSlack({ defaultTz: 'UTC' });
  try {
    const path = join(dir, 'fanout.db');
    await seed(path, opts.managers);
    log(`  seeded ${opts.managers} managers, all due`);
    fake.rateLimit('chat.postMessage', { perSecond: opts.perSecond, retryAfter: opts.retryAfter });
    const env = jobEnv(fake.apiUrl, { DATABASE_PATH: path });
    const first = await runJob(env, dir);
    const reportLine = first.stdout.split('\n')[0];
    log(`  ${reportLine} in ${first.seconds.toFixed(1)} s, ${fake.rateLimited} answers were 429`);

    const { postingSeconds, ...tally } = tallyDeliveries(fake, managerIds(opts.managers));

    const { db } = benchContext(path);
    const nudgeRows = db.prepare('SELECT COUNT(*) FROM nudges').pluck().get() as number;
    const doneClaims = db.prepare("SELECT COUNT(*) FROM job_claims WHERE job = 'nudges' AND status = 'done'").pluck().get() as number;
    db.close();

    // The scheduler's next tick: nothing may go out twice.
    const rerun = await runJob(env, dir);
    const rerunPosted = deliveredPosts(fake).length - tally.delivered;
    log(`  rerun: ${rerun.stdout.split('\n')[0]} in ${rerun.seconds.toFixed(1)} s`);

    return {
      ...opts,
      jobSeconds: first.seconds,
      postingSeconds,
      rateLimited: fake.rateLimited,
      ...tally,
      nudgeRows,
      doneClaims,
      reportLine,
      rerunPosted,
      rerunSeconds: rerun.seconds,
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const managers = Number(process.argv[2] ?? DEFAULT_FANOUT.managers);
  const perSecond = Number(process.argv[3] ?? DEFAULT_FANOUT.perSecond);
  const result = await runFanoutBench({ ...DEFAULT_FANOUT, managers, perSecond }, (l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
