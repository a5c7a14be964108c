/**
 * Which database engine the end-to-end, job and fault suites run on, and an engine-neutral way to
 * look at the rows. `TEST_ENGINE=postgres` (set by scripts/test.ts for its second pass, with
 * TEST_DATABASE_URL pointing at the one PostgreSQL server of the run) puts every harness and every
 * child process on PostgreSQL: a database of its own per store, keyed by the store's path, so a
 * restart "on the same file" finds the same database. Otherwise everything is SQLite, as before.
 *
 * Inspection SQL is written once for both engines: `?` placeholders (numbered for PostgreSQL here),
 * the anonymous tables as `anon.<table>` (an attached file on SQLite, a schema on PostgreSQL),
 * camelCase aliases quoted (`AS "userId"`: PostgreSQL folds unquoted names to lower case).
 */
import { existsSync } from 'node:fs';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { anonymousStorePath, type Db } from '../../src/db/open.js';
import { PostgresStorage } from '../../src/db/postgres.js';
import { SqliteStorage } from '../../src/db/sqlite.js';
import type { Storage } from '../../src/db/storage.js';
import { createTestDatabase } from './postgres.js';

export type Engine = 'sqlite' | 'postgres';

export const ENGINE: Engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const ON_POSTGRES = ENGINE === 'postgres';

/**
 * For a test that looks at something only SQLite has (file bytes, the WAL, pragmas): `{ skip: sqliteOnly('why') }`
 * skips it on the PostgreSQL pass and says why in the report.
 */
export function sqliteOnly(reason: string): string | false {
  return ON_POSTGRES ? `SQLite only: ${reason}` : false;
}

/** The PostgreSQL server of this run (scripts/test.ts starts it). */
function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL: run through `npx tsx scripts/test.ts --postgres <files>`');
  return url;
}

const databases = new Map<string, Promise<string>>();

/**
 * The database URL for the store at `databasePath` on the PostgreSQL pass (created empty on first
 * use, the same one afterwards), or undefined on SQLite. Every database made here is dropped when
 * the test file ends.
 */
export function databaseUrlFor(databasePath: string): Promise<string> | undefined {
  if (!ON_POSTGRES) return undefined;
  let url = databases.get(databasePath);
  if (!url) {
    url = createTestDatabase(serverUrl());
    databases.set(databasePath, url);
  }
  return url;
}

/** The environment that points an app process at the store `databasePath`: DATABASE_PATH, plus DATABASE_URL on PostgreSQL. */
export async function databaseEnv(databasePath: string): Promise<{ DATABASE_PATH: string; DATABASE_URL?: string }> {
  const url = await databaseUrlFor(databasePath);
  return url ? { DATABASE_PATH: databasePath, DATABASE_URL: url } : { DATABASE_PATH: databasePath };
}

if (ON_POSTGRES) after(dropDatabases);

async function dropDatabases(): Promise<void> {
  if (databases.size === 0) return;
  const urls = await Promise.all([...databases.values()].map((u) => u.catch(() => undefined)));
  databases.clear();
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    for (const url of urls) {
      if (url) await client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** A table of the store: `contacts`, or `anon.tactics` for the anonymous store, with its columns. */
export interface TableInfo {
  name: string;
  columns: string[];
}

/** Reads rows on either engine (see the top of this file for the SQL both accept). */
export interface Inspector {
  rows<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  row<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** The first column of the first row (undefined when there is no row). */
  value<T = any>(sql: string, params?: unknown[]): Promise<T>;
  /** The first column of every row. */
  values<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  /** COUNT(*) of a table, optionally `WHERE <where>`. */
  count(table: string, where?: string, params?: unknown[]): Promise<number>;
  /** Every table of the app (main and anonymous store), schema_migrations aside, sorted by name. */
  tables(): Promise<TableInfo[]>;
}

/** `?` → `$1`, `$2`… outside quoted strings. */
function numbered(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

function build(rows: <T>(sql: string, params: unknown[]) => Promise<T[]>, tables: () => Promise<TableInfo[]>): Inspector {
  const first = async (sql: string, params: unknown[]) => (await rows<Record<string, unknown>>(sql, params))[0];
  return {
    rows: (sql, params = []) => rows(sql, params),
    row: async (sql, params = []) => (await rows(sql, params))[0] as any,
    value: async (sql, params = []) => {
      const r = await first(sql, params);
      return (r ? Object.values(r)[0] : undefined) as any;
    },
    values: async (sql, params = []) => (await rows<Record<string, unknown>>(sql, params)).map((r) => Object.values(r)[0]) as any[],
    count: async (table, where, params = []) => {
      const r = await first(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`, params);
      return Number(r?.n);
    },
    tables,
  };
}

function sqliteInspector(db: Db): Inspector {
  return build(
    async <T>(sql: string, params: unknown[]) => db.prepare(sql).all(...params) as T[],
    async () =>
      ['main', 'anon'].flatMap((schema) =>
        (
          db
            .prepare(
              `SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`,
            )
            .pluck()
            .all() as string[]
        )
          .map((t) => ({
            name: schema === 'main' ? t : `${schema}.${t}`,
            columns: (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(t, schema) as string[]).sort(),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      ),
  );
}

function postgresInspector(query: pg.Pool | pg.Client): Inspector {
  return build(
    async <T>(sql: string, params: unknown[]) => (await query.query(numbered(sql), params)).rows as T[],
    async () => {
      const { rows } = await query.query<{ s: string; t: string; c: string }>(
        `SELECT table_schema AS s, table_name AS t, column_name AS c FROM information_schema.columns
          WHERE table_schema IN ('public', 'anon') AND table_name <> 'schema_migrations'
            AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = columns.table_schema)
          ORDER BY 1 DESC, 2, 3`,
      );
      const out = new Map<string, string[]>();
      for (const r of rows) {
        const name = r.s === 'public' ? r.t : `${r.s}.${r.t}`;
        out.set(name, [...(out.get(name) ?? []), r.c]);
      }
      return [...out].map(([name, columns]) => ({ name, columns }));
    },
  );
}

/** An inspector on the app's own connection (the harness's `h.rows`, `h.count`…). */
export function inspectorFor(storage: Storage): Inspector {
  if (storage instanceof SqliteStorage) return sqliteInspector(storage.db);
  if (storage instanceof PostgresStorage) return postgresInspector(storage.pool);
  throw new Error(`no inspector for ${storage.engine}`);
}

/**
 * Looks at the store `databasePath` the way an operator would after a crash: over a separate
 * connection (a new SQLite handle with the anonymous store attached, or a PostgreSQL client).
 */
export async function inspectStore<T>(databasePath: string, fn: (db: Inspector) => Promise<T>): Promise<T> {
  const url = await databaseUrlFor(databasePath);
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(postgresInspector(client));
    } finally {
      await client.end();
    }
  }
  const db = new Database(databasePath);
  try {
    const anon = anonymousStorePath(databasePath);
    if (existsSync(anon)) db.prepare('ATTACH DATABASE ? AS anon').run(anon);
    return await fn(sqliteInspector(db));
  } finally {
    db.close();
  }
}
