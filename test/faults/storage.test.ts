/**
 * The database refusing writes: read-only (SQLITE_READONLY, via `PRAGMA query_only`) or full
 * (SQLITE_FULL, via `PRAGMA max_page_count`). The user gets a clear ephemeral answer that nothing
 * was recorded, the log gets an error line, the app stays up (/healthz answers, scheduled jobs
 * fail without taking the process down), and the next request succeeds once the condition clears.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORAGE_DOWN } from '../../src/blocks/common.js';
import { runDueJobs } from '../../src/jobs/index.js';
import { ErrorCode, isStorageUnavailable } from '../../src/lib/errors.js';
import { type Harness, startHarness } from '../kit/harness.js';

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

  before(async () => {
    h = await startHarness({ now: '2026-11-30T09:05:00Z' });
  });
  after(async () => {
    await h.close();
  });

  it('read-only: a clear ephemeral message and an error log line; recovers when writable again', async () => {
    await assertRecovered('Before Readonly Inc');
    h.db.pragma('query_only = ON');
    try {
      await assertRefusedClearly('SQLITE_READONLY', 'Readonly Corp');
      // A scheduled tick fails the same way without taking the process down.
      await runDueJobs(h.ctx, h.clock.now());
      assert.ok(h.logs.some((l) => l.level === 50 && l.code === ErrorCode.StorageUnavailable && l.job !== undefined));
    } finally {
      h.db.pragma('query_only = OFF');
    }
    await assertRecovered('Readonly Corp');
    await h.settle();
  });

  it('disk full: a clear ephemeral message and an error log line; recovers when space is freed', async () => {
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
      // "Zeta" sorts after every filler, so it needs the same full pages.
      await assertRefusedClearly('SQLITE_FULL', 'Zeta Corp');
    } finally {
      h.db.pragma(`max_page_count = ${NO_PAGE_LIMIT}`);
    }
    await assertRecovered('Zeta Corp');
    await h.settle();
  });
});
