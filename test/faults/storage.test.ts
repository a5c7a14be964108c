/**
 * The database refusing writes: read-only (SQLITE_READONLY, via `PRAGMA query_only`; on the
 * PostgreSQL pass SQLSTATE 25006, via `ALTER DATABASE … SET default_transaction_read_only` and new
 * sessions) or full (SQLITE_FULL, via `PRAGMA max_page_count`; SQLite only). The user gets a clear ephemeral answer that nothing
 * was recorded, the log gets an error line, the app stays up (/healthz answers, scheduled jobs
 * fail without taking the process down), and the next request succeeds once the condition clears.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { STORAGE_DOWN } from '../../src/blocks/common.js';
import { PostgresStorage } from '../../src/db/postgres.js';
import { runDueJobs } from '../../src/jobs/index.js';
import { ErrorCode, isStorageUnavailable } from '../../src/lib/errors.js';
import { ON_POSTGRES, sqliteOnly } from '../kit/engine.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { until } from './support.js';

const TEAM = 'T0001';
/** SQLite's default ceiling, to lift the "disk full" condition again. */
const NO_PAGE_LIMIT = 1_073_741_823;

describe('fault: the database cannot be written', () => {
  let h: Harness;
  const count = () => h.count('contacts');
  const errorLines = (code: string) =>
    h.logs.filter(
      (l) =>
        l.level === 50 &&
        l.code === ErrorCode.StorageUnavailable &&
        String((l.err as { code?: string } | undefined)?.code ?? '').startsWith(code) &&
        /the database refused the write/.test(String(l.msg)),
    );

  /** Sends /contact while storage is down and checks the answer, the log and /healthz. */
  async function assertRefusedClearly(code: string, account: string): Promise<void> {
    const before = await count();
    const logged = errorLines(code).length;
    const res = await h.command('/contact', `${account}: still talking to buyers`);
    assert.equal(res.status, 200);
    assert.equal(res.json.response_type, 'ephemeral');
    assert.equal(res.json.text, STORAGE_DOWN);
    assert.match(res.json.text, /database is unavailable/);
    assert.match(res.json.text, /Nothing was recorded/);
    assert.equal(await count(), before, 'nothing stored');
    assert.equal(errorLines(code).length, logged + 1, `one error line with ${code} in the log`);
    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 200, 'the app is still up and its database still answers reads');
  }

  async function assertRecovered(account: string): Promise<void> {
    const before = await count();
    const res = await h.command('/contact', account);
    assert.match(res.json.text, new RegExp(`^Logged a conversation with ${account}`));
    assert.equal(await count(), before + 1);
  }

  /**
   * Makes the store read-only (or writable again) the way an operator could: SQLite's query_only
   * pragma; on PostgreSQL the database's default_transaction_read_only, which takes effect for new
   * sessions, so the app's sessions are ended and the pool opens new ones.
   */
  async function setReadOnly(on: boolean): Promise<void> {
    if (!ON_POSTGRES) {
      h.db.pragma(`query_only = ${on ? 'ON' : 'OFF'}`);
      return;
    }
    const storage = h.ctx.storage;
    assert.ok(storage instanceof PostgresStorage);
    const name = new URL(String(h.ctx.config.databaseUrl)).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    } finally {
      await admin.end();
    }
    // The pool drops each ended session when it hears of it; wait until none is left to hand out.
    await until(() => storage.pool.totalCount === 0, 'the pool to drop the ended sessions');
  }

  before(async () => {
    h = await startHarness({ now: '2026-11-30T09:05:00Z' });
  });
  after(async () => {
    await h.close();
  });

  it('read-only: a clear ephemeral message and an error log line; recovers when writable again', async () => {
    await assertRecovered('Before Readonly Inc');
    await setReadOnly(true);
    try {
      await assertRefusedClearly(ON_POSTGRES ? '25006' : 'SQLITE_READONLY', 'Readonly Corp');
      // A scheduled tick fails the same way without taking the process down.
      await runDueJobs(h.ctx, h.clock.now());
      assert.ok(h.logs.some((l) => l.level === 50 && l.code === ErrorCode.StorageUnavailable && l.job !== undefined));
    } finally {
      await setReadOnly(false);
    }
    await assertRecovered('Readonly Corp');
    await h.settle();
  });

  const noDiskCap = sqliteOnly(
    'fills a file capped by max_page_count; PostgreSQL has no per-database cap to fill (its disk full, SQLSTATE 53100, is classified in test/lib/errors.test.ts)',
  );
  it('disk full: a clear ephemeral message and an error log line; recovers when space is freed', { skip: noDiskCap }, async () => {
    // Cap the file at its current size, then fill the free space the way real traffic would.
    h.db.pragma(`max_page_count = ${h.db.pragma('page_count', { simple: true })}`);
    let full: unknown = null;
    try {
      for (let i = 0; i < 100_000 && full === null; i++) {
        try {
          await h.ctx.services.contacts.logContact(
            TEAM,
            'U0001', // the user the requests below come from, so Zeta needs the very pages the filler filled
            {
              account: `Filler ${String(i).padStart(6, '0')}`,
              buyer: null,
              kind: 'call',
              durationMin: null,
              occurredOn: '2026-11-30',
              insight: 'x'.repeat(200),
            },
            h.clock.now(),
          );
        } catch (err) {
          full = err;
        }
      }
      assert.ok(isStorageUnavailable(full), `the filler hit SQLITE_FULL: ${String(full)}`);
      assert.equal((full as { code?: string }).code, 'SQLITE_FULL');
      // The request's own rows are smaller than a filler's and may still fit where the last filler did not
      // (a claim, the conversation, its index entries): send it until the store refuses it. The refused one
      // rolled back, so the next identical request needs exactly the pages that are full.
      let refused = false;
      for (let i = 0; i < 500 && !refused; i++) {
        refused = (await h.command('/contact', 'Zeta Corp: still talking to buyers')).json.text === STORAGE_DOWN;
      }
      assert.ok(refused, 'the store ran out of room for the request itself');
      await assertRefusedClearly('SQLITE_FULL', 'Zeta Corp');
    } finally {
      h.db.pragma(`max_page_count = ${NO_PAGE_LIMIT}`);
    }
    await assertRecovered('Zeta Corp');
    await h.settle();
  });
});
