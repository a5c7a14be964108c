/**
 * Fan-out shared by several instances on one PostgreSQL: 10,000 managers all due a nudge at Monday
 * 09:05 UTC, three job runners (`src/cli/job.ts nudges --now …`, each its own process with its own
 * pool, DATABASE_URL set) started together against the same database and the same fake Slack, which
 * rate-limits chat.postMessage with HTTP 429 + Retry-After as bench/fanout.ts does. The runners
 * race for every manager's claim (one atomic INSERT … ON CONFLICT per period, src/db/pg-repos.ts);
 * whoever wins posts, the others move on. Then one more run, as a scheduler's next tick would.
 *
 * Proof of "exactly once", from both sides: the fake Slack's received messages (every manager
 * exactly one successful chat.postMessage to their DM, nobody else one) and the database (one
 * `nudges` row and one `done` claim per manager); the rerun posts nothing.
 *
 *   node --import tsx bench/pg-fanout.ts [managers] [perSecond] [instances]   (prints JSON)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { copySqliteToPostgres } from '../src/db/copy.js';
import { startFakeSlack } from '../test/kit/fake-slack.js';
import { type DeliveryTally, deliveredPosts, tallyDeliveries } from './common.js';
import { jobEnv, managerIds, runJob, seed } from './fanout.js';
import { createBenchDatabase, describePostgres, dropBenchDatabase, startBenchPostgres } from './pg.js';

export interface PgFanoutOptions {
  managers: number;
  perSecond: number;
  retryAfter: number;
  instances: number;
}

export const DEFAULT_PG_FANOUT: PgFanoutOptions = { managers: 10_000, perSecond: 300, retryAfter: 1, instances: 3 };

export interface PgFanoutResult extends PgFanoutOptions, DeliveryTally {
  /** Server version and the settings that matter for commits (bench/pg.ts describePostgres). */
  server: string;
  /** Wall time from starting the runners to the last one exiting. */
  wallSeconds: number;
  rateLimited: number;
  nudgeRows: number;
  /** Managers with exactly one `nudges` row. */
  nudgeRowsOnePerManager: number;
  doneClaims: number;
  /** Each runner's report line (`nudges: N posted, …`): how the work was shared. */
  reportLines: string[];
  /** Managers each runner posted to (from its report). */
  postedBy: number[];
  rerunPosted: number;
  rerunSeconds: number;
  load: number;
}

/** Runs the shared fan-out and checks exactly-once delivery. */
export async function runPgFanoutBench(
  opts: PgFanoutOptions = DEFAULT_PG_FANOUT,
  log: (line: string) => void = () => undefined,
): Promise<PgFanoutResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-bench-pgfanout-'));
  const server = await startBenchPostgres();
  const fake = await startFakeSlack({ defaultTz: 'UTC' });
  let url: string | null = null;
  try {
    // The same seed as the SQLite fan-out, moved into PostgreSQL with the app's own db:copy path.
    const path = join(dir, 'fanout.db');
    await seed(path, opts.managers);
    url = await createBenchDatabase(server.url);
    await copySqliteToPostgres(path, url);
    const settings = await describePostgres(url);
    log(`  seeded ${opts.managers} managers (all due) into ${settings}`);
    fake.rateLimit('chat.postMessage', { perSecond: opts.perSecond, retryAfter: opts.retryAfter });
    const env = jobEnv(fake.apiUrl, { DATABASE_URL: url });
    const started = performance.now();
    const runs = await Promise.all(Array.from({ length: opts.instances }, () => runJob(env, dir)));
    const wallSeconds = (performance.now() - started) / 1000;
    const reportLines = runs.map((r) => r.stdout.split('\n')[0]);
    log(`  ${opts.instances} runners in ${wallSeconds.toFixed(1)} s: ${reportLines.join(' | ')}; ${fake.rateLimited} answers were 429`);

    const { postingSeconds, ...tally } = tallyDeliveries(fake, managerIds(opts.managers));

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0].n);
    const nudgeRows = await count('SELECT COUNT(*) AS n FROM nudges');
    const nudgeRowsOnePerManager = await count(
      'SELECT COUNT(*) AS n FROM (SELECT user_id FROM nudges GROUP BY user_id HAVING COUNT(*) = 1) x',
    );
    const doneClaims = await count("SELECT COUNT(*) AS n FROM job_claims WHERE job = 'nudges' AND status = 'done'");
    await client.end();

    // The scheduler's next tick, on one instance: nothing may go out twice.
    const rerun = await runJob(env, dir);
    const rerunPosted = deliveredPosts(fake).length - tally.delivered;
    log(`  rerun: ${rerun.stdout.split('\n')[0]} in ${rerun.seconds.toFixed(1)} s`);

    return {
      ...opts,
      server: settings,
      wallSeconds,
      postingSeconds,
      rateLimited: fake.rateLimited,
      ...tally,
      nudgeRows,
      nudgeRowsOnePerManager,
      doneClaims,
      reportLines,
      postedBy: reportLines.map((l) => Number(/(\d+) posted/.exec(l)?.[1] ?? 0)),
      rerunPosted,
      rerunSeconds: rerun.seconds,
      load: loadavg()[0],
    };
  } finally {
    await fake.close();
    if (url) await dropBenchDatabase(server.url, url).catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Exactly once: every manager one DM and one row and one done claim, nobody else, nothing on the rerun. */
export const pgFanoutExact = (f: PgFanoutResult): boolean =>
  f.missing === 0 &&
  f.duplicates === 0 &&
  f.strangers === 0 &&
  f.managersWithOne === f.managers &&
  f.nudgeRows === f.managers &&
  f.nudgeRowsOnePerManager === f.managers &&
  f.doneClaims === f.managers &&
  f.rerunPosted === 0;

if (import.meta.url === `file://${process.argv[1]}`) {
  const [managers, perSecond, instances] = process.argv.slice(2).map(Number);
  const result = await runPgFanoutBench(
    {
      ...DEFAULT_PG_FANOUT,
      ...(managers ? { managers } : {}),
      ...(perSecond ? { perSecond } : {}),
      ...(instances ? { instances } : {}),
    },
    (l) => process.stderr.write(`${l}\n`),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
