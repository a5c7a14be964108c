import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Logger } from '../lib/logger.js';
import { migratePostgres } from './pg-migrate.js';
import { createPgRepos } from './pg-repos.js';
import type { Repos } from './repos/index.js';
import type { Storage } from './storage.js';

// COUNT(*) and BIGINT columns (epoch milliseconds, ids) come back as numbers, like SQLite's; both stay
// far below 2^53. SUM over INTEGER is NUMERIC: also a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** The anonymous tables that hold flags, with the primary-key index each is rewritten in the order of. */
const ANON_CLUSTER: ReadonlyArray<[string, string]> = [
  ['anon.tactics', 'tactics_pkey'],
  ['anon.tactic_reports', 'tactic_reports_pkey'],
  ['anon.tactic_reasons', 'tactic_reasons_pkey'],
  ['anon.flag_quota', 'flag_quota_pkey'],
];

/**
 * PostgreSQL behind the Storage interface: a pool for single statements (each atomic on its own),
 * one pooled client per transaction (BEGIN … COMMIT, ROLLBACK on any error). A lost connection
 * makes calls reject (the caller answers honestly, /healthz says 503) and the pool reconnects by
 * itself when the server is back: nothing here exits the process.
 */
export class PostgresStorage implements Storage {
  readonly engine = 'postgres' as const;
  readonly repos: Repos;
  readonly #inside = new AsyncLocalStorage<true>();

  constructor(
    readonly pool: pg.Pool,
    logger?: Logger,
  ) {
    this.repos = createPgRepos(pool);
    // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
    pool.on('error', (err) => logger?.error({ err: err.message }, 'PostgreSQL connection lost; the pool reconnects on next use'));
  }

  async transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    if (this.#inside.getStore()) throw new Error('storage.transaction() does not nest');
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await this.#inside.run(true, () => fn(createPgRepos(client)));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /**
   * PostgreSQL keeps no WAL copy the app could truncate. What it can do: VACUUM the anonymous tables,
   * so the row versions a publish rewrote or a hide deleted (with their xmin, which orders them) stop
   * being readable through the table. The main tables are left to autovacuum: they are large, and
   * their rows carry timestamps anyway. docs/anonymity.md says what stays on disk.
   */
  async eraseCheckpoint(): Promise<boolean> {
    try {
      // VACUUM cannot run inside a transaction block: a plain pool query is its own.
      await this.pool.query('VACUUM anon.tactics, anon.tactic_reports, anon.tactic_reasons, anon.flag_quota');
      return true;
    } catch {
      return false;
    }
  }

  async reorderAnonymousStore(at: 'write' | 'publish'): Promise<boolean> {
    // Until the publish, xmin orders the rows anyway (docs/anonymity.md "On PostgreSQL"); rewriting after every
    // flag would take the tables' exclusive lock for nothing.
    if (at === 'write') return true;
    try {
      // A heap keeps row versions where they were written, so after the publish's rewrite (which gives them all
      // one xmin) their ctids still followed the order the flags came in. CLUSTER rewrites each table in the
      // order of its primary key (random ids, crowd codes), keeps xmin, and leaves no dead versions behind.
      for (const [table, index] of ANON_CLUSTER) await this.pool.query(`CLUSTER ${table} USING ${index}`);
      return true;
    } catch {
      return false;
    }
  }

  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.pool.query('SELECT 1');
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: err instanceof Error && err.message ? err.message : String(err) };
    }
  }

  /** Ends the pool; a second call is a no-op (pg throws on a second end, SQLite's close is idempotent too). */
  async close(): Promise<void> {
    if (this.pool.ended || this.pool.ending) return;
    await this.pool.end();
  }
}

/** Connects to DATABASE_URL and applies pending migrations under the advisory lock. */
export async function openPostgresStorage(url: string, logger?: Logger): Promise<{ storage: PostgresStorage; applied: string[] }> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  const storage = new PostgresStorage(pool, logger);
  try {
    const applied = await migratePostgres(pool);
    return { storage, applied };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
