import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { redactUrl } from '../lib/redact.js';
import { migrate } from './migrate.js';
import { anonymousStorePath, type Db, InstallFilesError, openDatabase } from './open.js';
import { migratePostgres } from './pg-migrate.js';

/**
 * The moving path from SQLite to PostgreSQL (`npm run db:copy`): every row of an existing install,
 * main file and anonymous store (schema `anon` on both engines), copied into an empty, freshly
 * migrated PostgreSQL database in one transaction, then verified table by table by row count.
 * Nothing is committed unless every count matches.
 */

/** Rows sent per INSERT: one array parameter per column (unnest), so the batch size is not bound by PostgreSQL's 65,535 parameters. */
export const COPY_BATCH_ROWS = 20_000;

/** A failure the operator can act on: the message says what is wrong and what to do. */
export class CopyError extends Error {
  constructor(
    message: string,
    readonly counts?: TableCount[],
  ) {
    super(message);
    this.name = 'CopyError';
  }
}

export interface TableCount {
  /** `public.contacts`, `anon.tactics`, … */
  table: string;
  source: number;
  target: number;
}

export interface CopyResult {
  /** Migrations this run applied to the SQLite file before reading it (it is read at the current schema). */
  sourceApplied: string[];
  /** Migrations applied to the PostgreSQL target. */
  targetApplied: string[];
  counts: TableCount[];
}

interface PgTable {
  schema: string;
  name: string;
  columns: Array<{ name: string; type: string; identity: boolean }>;
  /** The SQLite table its rows come from, when it is not the one of the same name. */
  from?: { name: string; fill: Record<string, string> };
}

/**
 * PostgreSQL tables shaped differently from their SQLite source: the source table, and a value (SQL) for each
 * column SQLite lacks. team_week_stripes (migration 0016) takes SQLite's team_weeks rows as stripe 0: only the
 * stripes' sums mean anything, and later changes add to each manager's own stripe.
 */
const COPIED_FROM: Record<string, NonNullable<PgTable['from']>> = {
  'public.team_week_stripes': { name: 'team_weeks', fill: { stripe: '0' } },
};

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;
const qualified = (t: { schema: string; name: string }) => `${quote(t.schema)}.${quote(t.name)}`;
const label = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
/** The SQLite table a PostgreSQL table is copied from, as the operator knows it (`public.team_weeks`). */
const sourceLabel = (t: PgTable) => `${t.schema}.${t.from?.name ?? t.name}`;

/**
 * Copies the SQLite install at `from` (with its anonymous store beside it) into the PostgreSQL
 * database at `to`. Throws CopyError for a missing file, an unreachable or non-empty target, a
 * schema mismatch, or a count that differs (then nothing is committed).
 */
