import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { MIGRATIONS_DIR, MigrationError, migrationFiles } from './migrate.js';

/** PostgreSQL's migrations: the same file names as the SQLite ones in migrations/, in migrations/postgres/. */
export const PG_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');

/**
 * The advisory lock every instance takes before migrating: instances starting together queue on
 * it, so each migration is applied once; the ones that waited find nothing left to do.
 */
export const MIGRATION_LOCK = 0x67656d6261; // 'gemba'

/**
 * Applies every not-yet-applied `NNNN_name.sql` of `dir` in order, each in its own transaction
 * (PostgreSQL DDL is transactional), under a session advisory lock, and records it in
 * `schema_migrations`. A failing file rolls back entirely and throws MigrationError naming it.
 * Returns the names applied by this call.
 */
export async function migratePostgres(pool: pg.Pool, dir: string = PG_MIGRATIONS_DIR): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    TEXT PRIMARY KEY,
        applied_at BIGINT NOT NULL
      )`);
      const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const applied: string[] = [];
      for (const file of migrationFiles(dir)) {
        if (done.has(file)) continue;
        const sql = readFileSync(join(dir, file), 'utf8');
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [file, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(file, err);
        }
        applied.push(file);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
