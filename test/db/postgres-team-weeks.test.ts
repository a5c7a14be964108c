/**
 * PostgreSQL's team totals per week (migration 0016): team_weeks is a view of team_week_stripes' sums, so
 * two managers' conversations no longer queue on one row per team and week. The view must read as the old
 * table did (one row per team and week, the same numbers) through every kind of change, carry an existing
 * install's totals over, and leave nothing behind when a workspace is erased.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrationFiles } from '../../src/db/migrate.js';
import { migratePostgres, PG_MIGRATIONS_DIR } from '../../src/db/pg-migrate.js';
import { createPgRepos } from '../../src/db/pg-repos.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';

const TEAM = 'T1';
const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];

/** A folder holding the PostgreSQL migrations before `first` (an install from before it). */
function migrationsBefore(first: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-pg-migrations-'));
  for (const f of migrationFiles(PG_MIGRATIONS_DIR).filter((f) => f < first)) copyFileSync(join(PG_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

const addContact = (q: pg.Pool | pg.PoolClient, user: string, week: string, team = TEAM) =>
  q.query<{ id: number }>(
    `INSERT INTO contacts (team_id, user_id, account, account_key, kind, occurred_on, week_start, created_at, updated_at)
     VALUES ($1, $2, 'Acme', 'acme', 'call', $3, $3, 0, 0) RETURNING id`,
    [team, user, week],
  );

/** team_weeks as read (rows with anyone in them), and the same recounted from the conversations themselves. */
async function readAndRecount(pool: pg.Pool) {
  const read = (
    await pool.query('SELECT team_id, week_start, contacts, managers FROM team_weeks WHERE managers <> 0 OR contacts <> 0 ORDER BY 1, 2')
  ).rows;
  const recount = (
    await pool.query(
      `SELECT team_id, week_start, COUNT(*)::integer AS contacts, COUNT(DISTINCT user_id)::integer AS managers
         FROM contacts GROUP BY 1, 2 ORDER BY 1, 2`,
    )
  ).rows;
  return { read, recount };
}

/** Users whose rows fall in different stripes (hashtext(user_id) & 31, as the trigger computes it). */
async function usersInDistinctStripes(pool: pg.Pool, n: number): Promise<string[]> {
  const { rows } = await pool.query<{ u: string; s: number }>(
    `SELECT 'U' || i AS u, hashtext('U' || i) & 31 AS s FROM generate_series(1, 200) i`,
  );
  const seen = new Map<number, string>();
  for (const r of rows) if (!seen.has(r.s)) seen.set(r.s, r.u);
  return [...seen.values()].slice(0, n);
}

describe('PostgreSQL team totals per week (team_week_stripes)', () => {
  const serverUrl = postgresPerFile();
  const dirs: string[] = [];
  let before0016: string;
  before(() => {
    before0016 = migrationsBefore('0016');
    dirs.push(before0016);
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("carries an install's totals over, then stays equal to a recount through inserts, moves and deletes", async () => {
    const url = await createTestDatabase(serverUrl());
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await migratePostgres(pool, before0016);
      const users = await usersInDistinctStripes(pool, 8);
      // Deterministic pseudo-random history before the migration.
      let seed = 7;
      const next = (n: number) => {
        // xorshift32: a fixed sequence whose low bits are as random as its high ones.
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return (seed >>> 0) % n;
      };
      for (let i = 0; i < 60; i++) await addContact(pool, users[next(users.length)], WEEKS[next(WEEKS.length)]);
      await addContact(pool, users[0], WEEKS[0], 'T2');
      const old = (await pool.query('SELECT team_id, week_start, contacts, managers FROM team_weeks ORDER BY 1, 2')).rows;

      assert.equal((await migratePostgres(pool))[0], '0016_team_week_stripes.sql');
      assert.deepEqual(
        (await pool.query('SELECT team_id, week_start, contacts, managers FROM team_weeks ORDER BY 1, 2')).rows,
        old,
        'the view reads as the table did',
      );

      // After the migration: every kind of change, by managers spread over the stripes, the carried-over
      // totals included (they sit in stripe 0, so removals land in stripes that hold no row yet).
      const ids = async () => (await pool.query<{ id: number }>('SELECT id FROM contacts ORDER BY id')).rows.map((r) => r.id);
      for (let i = 0; i < 120; i++) {
        const op = next(4);
        const all = await ids();
        if (op === 0 || all.length === 0) await addContact(pool, users[next(users.length)], WEEKS[next(WEEKS.length)]);
        else if (op === 1) await pool.query('DELETE FROM contacts WHERE id = $1', [all[next(all.length)]]);
        else if (op === 2)
          await pool.query('UPDATE contacts SET week_start = $2 WHERE id = $1', [all[next(all.length)], WEEKS[next(WEEKS.length)]]);
        else await pool.query('UPDATE contacts SET user_id = $2 WHERE id = $1', [all[next(all.length)], users[next(users.length)]]);
        if (i % 30 === 29) {
          const { read, recount } = await readAndRecount(pool);
          assert.deepEqual(read, recount, `after ${i + 1} changes`);
        }
      }
      // A whole manager removed (what forget does), down to weeks with nobody left in them.
      await pool.query('DELETE FROM contacts WHERE user_id = $1', [users[1]]);
      const { read, recount } = await readAndRecount(pool);
      assert.deepEqual(read, recount);
      const stripes = (await pool.query<{ n: number }>('SELECT COUNT(DISTINCT stripe)::int AS n FROM team_week_stripes')).rows[0].n;
      assert.ok(stripes > 4, `the changes are spread over the stripes (${stripes})`);
    } finally {
      await pool.end();
    }
  });

  it('two managers logging at once do not wait for each other (before: the second waited for the first commit)', async () => {
    /** Holds one manager's conversation uncommitted and tries another's, in the same team and week. */
    const secondWaits = async (migrations?: string): Promise<boolean> => {
      const url = await createTestDatabase(serverUrl());
      const pool = new pg.Pool({ connectionString: url, max: 3 });
      await migratePostgres(pool, migrations);
      const [a, b] = [await pool.connect(), await pool.connect()];
      try {
        const [first, second] = await usersInDistinctStripes(pool, 2);
        await addContact(pool, 'U-earlier', WEEKS[3]); // the week's rows exist, as on any busy Monday
        await a.query('BEGIN');
        await addContact(a, first, WEEKS[3]);
        await b.query("SET lock_timeout = '300ms'");
        try {
          await addContact(b, second, WEEKS[3]);
          return false;
        } catch (err) {
          assert.equal((err as { code?: string }).code, '55P03', `a lock timeout, not ${(err as Error).message}`);
          return true;
        } finally {
          await a.query('ROLLBACK');
        }
      } finally {
        a.release();
        b.release();
        await pool.end();
      }
    };
    assert.equal(await secondWaits(before0016), true, 'with one row per team and week, the second insert queues');
    assert.equal(await secondWaits(), false, 'with the stripes, it does not');
  });

  it('erasing a workspace leaves no stripe behind, and the other workspace keeps its totals', async () => {
    const url = await createTestDatabase(serverUrl());
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    try {
      await migratePostgres(pool, before0016);
      const users = await usersInDistinctStripes(pool, 6);
      for (const u of users) await addContact(pool, u, WEEKS[2]);
      await addContact(pool, users[0], WEEKS[2], 'T2');
      await migratePostgres(pool);
      for (const u of users) await addContact(pool, u, WEEKS[3]);

      const removed = await createPgRepos(pool).workspaceData.eraseWorkspace(TEAM);
      assert.equal(Number(removed.team_weeks), 7, `stripe 0 of the carried-over week and six of the new one: ${JSON.stringify(removed)}`);
      const left = (await pool.query('SELECT team_id, COUNT(*)::int AS n FROM team_week_stripes GROUP BY 1 ORDER BY 1')).rows;
      assert.deepEqual(left, [{ team_id: 'T2', n: 1 }]);
      assert.deepEqual((await pool.query('SELECT team_id, week_start, contacts, managers FROM team_weeks')).rows, [
        { team_id: 'T2', week_start: WEEKS[2], contacts: 1, managers: 1 },
      ]);
    } finally {
      await pool.end();
    }
  });
});