export async function copySqliteToPostgres(
  from: string,
  to: string,
  opts: { batchRows?: number; onTable?: (table: string, rows: number) => void; onWarning?: (text: string) => void } = {},
): Promise<CopyResult> {
  if (!existsSync(from))
    throw new CopyError(
      `no SQLite database at ${from}${isAbsolute(from) ? '' : ` (${resolve(from)})`} (give the path of gemba.db, the DATABASE_PATH the app used)`,
    );
  if (statSync(from).isDirectory()) throw new CopyError(`${from} is a folder: give the SQLite file in it, e.g. ${join(from, 'gemba.db')}`);
  const batchRows = opts.batchRows ?? COPY_BATCH_ROWS;
  let db: Db;
  let sourceApplied: string[];
  try {
    if (!existsSync(anonymousStorePath(from)))
      throw new CopyError(
        `no anonymous store at ${anonymousStorePath(from)} beside ${from}: copy both files of the install together (start the app on it once to create it if it predates the anonymous store)`,
      );
    // Exclusive when it can be: no app can open the install while it is copied, so nothing is written to it
    // that the copy would not hold.
    db = openDatabase(from, { exclusive: true });
  } catch (err) {
    if (err instanceof CopyError) throw err;
    if (!isBusy(err)) throw sourceError(from, err);
    // Another process has it open (an app still running on it). The copy is still whole: it reads both files in
    // one read transaction, a consistent snapshot. What the app writes after that stays in SQLite only, so the
    // operator is told, not refused (a copy taken to try PostgreSQL out beside a running install is fine).
    try {
      db = openDatabase(from);
    } catch (again) {
      throw sourceError(from, again);
    }
    opts.onWarning?.(
      `${from} is in use by another process (is Gemba still running on it?): copying a consistent snapshot of this moment. ` +
        'Anything written to SQLite after it is not in PostgreSQL: stop the app before the copy you switch over with.',
    );
  }
  try {
    // The file is read at the schema this version expects: pending migrations run as they would at start.
    sourceApplied = migrate(db);
  } catch (err) {
    db.close();
    throw sourceError(from, err);
  }
  const pool = new pg.Pool({ connectionString: to, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  try {
    let targetApplied: string[];
    try {
      // Before any change to the target: a database holding another application's tables is left untouched.
      await refuseForeignDatabase(pool);
      targetApplied = await migratePostgres(pool);
    } catch (err) {
      if (err instanceof CopyError) throw err;
      throw new CopyError(`cannot prepare PostgreSQL at ${redactUrl(to)}: ${describePgError(err)}`);
    }
    const tables = await listPgTables(pool);
    checkSourceSchema(db, tables);
    const nonEmpty: string[] = [];
    for (const t of tables) {
      const { rows } = await pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${qualified(t)}`);
      if (rows[0].n > 0) nonEmpty.push(`${label(t)}: ${rows[0].n} rows`);
    }
    if (nonEmpty.length)
      throw new CopyError(
        `the target database is not empty (${nonEmpty.join(', ')}); db:copy only copies into an empty database: create one (e.g. \`createdb gemba\`) and point --to at it`,
      );

    const client = await pool.connect();
    /** The table being read from SQLite, so that a damaged page is reported with its file and table. */
    let reading: PgTable | undefined;
    try {
      // One read transaction on SQLite: a consistent snapshot of both files even if something writes meanwhile.
      db.exec('BEGIN');
      await client.query('BEGIN');
      // The aggregate tables are copied as they are; their triggers would otherwise count every copied row again.
      for (const t of tables) await client.query(`ALTER TABLE ${qualified(t)} DISABLE TRIGGER USER`);
      // Secondary indexes (those no constraint owns) are dropped while the rows go in and built again
      // after: one sort per index instead of a random insert per row. Same transaction: a failed
      // copy rolls back to the indexes as they were.
      const { rows: deferred } = await client.query<{ name: string; def: string }>(
        `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname IN ('public', 'anon') AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      );
      for (const d of deferred) await client.query(`DROP INDEX ${d.name}`);
      for (const t of tables) {
        reading = t;
        const n = await copyTable(db, client, t, batchRows);
        reading = undefined;
        opts.onTable?.(sourceLabel(t), n);
      }
      for (const d of deferred) await client.query(d.def);
      for (const t of tables) await client.query(`ALTER TABLE ${qualified(t)} ENABLE TRIGGER USER`);
      // Identity columns continue after the copied ids, so the next insert does not collide.
      for (const t of tables)
        for (const c of t.columns.filter((x) => x.identity))
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), m, true) FROM (SELECT MAX(${quote(c.name)}) AS m FROM ${qualified(t)}) x WHERE m IS NOT NULL`,
            [qualified(t), c.name],
          );
      const counts: TableCount[] = [];
      for (const t of tables) {
        reading = t;
        const source = Number(
          db
            .prepare(`SELECT COUNT(*) FROM ${sqliteName(t)}`)
            .pluck()
            .get(),
        );
        reading = undefined;
        const { rows } = await client.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${qualified(t)}`);
        counts.push({ table: sourceLabel(t), source, target: rows[0].n });
      }
      if (counts.some((c) => c.source !== c.target)) {
        await client.query('ROLLBACK');
        throw new CopyError('row counts differ after copying; nothing was committed', counts);
      }
      await client.query('COMMIT');
      return { sourceApplied, targetApplied, counts };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (err instanceof CopyError) throw err;
      if (reading && isSqliteError(err)) {
        const file = reading.schema === 'anon' ? anonymousStorePath(from) : from;
        throw new CopyError(
          `reading ${sourceLabel(reading)} from ${file} failed, nothing was committed: ${err.message}${damaged(err) ? `: the file is damaged; ${DAMAGED_HINT(file)}` : ''}`,
        );
      }
      throw new CopyError(`copy failed, nothing was committed: ${describePgError(err)}`);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      client.release();
    }
  } finally {
    db.close();
    await pool.end().catch(() => undefined);
  }
}

type SqliteError = Error & { code: string };
/** SQLITE_BUSY or SQLITE_LOCKED (and their extended codes): another connection holds the file. */
const isBusy = (err: unknown): boolean => isSqliteError(err) && /^SQLITE_(BUSY|LOCKED)/.test(err.code);
const isSqliteError = (err: unknown): err is SqliteError =>
  err instanceof Error && String((err as { code?: unknown }).code).startsWith('SQLITE_');
/** SQLITE_NOTADB, SQLITE_CORRUPT and its extended codes: the bytes are not a (whole) database. */
const damaged = (err: SqliteError) => /^SQLITE_(NOTADB|CORRUPT)/.test(err.code);
const DAMAGED_HINT = (file: string) =>
  `check it with \`sqlite3 ${file} 'PRAGMA integrity_check'\` and restore the install (both files together) from a backup`;

/**
 * Why the SQLite install could not be opened or brought up to date, naming the file at fault: the
 * anonymous store beside gemba.db is opened with it, and a damaged one used to be reported as gemba.db.
 */
function sourceError(from: string, err: unknown): CopyError {
  if (err instanceof InstallFilesError) return new CopyError(err.message);
  const message = err instanceof Error ? err.message : String(err);
  if (!isSqliteError(err)) return new CopyError(`cannot open ${from} as a Gemba SQLite database: ${message}`);
  if (isBusy(err))
    return new CopyError(
      `${from} is in use by another process (is Gemba still running on it?): stop the app, then run db:copy again. ` +
        'It copies a stopped install, so that nothing written after the copy is lost.',
    );
  if (damaged(err)) {
    const file = [from, anonymousStorePath(from)].find((f) => !readsAsSqlite(f)) ?? from;
    return new CopyError(`${file} cannot be read as a SQLite database (${message}): ${DAMAGED_HINT(file)}`);
  }
  if (!writable(from) || !writable(anonymousStorePath(from)) || !writable(dirname(from)))
    return new CopyError(
      `cannot open ${from} (${message}): db:copy writes beside it as the app does (SQLite's journal files, pending migrations); ` +
        'run it as the user the app runs as, or copy both files of the install to a folder you can write to',
    );
  return new CopyError(`cannot open ${from} as a Gemba SQLite database: ${message}`);
}

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/** False when the file's pages are not a sound SQLite database (a quick check, on the error path only). */
function readsAsSqlite(file: string): boolean {
  try {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return probe.pragma('quick_check(1)', { simple: true }) === 'ok';
    } finally {
      probe.close();
    }
  } catch (err) {
    return !(isSqliteError(err) && damaged(err));
  }
}

/**
 * Refuses, before migrating, a target that holds tables or views (schemas public and anon) but no Gemba
 * migrations ledger: another application's database, pointed at by mistake, is left as it was instead of
 * getting Gemba's tables created beside its own and then being refused.
 */
async function refuseForeignDatabase(pool: pg.Pool): Promise<void> {
  const { rows: ledger } = await pool.query<{ gemba: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS gemba`);
  if (ledger[0].gemba) {
    const { rows } = await pool.query(`SELECT 1 FROM public.schema_migrations WHERE version::text = '0001_init.sql'`);
    if (rows.length > 0) return;
  }
  const { rows: found } = await pool.query<{ name: string }>(
    `SELECT format('%s.%s', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'anon') AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1`,
  );
  if (found.length === 0) return;
  const names = found.map((r) => r.name);
  throw new CopyError(
    `the target database already holds tables that are not Gemba's (${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}); ` +
      'db:copy left it unchanged and only copies into an empty database: create one (e.g. `createdb gemba`) and point --to at it',
  );
}

/** Refreshes the planner's statistics after a bulk load, so the app's first queries do not wait for autovacuum. */
export async function analyzeTarget(to: string): Promise<void> {
  const client = new pg.Client({ connectionString: to, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** The app's tables on PostgreSQL (public and anon, not the migrations ledger), parents before the tables that reference them. */
async function listPgTables(pool: pg.Pool): Promise<PgTable[]> {
  const { rows } = await pool.query<{ schema: string; name: string; oid: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname IN ('public', 'anon') AND c.relname <> 'schema_migrations' ORDER BY n.nspname DESC, c.relname`,
  );
  const { rows: fks } = await pool.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`,
  );
  const tables = new Map<number, PgTable>();
  for (const r of rows) {
    const { rows: cols } = await pool.query<{ name: string; type: string; identity: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attidentity AS identity FROM pg_attribute
        WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [r.oid],
    );
    const from = COPIED_FROM[`${r.schema}.${r.name}`];
    tables.set(r.oid, { schema: r.schema, name: r.name, columns: cols.map((c) => ({ ...c, identity: c.identity !== '' })), from });
  }
  // Depth-first: a table comes after every table it references.
  const ordered: PgTable[] = [];
  const placed = new Set<number>();
  const place = (oid: number) => {
    if (placed.has(oid) || !tables.has(oid)) return;
    placed.add(oid);
    for (const fk of fks) if (fk.child === oid) place(fk.parent);
    ordered.push(tables.get(oid) as PgTable);
  };
  for (const oid of tables.keys()) place(oid);
  return ordered;
}

/** `main.contacts` / `anon.tactics`: public is SQLite's main file, anon its attached store. */
const sqliteName = (t: PgTable) => `${t.schema === 'public' ? 'main' : quote(t.schema)}.${quote(t.from?.name ?? t.name)}`;

/** Both sides must be at the same schema: every target table and column exists in the source, and no source table is left behind. */
function checkSourceSchema(db: Db, tables: PgTable[]): void {
  const problems: string[] = [];
  const wanted = new Set(tables.map(sourceLabel));
  for (const [schema, file] of [
    ['public', 'main'],
    ['anon', 'anon'],
  ] as const) {
    const names = db.prepare(`SELECT name FROM ${file}.sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    for (const n of names)
      if (!n.startsWith('sqlite_') && n !== 'schema_migrations' && !wanted.has(`${schema}.${n}`))
        problems.push(`${schema}.${n} exists in SQLite but not in PostgreSQL`);
  }
  for (const t of tables) {
    const cols = new Set(
      (
        db
          .prepare(`SELECT name FROM pragma_table_info(?, ?)`)
          .all(t.from?.name ?? t.name, t.schema === 'public' ? 'main' : t.schema) as Array<{
          name: string;
        }>
      ).map((c) => c.name),
    );
    if (cols.size === 0) problems.push(`${sourceLabel(t)} is missing from SQLite`);
    else
      for (const c of t.columns)
        if (!cols.has(c.name) && !(c.name in (t.from?.fill ?? {}))) problems.push(`${sourceLabel(t)}.${c.name} is missing from SQLite`);
  }
  if (problems.length)
    throw new CopyError(
      `the two schemas differ, nothing copied (is this Gemba's database, and both sides at the same version?): ${problems.join('; ')}`,
    );
}

/**
 * Streams one table from SQLite into PostgreSQL in batches: `INSERT … SELECT * FROM unnest($1::type[], …)`,
 * one array per column, so a batch is one round trip and one statement whatever its size.
 */
async function copyTable(db: Db, client: pg.PoolClient, t: PgTable, batchRows: number): Promise<number> {
  const names = t.columns.map((c) => quote(c.name));
  const insert = `INSERT INTO ${qualified(t)} (${names.join(', ')}) SELECT * FROM unnest(${t.columns
    .map((c, i) => `$${i + 1}::${c.type}[]`)
    .join(', ')})`;
  // safeIntegers: ids and epoch milliseconds come out exact whatever their size, and go over as text.
  const rows = db
    .prepare(`SELECT ${t.columns.map((c) => t.from?.fill[c.name] ?? quote(c.name)).join(', ')} FROM ${sqliteName(t)}`)
    .raw()
    .safeIntegers(true)
    .iterate() as IterableIterator<unknown[]>;
  let copied = 0;
  let batch: unknown[][] = t.columns.map(() => []);
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    await client.query(insert, batch);
    copied += size;
    batch = t.columns.map(() => []);
    size = 0;
  };
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) batch[i].push(typeof row[i] === 'bigint' ? String(row[i]) : row[i]);
    if (++size >= batchRows) {
      // Reading pauses while the batch is written; the iterator holds its place.
      await flush();
    }
  }
  await flush();
  return copied;
}

/** A driver error as one line: the code of a connection failure (ECONNREFUSED, ENOTFOUND…) or PostgreSQL's own message. */
function describePgError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return describePgError(err.errors[0]);
  const e = err as { code?: string; message?: string; cause?: unknown };
  const cause = e.cause ? describePgError(e.cause) : '';
  const msg = e.message || e.code || String(err);
  if (e.code && /^E[A-Z]+$/.test(e.code)) return `${msg} (is PostgreSQL running and the URL right?)`;
  return cause && !msg.includes(cause) ? `${msg}: ${cause}` : msg;
}
