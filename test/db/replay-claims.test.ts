/**
 * Replay claims (seen_requests) are pruned as they are taken, on the pass's engine: the guard's claims and the
 * /contact one-liners remove the expired claims, never a live one. On PostgreSQL the one-liner's hot statement
 * prunes nothing (one one-liner per ONE_LINER_PRUNE_EVERY_SEC does), so that its plan, made once per pooled
 * connection, stays the generic one: with the prune in it, PostgreSQL re-planned it on every /contact or kept
 * a plan that scanned seen_requests (docs/performance.md "The lean ack").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ONE_LINER_PRUNE_EVERY_SEC, ONE_LINER_SQL } from '../../src/db/pg-repos.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/db/postgres.js';
import type { OneLinerWrite } from '../../src/db/repos/contact-log.js';
import type { Storage } from '../../src/db/storage.js';
import { databaseUrlFor, inspectorFor, ON_POSTGRES } from '../kit/engine.js';
import { oneLinerWrite, openTestStorage } from '../kit/storage.js';

const dir = mkdtempSync(join(tmpdir(), 'gemba-replay-claims-'));
const opened: Storage[] = [];
after(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;

async function open(): Promise<Storage> {
  const path = join(dir, `claims${stores++}.db`);
  const url = await databaseUrlFor(path);
  const storage = url ? (await openPostgresStorage(url)).storage : openTestStorage(path);
  opened.push(storage);
  return storage;
}

const NOW = 1_796_000_000;
/** Claims whose expiry passed at NOW: `count` of them, the oldest expired `count` seconds ago. */
async function seedExpired(storage: Storage, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const expiresAt = NOW - count + i;
    // Taken back then (nowSec = 10 minutes before their expiry), so these claims prune nothing themselves.
    assert.equal(await storage.repos.seenRequests.claimSignature(`old-${i}`, expiresAt, expiresAt - 600), true);
  }
}

const expiredLeft = async (storage: Storage) =>
  Number(await inspectorFor(storage).value('SELECT COUNT(*) FROM seen_requests WHERE expires_at < ?', [NOW]));

const oneLiner = (signature: string, nowSec = NOW): OneLinerWrite => oneLinerWrite({ signature, nowSec });

const postgresOnly = (why: string) => (ON_POSTGRES ? false : `PostgreSQL only: ${why}`);

describe('replay claims are pruned as they are taken', () => {
  it("the guard's claim removes every expired claim and keeps live ones", async () => {
    const storage = await open();
    await seedExpired(storage, 100);
    assert.equal(await storage.repos.seenRequests.claimSignature('live-1', NOW + 300, NOW - 1000), true);
    assert.equal(await expiredLeft(storage), 100);

    assert.equal(await storage.repos.seenRequests.claimSignature('new-1', NOW + 300, NOW), true);
    assert.equal(await expiredLeft(storage), 0);
    // Live claims stay, so their replays are still refused.
    assert.equal(await storage.repos.seenRequests.claimSignature('live-1', NOW + 300, NOW), false);
    assert.equal(await storage.repos.seenRequests.claimSignature('new-1', NOW + 300, NOW), false);
  });

  it("the /contact one-liner's claim removes the expired claims too, in its own write", async () => {
    const storage = await open();
    await seedExpired(storage, 100);
    assert.equal((await storage.repos.contactLog.logOneLiner(oneLiner('line-1'))).status, 'logged');
    assert.equal(await expiredLeft(storage), 0);
    assert.equal(
      (await storage.repos.contactLog.logOneLiner(oneLiner('line-1'))).status,
      'replay',
      'a live claim still refuses its replay',
    );
  });

  it(`on PostgreSQL one one-liner per ${ONE_LINER_PRUNE_EVERY_SEC} s prunes; the others only claim`, {
    skip: postgresOnly('on SQLite every claim prunes'),
  }, async () => {
    const storage = await open();
    assert.equal((await storage.repos.contactLog.logOneLiner(oneLiner('first'))).status, 'logged');
    await seedExpired(storage, 20);
    assert.equal((await storage.repos.contactLog.logOneLiner(oneLiner('soon', NOW + ONE_LINER_PRUNE_EVERY_SEC - 1))).status, 'logged');
    assert.equal(await expiredLeft(storage), 20, 'within the interval: claimed, nothing pruned');
    assert.equal((await storage.repos.contactLog.logOneLiner(oneLiner('later', NOW + ONE_LINER_PRUNE_EVERY_SEC))).status, 'logged');
    assert.equal(await expiredLeft(storage), 0, 'after it: pruned');
    assert.equal(Number(await inspectorFor(storage).value('SELECT COUNT(*) FROM seen_requests')), 3, 'the three live claims stay');
  });

  it("on PostgreSQL the one-liner's hot statement keeps its generic plan once the tables have statistics", {
    skip: postgresOnly('SQLite plans every statement with its values'),
  }, async () => {
    const storage = (await open()) as PostgresStorage;
    assert.doesNotMatch(ONE_LINER_SQL, /DELETE FROM seen_requests/, 'the hot statement prunes nothing');
    const client = await storage.pool.connect();
    try {
      // Production-like: minutes of live claims, and statistics (autovacuum's ANALYZE) on every table.
      await client.query(
        `INSERT INTO seen_requests (signature_sha256, expires_at) SELECT 'live-' || g, $1::bigint + g % 300 FROM generate_series(1, 10000) g`,
        [NOW],
      );
      await client.query('ANALYZE');
      await client.query(`PREPARE one_liner AS ${ONE_LINER_SQL}`);
      for (let i = 0; i < 10; i++) {
        await client.query(
          `EXECUTE one_liner('T1', 'U1', 'Acme', 'acme', NULL, 'call', NULL, '2026-12-01', '2026-11-30', NULL, ${NOW * 1000},
               'plan-${i}', ${NOW + 300}, ${NOW}, NULL, NULL, '2026-10-05', '2026-11-30', '2026-12-06')`,
        );
      }
      const { rows } = await client.query<{ generic_plans: string; custom_plans: string }>(
        `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'one_liner'`,
      );
      // PostgreSQL makes five custom plans, then keeps the generic one unless it looks costlier than they were.
      assert.deepEqual(
        { custom: Number(rows[0]?.custom_plans), generic: Number(rows[0]?.generic_plans) },
        { custom: 5, generic: 5 },
        'planned five times, then the generic plan reused',
      );
    } finally {
      await client.query('DEALLOCATE ALL').catch(() => undefined);
      client.release(true);
    }
  });
});
